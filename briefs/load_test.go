package briefs_test

import (
	"testing"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

func loadCorpus(t testing.TB) *seeds.Corpus {
	t.Helper()
	c, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatalf("load corpus: %v", err)
	}
	return c
}

// TestShippedBriefsValid runs the same validation as `briefbot check` over the
// embedded briefs, so a wrong brief cannot land.
func TestShippedBriefsValid(t *testing.T) {
	set, problems := briefs.Load(briefs.Embedded(), "briefs", loadCorpus(t))
	for _, p := range problems {
		t.Error(p)
	}
	if set == nil {
		t.Fatal("no set loaded")
	}
	if len(set.OfKind(briefs.KindActor)) == 0 || len(set.OfKind(briefs.KindOption)) == 0 {
		t.Fatal("no actor or option briefs shipped")
	}
}
