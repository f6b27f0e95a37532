package health

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
)

func probe(t *testing.T, c *Checker) (int, Report) {
	t.Helper()
	rec := httptest.NewRecorder()
	c.ReadyHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var rep Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("readyz body %q: %v", rec.Body, err)
	}
	return rec.Code, rep
}

func TestReadyWhenEveryCheckPasses(t *testing.T) {
	var c Checker
	c.Add("briefs", func(context.Context) (string, error) { return "3 briefs", nil })
	c.Note("reload", func() string { return "" })
	code, rep := probe(t, &c)
	if code != 200 || !rep.Ready || len(rep.Checks) != 1 || rep.Checks[0].Detail != "3 briefs" || len(rep.Notes) != 0 {
		t.Errorf("got %d %+v", code, rep)
	}
}

func TestNotReadyNamesThePart(t *testing.T) {
	var c Checker
	c.Add("briefs", func(context.Context) (string, error) { return "ok", nil })
	c.Add("slack", func(context.Context) (string, error) { return "", errors.New("socket mode not connected") })
	c.Add("store", func(context.Context) (string, error) { panic("driver bug") })
	code, rep := probe(t, &c)
	if code != 503 || rep.Ready {
		t.Fatalf("got %d ready=%v, want 503 not ready", code, rep.Ready)
	}
	want := map[string]bool{"briefs": true, "slack": false, "store": false}
	for _, r := range rep.Checks {
		if r.OK != want[r.Name] {
			t.Errorf("check %s ok=%v detail=%q", r.Name, r.OK, r.Detail)
		}
		if r.Name == "slack" && r.Detail != "socket mode not connected" {
			t.Errorf("slack detail %q does not say why", r.Detail)
		}
	}
}

func TestNoteDoesNotMakeUnready(t *testing.T) {
	var c Checker
	c.Add("briefs", func(context.Context) (string, error) { return "ok", nil })
	c.Note("reload", func() string { return "last reload failed: 2 problems" })
	code, rep := probe(t, &c)
	if code != 200 || !rep.Ready || len(rep.Notes) != 1 || rep.Notes[0].Detail != "last reload failed: 2 problems" {
		t.Errorf("got %d %+v", code, rep)
	}
}

func TestHungCheckTimesOut(t *testing.T) {
	var c Checker
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	block := make(chan struct{})
	defer close(block)
	c.Add("store", func(context.Context) (string, error) { <-block; return "", nil })
	rep := c.Check(ctx)
	if rep.Ready || rep.Checks[0].OK {
		t.Errorf("a check that never answers counted as ready: %+v", rep)
	}
}
