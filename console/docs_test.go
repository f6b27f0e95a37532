package console

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/briefs"
)

func TestDocumentsAPI(t *testing.T) {
	set, err := loadSet()
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, Options{Set: func() *briefs.Set { return set }})
	resp, body := get(t, srv.URL+"/api/docs")
	var list docsResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil || len(list.Documents) != 5 {
		t.Fatalf("GET /api/docs: %d %s", resp.StatusCode, body)
	}
	d0 := list.Documents[0]
	if d0.ID != "d000" || d0.Date != "undated, not before 20 August 2025" || d0.Article == 0 || d0.Cited == 0 || d0.Cited > d0.Article {
		t.Errorf("d000 summary %+v", d0)
	}
	resp, body = get(t, srv.URL+"/api/docs/d000")
	var doc docResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &doc) != nil {
		t.Fatalf("GET /api/docs/d000: %d %s", resp.StatusCode, body)
	}
	byID := map[string]docParagraph{}
	for _, p := range doc.Paragraphs {
		byID[p.ID] = p
	}
	if p := byID["p24"]; len(p.Claims) == 0 || !strings.Contains(p.Text, "Polish soldiers") || p.Claims[0].BriefName == "" {
		t.Errorf("p24 %+v", p)
	}
	if p := byID["p25"]; p.Furniture != "embedded post" || len(p.Claims) != 0 {
		t.Errorf("p25 %+v", p)
	}
	if p := byID["p5"]; p.Raw == "" || strings.Contains(p.Text, "Show more") {
		t.Errorf("a paragraph with a furniture suffix shows its text and its raw line: %+v", p)
	}
	for _, bad := range []string{"/api/docs/d999", "/api/docs/%3Cscript%3E"} {
		if resp, body := get(t, srv.URL+bad); resp.StatusCode != 404 || !strings.Contains(string(body), "no document") {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
		}
	}
}

func TestDocumentsAPIShowsNoDraft(t *testing.T) {
	set, err := loadSet()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"topics/d.yaml": {Data: []byte("kind: topic\nid: d\nname: D\nsections:\n  - heading: x\n    claims:\n      - {id: d-1, draft: true, text: SECRET DRAFT, cite: [d000:p23]}\n      - {id: d-2, text: A reviewed claim., cite: [d000:p23]}\n")}}
	small, problems := briefs.Load(fsys, "b", set.Corpus)
	if problems != nil {
		t.Fatal(problems)
	}
	srv := newServer(t, Options{Set: func() *briefs.Set { return small }})
	_, body := get(t, srv.URL+"/api/docs/d000")
	if strings.Contains(string(body), "SECRET DRAFT") || !strings.Contains(string(body), `"drafts":1`) || !strings.Contains(string(body), "A reviewed claim.") {
		t.Errorf("draft shown or not counted: %s", body)
	}
	_, body = get(t, srv.URL+"/api/docs")
	if !strings.Contains(string(body), `"drafts":1`) {
		t.Errorf("drafts not counted: %s", body)
	}
}

func TestDocumentsAPIOff(t *testing.T) {
	srv := newServer(t, Options{})
	if resp, _ := get(t, srv.URL+"/api/docs"); resp.StatusCode != 404 {
		t.Errorf("status %d", resp.StatusCode)
	}
}
