//go:build pprof

package main

import (
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
)

// A binary built with -tags pprof serves Go's profiler on a loopback
// address of its own (BRIEFBOT_PPROF_ADDR, default 127.0.0.1:6060), apart
// from the bot's server, so a load test can be profiled. Release builds
// leave it out.
func init() {
	addr := os.Getenv("BRIEFBOT_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go http.ListenAndServe(addr, nil) //nolint:errcheck // profiling aid only
}
