package briefs_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/briefs"
)

// FuzzLoadBrief feeds one brief file of arbitrary content to the loader,
// as a user's own briefs folder would: it must never panic, and either
// loads or names at least one problem, each with the file it is in.
func FuzzLoadBrief(f *testing.F) {
	corpus := loadCorpus(f)
	err := fs.WalkDir(briefs.Embedded(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		raw, err := fs.ReadFile(briefs.Embedded(), path)
		if err == nil && len(raw) < 16<<10 {
			f.Add(raw)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("id: x\nkind: actor\n"))
	f.Add([]byte("- [\n"))
	f.Add([]byte("&a [*a, *a, *a]"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		set, problems := briefs.Load(fstest.MapFS{"actors/fuzz.yaml": {Data: raw}}, "briefs", corpus)
		if set == nil && len(problems) == 0 {
			t.Fatal("no set and no problem named")
		}
		for _, p := range problems {
			if p.File == "" || p.Msg == "" {
				t.Fatalf("problem without a file or message: %+v", p)
			}
		}
	})
}
