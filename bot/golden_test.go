package bot_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins the text rendering of every command over the shipped
// briefs. After a deliberate change to briefs or rendering, run
// `go test ./bot -run Golden -update` and review the diff.
func TestGolden(t *testing.T) {
	e := shipped(t)
	for _, cmd := range []string{
		"/help", "/help compare",
		"/stance poland", "/stance united kingdom", "/stance russia", "/stance us",
		"/options", "/options air cover", "/options article 5",
		"/demands", "/timeline", "/disputes", "/matrix", "/questions",
		"/who zelensky", "/who lavrov",
		"/compare france germany",
		"/sources", "/sources d001",
		"/stance narnia",
	} {
		name := strings.NewReplacer("/", "", " ", "_").Replace(cmd)
		t.Run(name, func(t *testing.T) {
			got := bot.RenderText(e.Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: cmd}))
			path := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s changed; run go test ./bot -run Golden -update and review the diff.\ngot:\n%s", cmd, got)
			}
		})
	}
}
