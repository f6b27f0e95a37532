package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDossiers: check validates every configured dossier, names the
// dossier in each problem and both dossiers that share a slug, and says
// which commands each answers.
func TestCheckDossiers(t *testing.T) {
	t.Parallel() // beside the tests that wait
	dir := t.TempDir()
	velmora := filepath.Join(dir, "velmora")
	twin := filepath.Join(dir, "twin")
	broken := filepath.Join(dir, "broken")
	for _, d := range []string{velmora, twin, broken} {
		if err := os.CopyFS(d, os.DirFS("../../testdata/dossiers/velmora")); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "briefbot.yaml")
	write := func(body string) {
		if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dossiers:\n  folders: [" + velmora + "]\n")
	code, out, errs := runCLI("check", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "ok: dossier velmora") || !strings.Contains(out, `dossier velmora: has nothing for /demands (no topic brief with id "demands")`) {
		t.Fatalf("one extra dossier: %d\n%s\n%s", code, out, errs)
	}
	write("dossiers:\n  folders: [" + velmora + ", " + twin + "]\n")
	code, _, errs = runCLI("check", "--config", cfg)
	if code != exitFailure || !strings.Contains(errs, "dossier "+twin+`: slug "velmora" is also the slug of dossier `+velmora) ||
		!strings.Contains(errs, "dossier "+velmora+`: slug "velmora" is also the slug of dossier `+twin) {
		t.Errorf("duplicate slugs: %d\n%s", code, errs)
	}
	if err := os.WriteFile(filepath.Join(broken, "briefs", "dossier.yaml"), []byte("kind: dossier\nslug: Bad Slug\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write("dossiers:\n  root: " + dir + "\n  default: nowhere\n")
	code, _, errs = runCLI("check", "--config", cfg)
	if code != exitFailure || !strings.Contains(errs, "dossier "+broken+":") || !strings.Contains(errs, `dossier slug "Bad Slug"`) {
		t.Errorf("broken dossier: %d\n%s", code, errs)
	}
	code, out, errs = runCLI("ask", "--config", filepath.Join(dir, "none.yaml"), "/stance in:velmora pilots")
	if code == exitOK {
		t.Errorf("ask with a missing config: %d %s %s", code, out, errs)
	}
	write("dossiers:\n  folders: [" + velmora + "]\n")
	code, out, _ = runCLI("ask", "--config", cfg, "/stance in:velmora pilots")
	if code != exitOK || !strings.Contains(out, "Harbour Pilots' Guild: stance on the harbour measures") {
		t.Errorf("ask in:velmora: %d\n%s", code, out)
	}
}
