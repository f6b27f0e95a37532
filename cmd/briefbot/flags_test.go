package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestFlagsAnywhere: every subcommand takes its flags before or after its
// other arguments, and the global ones before the subcommand too; -- ends
// the flags; a flag it does not know is refused naming it; -h exits 0.
func TestFlagsAnywhere(t *testing.T) {
	t.Parallel() // beside the tests that wait

	corpus := "../../seeds" // the shipped corpus as a folder
	for _, tc := range []struct {
		args []string
		code int
		out  string // on stdout
		err  string // on stderr
	}{
		{[]string{"paragraphs", "d001", "--corpus", corpus}, exitOK, "d001:p1", ""},
		{[]string{"paragraphs", "--corpus", corpus, "d001"}, exitOK, "d001:p1", ""},
		{[]string{"--corpus", corpus, "paragraphs", "d001"}, exitOK, "d001:p1", ""},
		{[]string{"--corpus=" + corpus, "paragraphs", "d001"}, exitOK, "d001:p1", ""},
		{[]string{"ask", "/stance finland", "--corpus", corpus}, exitOK, "Finland: stance", ""},
		{[]string{"ask", "/stance", "finland", "--format", "json"}, exitOK, `"title": "Finland`, ""},
		{[]string{"ask", "--", "/ask", "what", "is", "-x"}, exitOK, "", ""},
		{[]string{"ask", "/ask", "what", "is", "-x"}, exitBadUsage, "", "flag provided but not defined: -x"},
		{[]string{"check", "--coverage", "--corpus", corpus}, exitOK, "coverage:", ""},
		{[]string{"check", "stray"}, exitBadUsage, "", `unexpected argument "stray"`},
		{[]string{"slack", "--socket-mode", "manifest"}, exitOK, "socket_mode_enabled: true", ""},
		{[]string{"slack", "manifest", "--socket-mode"}, exitOK, "socket_mode_enabled: true", ""},
		{[]string{"slack"}, exitBadUsage, "", "usage: briefbot slack manifest"},
		{[]string{"discord", "--print", "register"}, exitOK, `"name": "stance"`, ""},
		{[]string{"discord", "register", "--print"}, exitOK, `"name": "stance"`, ""},
		{[]string{"--nope", "serve"}, exitBadUsage, "", "flag --nope before the subcommand"},
		{[]string{"--config"}, exitBadUsage, "", "flag --config needs a value"},
		{[]string{"serve", "stray"}, exitBadUsage, "", `unexpected argument "stray"`},
		{[]string{"version", "stray"}, exitBadUsage, "", `unexpected argument "stray"`},
	} {
		code, out, errOut := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d (want %d)\nstdout %.300q (want %q)\nstderr %.300q (want %q)", tc.args, code, tc.code, out, tc.out, errOut, tc.err)
		}
	}
}

// TestHelpExitsZero: -h of every subcommand, and of briefbot itself, exits
// 0 with the usage; the top-level usage names the global flags.
func TestHelpExitsZero(t *testing.T) {
	for _, sc := range subcommands() {
		args := []string{sc.name, "-h"}
		code, _, errOut := runCLI(args...)
		if code != exitOK || !strings.Contains(errOut, "usage: briefbot "+strings.Fields(usageLine(sc.name))[0]) {
			t.Errorf("%q: exit %d, stderr %.200q", args, code, errOut)
		}
	}
	code, out, _ := runCLI("-h")
	for _, flag := range []string{"--config FILE", "--corpus DIR", "--briefs DIR"} {
		if code != exitOK || !strings.Contains(out, flag) {
			t.Errorf("briefbot -h: exit %d; usage lacks %s:\n%s", code, flag, out)
		}
	}
}

// TestVersionLine: version names the module version and the revision from
// the build information, or says that the revision is unknown.
func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: modulePath, Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.time", Value: "2025-08-22T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionLine("dev", info)
	want := "v1.4.0, module github.com/briefbot/briefbot@v1.4.0, revision 0123abc (modified) of 2025-08-22T10:00:00Z, go1.26.8"
	if got != want {
		t.Errorf("versionLine = %q\nwant %q", got, want)
	}
	if got := versionLine("v2.0.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: modulePath, Version: "(devel)"}}); !strings.HasPrefix(got, "v2.0.0, module github.com/briefbot/briefbot@(devel), revision unknown") {
		t.Errorf("versionLine without VCS = %q", got)
	}
	if code, out, _ := runCLI("version"); code != exitOK || !strings.Contains(out, "module github.com/briefbot/briefbot") {
		t.Errorf("briefbot version: exit %d, %q", code, out)
	}
}
