//go:build pprof

package main

import (
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
	"runtime"
	"strconv"
)

// A binary built with -tags pprof serves Go's profiler on a loopback
// address of its own (BRIEFBOT_PPROF_ADDR, default 127.0.0.1:6060), apart
// from the bot's server, so a load test can be profiled. It samples one
// allocation every BRIEFBOT_MEMPROFILE_RATE bytes (default Go's 512 KiB;
// 4096 sees small maps and strings). Release builds leave it out.
func init() {
	if r, err := strconv.Atoi(os.Getenv("BRIEFBOT_MEMPROFILE_RATE")); err == nil && r > 0 {
		runtime.MemProfileRate = r
	}
	addr := os.Getenv("BRIEFBOT_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go http.ListenAndServe(addr, nil) //nolint:errcheck // profiling aid only
}
