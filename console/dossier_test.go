package console

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// TestDossierPicker: the console lists the dossiers and asks one command
// of the picked one, completing names from it.
func TestDossierPicker(t *testing.T) {
	var sets []*briefs.Set
	for _, src := range []briefs.Source{{}, briefs.FolderSource("../testdata/dossiers/velmora")} {
		set, err := src.Load()
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set)
	}
	e, err := bot.NewDossiers(sets, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, Options{Engine: e})
	_, body := get(t, srv.URL+"/api/dossiers")
	var list []bot.DossierInfo
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 2 || !list[0].Default || list[1].Slug != "velmora" {
		t.Fatalf("dossiers: %v %s", err, body)
	}
	_, body = post(t, srv.URL+"/api/ask", "application/json", `{"command":"/who reed","dossier":"velmora"}`)
	if !strings.Contains(string(body), `"outcome":"ok"`) || !strings.Contains(string(body), "Tomas Reed") {
		t.Errorf("ask with the picker: %s", body)
	}
	_, body = post(t, srv.URL+"/api/ask", "application/json", `{"command":"/who reed","dossier":"nowhere"}`)
	if !strings.Contains(string(body), "No dossier by that name") {
		t.Errorf("unknown dossier: %s", body)
	}
	_, body = get(t, srv.URL+"/api/complete?kind=actor&q=pil&dossier=velmora")
	if !strings.Contains(string(body), `"value":"pilots"`) {
		t.Errorf("complete in velmora: %s", body)
	}
}
