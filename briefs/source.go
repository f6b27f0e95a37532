package briefs

import (
	"fmt"
	"io/fs"
	"os"

	"briefbot/seeds"
)

// LoadDirs loads the corpus and the briefs, each from a folder or, when the
// folder is empty, from the embedded default. The error lists every problem.
func LoadDirs(corpusDir, briefsDir string) (*Set, error) {
	var corpusFS fs.FS = seeds.Embedded()
	if corpusDir != "" {
		corpusFS = os.DirFS(corpusDir)
	}
	corpus, err := seeds.Load(corpusFS)
	if err != nil {
		return nil, err
	}
	var briefsFS fs.FS = Embedded()
	prefix := "briefs"
	if briefsDir != "" {
		briefsFS, prefix = os.DirFS(briefsDir), briefsDir
	}
	set, problems := Load(briefsFS, prefix, corpus)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%d problem(s) in the briefs:\n%w", len(problems), problems)
	}
	return set, nil
}
