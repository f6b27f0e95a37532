package briefs

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/briefbot/briefbot/seeds"
)

// Dir returns the brief files in dir, or the embedded ones when dir is
// empty, with the prefix problems name files by.
func Dir(dir string) (fs.FS, string) {
	if dir == "" {
		return Embedded(), "briefs"
	}
	return os.DirFS(dir), dir
}

// LoadDirs loads the corpus and the briefs, each from a folder or, when the
// folder is empty, from the embedded default. The error lists every problem.
func LoadDirs(corpusDir, briefsDir string) (*Set, error) {
	corpus, err := seeds.Load(seeds.Dir(corpusDir))
	if err != nil {
		return nil, err
	}
	fsys, prefix := Dir(briefsDir)
	set, problems := Load(fsys, prefix, corpus)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%d problem(s) in the briefs:\n%w", len(problems), problems)
	}
	return set, nil
}
