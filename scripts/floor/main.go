// Command floor is an HTTP server that answers every request with the
// same fixed body and does nothing else: no verification, no decoding, no
// log. Run beside the bot under the same load, it shows the floor of what
// the machine, the kernel and the load tool add to every request, which no
// change to the bot can go below.
//
//	go run ./scripts/floor -addr 127.0.0.1:18500 -size 4046 -server fasthttp
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/valyala/fasthttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18500", "listen address")
	size := flag.Int("size", 4046, "bytes in every answer (the bot's mean /stance answer on Slack is about 4 KB)")
	server := flag.String("server", "fasthttp", "fasthttp or net/http")
	flag.Parse()
	body := bytes.Repeat([]byte("x"), *size)
	var err error
	switch *server {
	case "fasthttp":
		err = fasthttp.ListenAndServe(*addr, func(c *fasthttp.RequestCtx) {
			c.SetContentType("application/json")
			c.SetBody(body)
		})
	case "net/http":
		err = http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		}))
	default:
		err = fmt.Errorf("-server %q: want fasthttp or net/http", *server)
	}
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
