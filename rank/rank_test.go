package rank_test

import (
	"slices"
	"testing"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
)

func shipped(tb testing.TB) *rank.Index {
	tb.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		tb.Fatal(err)
	}
	return rank.Build(set)
}

func TestWords(t *testing.T) {
	got := rank.Words("Will Poland's Kosiniak-Kamysz send troops? Selenskyj, Władysław, the US, ÆSIR", 0)
	var texts []string
	for _, w := range got {
		texts = append(texts, w.Text)
	}
	want := []string{"will", "poland", "s", "kosiniak", "kamysz", "send", "troops", "selenskyj", "wladyslaw", "the", "us", "aesir"}
	if !slices.Equal(texts, want) {
		t.Fatalf("Words = %q, want %q", texts, want)
	}
	if !got[10].Upper || got[0].Upper || got[9].Upper {
		t.Errorf("capitals: us %v, will %v, the %v", got[10].Upper, got[0].Upper, got[9].Upper)
	}
	if n := len(rank.Words("a b c d e f", 3)); n != 3 {
		t.Errorf("limit 3 gave %d words", n)
	}
	if n := len(rank.Words("\xff\xfe ?!? ", 0)); n != 0 {
		t.Errorf("no words expected, got %d", n)
	}
}

func TestSpot(t *testing.T) {
	ix := shipped(t)
	for _, tc := range []struct {
		text string
		want []rank.Entity
	}{
		{"what do the americans think", []rank.Entity{{"actor", "united-states"}}},
		{"tell us about Poland", []rank.Entity{{"actor", "poland"}}},
		{"will the us send troops", []rank.Entity{{"actor", "united-states"}, {"option", "ground-troops"}}},
		{"What did the US say", []rank.Entity{{"actor", "united-states"}}},
		{"Selenskyj and kyiv", []rank.Entity{{"person", "zelensky"}, {"actor", "ukraine"}}},
		{"will ukraine join nato", []rank.Entity{{"actor", "ukraine"}, {"option", "nato-membership"}}},
		{"what is in d004", []rank.Entity{{"document", "d004"}}},
	} {
		var got []rank.Entity
		for _, m := range ix.Spot(rank.Words(tc.text, 0)) {
			got = append(got, m.Entities...)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Spot(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func query(ix *rank.Index, text string) ([]rank.QueryTerm, float32) {
	words := rank.Words(text, 0)
	var q []rank.QueryTerm
	var extra float32
	used := map[int]bool{}
	for _, m := range ix.Spot(words) {
		for i := m.Start; i < m.End; i++ {
			used[i] = true
		}
		for _, e := range m.Entities {
			q = append(q, rank.QueryTerm{Key: e.Term(), Weight: 1})
		}
	}
	for i, w := range words {
		if used[i] || rank.IsStop(w.Text) {
			continue
		}
		st, known := ix.StemOf(w.Text)
		if !known {
			extra += ix.MaxIDF()
			continue
		}
		q = append(q, rank.QueryTerm{Key: st, Weight: 1})
	}
	return q, extra
}

func TestSearch(t *testing.T) {
	ix := shipped(t)
	q, extra := query(ix, "Polish soldiers in Ukraine")
	hits := ix.Search(q, extra, nil, 3)
	if len(hits) == 0 || hits[0].Claim.ID != "poland-no-troops" {
		t.Fatalf("best hit for Polish soldiers: %+v", hits)
	}
	if hits[0].Coverage < 0.9 {
		t.Errorf("coverage %.2f, want nearly all of the question", hits[0].Coverage)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits out of order: %+v", hits)
		}
	}
	q, extra = query(ix, "capital of australia")
	if hits := ix.Search(q, extra, nil, 3); len(hits) != 0 {
		t.Errorf("capital of australia matched %v", hits[0].Claim.ID)
	}
	keep := func(c *briefs.Claim) bool { return c.Brief.ID == "germany" }
	q, extra = query(ix, "troops")
	for _, h := range ix.Search(q, extra, keep, 5) {
		if h.Claim.Brief.ID != "germany" {
			t.Errorf("filter let %s through", h.Claim.ID)
		}
	}
}
