package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the checked-in Slack manifests")

// TestSlackManifestsCheckedIn: the manifests in the repository are exactly
// what `briefbot slack manifest` prints for Socket Mode and for HTTP, from
// the whole command table, /digest included.
func TestSlackManifestsCheckedIn(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"../../bot/slack/manifest.yaml", []string{"--socket-mode"}},
		{"../../bot/slack/manifest-http.yaml", []string{"--url", "https://briefbot.example.com"}},
	} {
		code, out, errOut := runCLI(append([]string{"slack", "manifest"}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if *update {
			if err := os.WriteFile(tc.file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("%s differs from the generated manifest; run go test ./cmd/briefbot -run TestSlackManifestsCheckedIn -update\ngot:\n%s", tc.file, out)
		}
		if !strings.Contains(out, "/digest") || !strings.Contains(out, "/whois") || !strings.Contains(out, "channels:history") {
			t.Errorf("manifest lacks /digest, /whois or channels:history:\n%s", out)
		}
	}
}
