// Package testwait sets how many parallel tests of a package run at once,
// for packages whose parallel tests mostly wait (on a database, processes
// they started, a browser or a fake server) rather than compute: by default
// Go runs one per core, and two cores leave most of them queued.
package testwait

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// Parallel sets -test.parallel to n unless the command line gave it. Call
// it from TestMain, before m.Run.
func Parallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	parallel(flag.CommandLine, n)
}

// parallel sets fs's test.parallel to n unless it was set.
func parallel(fs *flag.FlagSet, n int) {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		fs.Set("test.parallel", strconv.Itoa(n))
	}
}

// Main is a TestMain that runs n parallel tests at once (unless the
// command line says otherwise) and exits with the tests' result.
func Main(m *testing.M, n int) {
	Parallel(n)
	os.Exit(m.Run())
}
