package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/config"
)

// newLogger sets up log/slog once, text or JSON, at the configured level,
// and sends discordgo's own lines through it.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	log := slog.New(newHandler(c, w))
	discord.RouteLibraryLog(log)
	return log
}

func newHandler(c config.Log, w io.Writer) slog.Handler {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// Buffered logging for serve: a line goes into a buffer and a writer
// goroutine writes out whatever has gathered, then waits logWriteGap
// before its next write. An idle bot's lines appear at once; a busy bot's
// are written together, a few hundred at a time, rather than with one
// system call per command. A warning or an error is written at once, with
// everything before it. Lines are never dropped: when logBufferSize bytes
// wait, the next line waits for the write.
const (
	logWriteGap   = 10 * time.Millisecond
	logBufferSize = 64 << 10
)

// newBufferedLogger is newLogger writing through a buffer (discordgo's
// lines too); stop writes out what is left and must be called before serve
// returns.
func newBufferedLogger(c config.Log, w io.Writer) (log *slog.Logger, stop func()) {
	b := &logBuffer{w: bufio.NewWriterSize(w, logBufferSize), ready: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.run(ctx)
	}()
	stop = func() {
		cancel()
		<-done
		b.flush()
	}
	log = slog.New(flushOnWarn{newHandler(c, b), b})
	discord.RouteLibraryLog(log)
	return log, stop
}

// logBuffer is a bufio.Writer shared by the handler and the writer
// goroutine; ready tells the goroutine there is something to write.
type logBuffer struct {
	mu    sync.Mutex
	w     *bufio.Writer
	ready chan struct{}
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.w.Write(p)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
	return n, err
}

func (b *logBuffer) flush() {
	b.mu.Lock()
	b.w.Flush()
	b.mu.Unlock()
}

// run writes out the buffer whenever lines wait, at most once per
// logWriteGap, until ctx ends.
func (b *logBuffer) run(ctx context.Context) {
	gap := time.NewTimer(0)
	defer gap.Stop()
	for {
		select {
		case <-b.ready:
		case <-ctx.Done():
			return
		}
		b.flush()
		gap.Reset(logWriteGap)
		select {
		case <-gap.C:
		case <-ctx.Done():
			return
		}
	}
}

// flushOnWarn writes the buffer out after every record at warning level
// or above, so that problems are never held back.
type flushOnWarn struct {
	slog.Handler
	buf *logBuffer
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.buf.flush()
	}
	return err
}

func (h flushOnWarn) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnWarn{h.Handler.WithAttrs(attrs), h.buf}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{h.Handler.WithGroup(name), h.buf}
}
