package briefs_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/briefs"
)

// TestDraftsAreSetAside: a draft claim is validated against the corpus but
// kept out of every brief of the served set, and a brief holding only drafts
// is not served at all.
func TestDraftsAreSetAside(t *testing.T) {
	fsys := fstest.MapFS{
		"actors/poland.yaml": {Data: []byte(`kind: actor
id: poland
name: Poland
sections:
  - heading: Troops
    claims:
      - id: poland-no-troops
        text: Poland does not plan to send soldiers to Ukraine.
        cite: [d000:p24]
      - id: poland-draft
        draft: true
        text: ""
        cite: [d001:p7]
        drafted:
          text: nothing offered
          quotes: [{quote: "x", speaker: someone, guessed: said someone}]
`)},
		"topics/draft-d001.yaml": {Data: []byte(`kind: topic
id: draft-d001
name: "Draft: d001"
sections:
  - heading: d001:p3
    claims:
      - id: d001-p3
        draft: true
        text: A sentence offered as a starting point.
        cite: [d001:p3]
`)},
	}
	set, problems := briefs.Load(fsys, "b", loadCorpus(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if len(set.Drafts) != 2 || set.Drafts[0].ID != "poland-draft" || set.Drafts[1].ID != "d001-p3" {
		t.Fatalf("drafts = %v", set.Drafts)
	}
	for _, c := range set.Claims() {
		if c.Draft {
			t.Errorf("draft %s served", c.ID)
		}
	}
	if _, ok := set.Claim("poland-draft"); ok {
		t.Error("a draft claim is found by id")
	}
	if _, ok := set.Brief("draft-d001"); ok || len(set.Briefs) != 1 {
		t.Errorf("a brief of drafts only is served: %d briefs", len(set.Briefs))
	}
	if got := briefs.DraftLabel(set.Drafts[0]); !strings.Contains(got, "b/actors/poland.yaml:10: poland-draft cites d001:p7 (write the claim sentence)") {
		t.Errorf("label %q", got)
	}
	uncited := briefs.Uncited(set)
	for _, u := range uncited {
		if u.Doc == "d000" && u.Para.ID == "p24" {
			t.Error("d000:p24 is cited by a reviewed claim")
		}
	}
	found := false
	for _, u := range uncited {
		found = found || (u.Doc == "d001" && u.Para.ID == "p7")
	}
	if !found {
		t.Error("a paragraph cited only by a draft counts as covered")
	}
}
