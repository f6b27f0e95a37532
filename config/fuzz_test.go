package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/config"
)

// FuzzLoad feeds arbitrary configuration files to Load: it must never
// panic, and a refused file gets problems that each say where they are:
// the file (and line), or the configuration as a whole.
func FuzzLoad(f *testing.F) {
	example, err := os.ReadFile("briefbot.example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte("addr: nowhere\nlog: {level: loud}\nslack: {mode: socket, bot_token: nope, post_rate: 1e309}\n"))
	f.Add([]byte("digests: {grace: -1h, schedules: [{name: a, cron: '* * * * *', targets: [slack:C1]}]}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := filepath.Join(dir, "briefbot.yaml")
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(p, func(string) string { return "" })
		for _, line := range strings.Split(errString(err), "\n") {
			if err != nil && !strings.HasPrefix(line, p+":") && !strings.HasPrefix(line, p+": ") && !strings.HasPrefix(line, "config: ") {
				t.Fatalf("a problem does not say where it is: %q", line)
			}
		}
		if err == nil && cfg.Validate() != nil {
			t.Fatal("loaded a config that does not validate")
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
