package main

import (
	"os"
	"os/exec"
	"testing"
)

// requireBrowserEnv, when set to 1, turns a missing browser into a failure:
// CI sets it together with CHROME_PATH, so a browser test can neither skip
// there nor be answered from the test cache of a run without a browser (both
// variables are part of the cache key, since the test reads them).
const requireBrowserEnv = "BRIEFBOT_REQUIRE_BROWSER"

// browserNames are looked up in PATH when CHROME_PATH is not set.
var browserNames = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findBrowser returns a Chromium or Chrome to drive, or "", and why not.
// A CHROME_PATH that names no executable file is an error, not a skip.
func findBrowser() (path string, err error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", err
		}
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", nil
}

// needBrowser returns the browser to drive. It fails the test when
// CHROME_PATH is broken or CI requires a browser, and otherwise skips with
// a message saying what to install. A browser that is found but does not
// start fails the test where it is used (newBrowser), never skips it.
//
// The shared browser starts in the background now; the test then runs in
// parallel with the other parallel tests, and drives the browser one at a
// time among the browser tests (see newBrowser).
func needBrowser(t *testing.T) string {
	t.Helper()
	path, err := findBrowser()
	switch {
	case err != nil:
		t.Fatalf("CHROME_PATH=%q: %v", os.Getenv("CHROME_PATH"), err)
	case path == "" && os.Getenv(requireBrowserEnv) == "1":
		t.Fatalf("%s=1 but no Chromium or Chrome was found (looked at $CHROME_PATH and %v)", requireBrowserEnv, browserNames)
	case path == "":
		t.Skipf("SKIPPED: no Chromium or Chrome found (looked at $CHROME_PATH and %v); install Debian's chromium package, or set CHROME_PATH, to run this browser test", browserNames)
	}
	launchBrowser(path)
	t.Parallel()
	return path
}
