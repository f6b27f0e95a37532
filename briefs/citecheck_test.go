package briefs_test

import (
	"os"
	"testing"

	"github.com/briefbot/briefbot/briefs"
)

// TestMissingDocumentReportedOnce: a document the corpus lacks is one
// problem, however many claims and citations name it, and the quotes of
// those claims (which cannot be checked) add none.
func TestMissingDocumentReportedOnce(t *testing.T) {
	_, problems := briefs.Load(os.DirFS("testdata/broken/missing-document-cited-twice"), "x", loadCorpus(t))
	if len(problems) != 1 || problems[0].Doc != "d999" {
		t.Errorf("want one problem naming d999, got:\n%v", problems)
	}
}
