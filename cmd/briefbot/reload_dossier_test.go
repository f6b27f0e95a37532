package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
)

// TestReloadOneDossier: a dossier that breaks on reload keeps its last
// good version, the log and /readyz say which and why, and the other
// dossier reloads meanwhile.
func TestReloadOneDossier(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "velmora")
	if err := os.CopyFS(dir, os.DirFS("../../testdata/dossiers/velmora")); err != nil {
		t.Fatal(err)
	}
	srcs := []briefs.Source{{}, briefs.FolderSource(dir)}
	var sets []*briefs.Set
	for _, l := range briefs.LoadAll(srcs) {
		if l.Err != nil {
			t.Fatal(l.Err)
		}
		sets = append(sets, l.Set)
	}
	engine, err := bot.NewDossiers(sets, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	o := newOps(&config.Config{}, opsFlags{}, slog.New(slog.NewTextHandler(&logs, nil)))
	var wg sync.WaitGroup
	shipped := o.dossierReloader(context.Background(), &wg, engine, srcs[0], bot.SlugOf(sets[0]))
	velmora := o.dossierReloader(context.Background(), &wg, engine, srcs[1], "velmora")
	before, _ := engine.Dossier("velmora")

	reed := filepath.Join(dir, "briefs", "people", "reed.yaml")
	if err := os.WriteFile(reed, []byte("kind: person\nid: reed\nname: [broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := velmora.Reload("test"); err == nil {
		t.Fatal("a broken dossier reloaded")
	}
	if err := shipped.Reload("test"); err != nil {
		t.Fatalf("the other dossier: %v", err)
	}
	if after, _ := engine.Dossier("velmora"); after != before {
		t.Error("the broken dossier's last good version was replaced")
	}
	r := engine.Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: "/who in:velmora reed"})
	if r.Outcome != bot.OutcomeOK {
		t.Errorf("the last good version does not answer: %s", r.Outcome)
	}
	if !strings.Contains(logs.String(), "dossier=velmora") || !strings.Contains(logs.String(), "reed.yaml") {
		t.Errorf("the log does not say which dossier and why:\n%s", logs.String())
	}
	w := httptest.NewRecorder()
	o.health.ReadyHandler().ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	if body := w.Body.String(); !strings.Contains(body, "reload velmora") || !strings.Contains(body, "reed.yaml") {
		t.Errorf("/readyz does not say why: %s", body)
	}
	good, _ := os.ReadFile("../../testdata/dossiers/velmora/briefs/people/reed.yaml")
	if err := os.WriteFile(reed, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := velmora.Reload("test"); err != nil {
		t.Fatalf("fixed dossier: %v", err)
	}
	if after, _ := engine.Dossier("velmora"); after == before {
		t.Error("the fixed dossier was not swapped in")
	}
}
