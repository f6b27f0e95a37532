package main

import (
	"flag"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// proxy forwards TCP connections to the database and can cut them:
//
//	SIGUSR1  refuse: every connection is closed, new ones are closed at once
//	SIGUSR2  black hole: nothing moves, new connections wait (a partition)
//	SIGHUP   open again: waiting connections go on
type proxy struct {
	to string

	mu     sync.Mutex
	state  string        // "open", "refuse" or "blackhole"
	resume chan struct{} // closed when the state goes back to open
	conns  map[net.Conn]bool
}

func runProxy(args []string) error {
	fs := flag.NewFlagSet("proxy", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	portFile := fs.String("portfile", "", "write the address here once listening")
	to := fs.String("to", "127.0.0.1:5432", "where to forward")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if err := writePort(*portFile, ln.Addr().String()); err != nil {
		return err
	}
	p := &proxy{to: *to, state: "open", resume: make(chan struct{}), conns: map[net.Conn]bool{}}
	go p.signals()
	log.Printf("proxy %s → %s", ln.Addr(), *to)
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go p.serve(c)
	}
}

func (p *proxy) signals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP)
	for s := range c {
		switch s {
		case syscall.SIGUSR1:
			p.set("refuse")
		case syscall.SIGUSR2:
			p.set("blackhole")
		case syscall.SIGHUP:
			p.set("open")
		}
	}
}

func (p *proxy) set(state string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == state {
		return
	}
	log.Printf("proxy: %s (was %s)", state, p.state)
	if p.state == "open" {
		p.resume = make(chan struct{})
	}
	p.state = state
	switch state {
	case "open":
		close(p.resume)
	case "refuse":
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// gate blocks while the proxy is a black hole and reports whether the
// connection may go on (false once it is refused).
func (p *proxy) gate() bool {
	for {
		p.mu.Lock()
		state, resume := p.state, p.resume
		p.mu.Unlock()
		switch state {
		case "open":
			return true
		case "refuse":
			return false
		}
		<-resume
	}
}

func (p *proxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.conns[c] = true
	}
}

func (p *proxy) serve(client net.Conn) {
	defer client.Close()
	if !p.gate() {
		return
	}
	server, err := net.Dial("tcp", p.to)
	if err != nil {
		log.Printf("proxy: dial %s: %v", p.to, err)
		return
	}
	defer server.Close()
	p.track(client, server)
	done := make(chan struct{}, 2)
	go p.pipe(server, client, done)
	go p.pipe(client, server, done)
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// pipe copies from src to dst, holding each chunk while the proxy is a
// black hole.
func (p *proxy) pipe(dst, src net.Conn, done chan<- struct{}) {
	defer func() { done <- struct{}{} }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.gate() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			if tc, ok := dst.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			return
		}
	}
}
