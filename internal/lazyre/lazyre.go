// Package lazyre compiles a regular expression the first time it is used.
// A package-level regexp.MustCompile runs, and keeps its compiled program
// in memory, in every process that links the package, even one that never
// matches it: `serve` links the ingest and draft commands' patterns too.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call (panicking,
// as regexp.MustCompile does, if expr is invalid) and returns the same
// compiled expression on every call.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
