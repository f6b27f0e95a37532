package draft

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/seeds"
)

// LoadSet loads the briefs a draft is made against, from dir or, when dir
// is empty, the embedded ones. A folder with no brief files yet is an
// empty set.
func LoadSet(dir string, corpus *seeds.Corpus) (*briefs.Set, error) {
	if dir != "" && !hasYAML(dir) {
		return &briefs.Set{Corpus: corpus}, nil
	}
	fsys, prefix := briefs.Dir(dir)
	set, problems := briefs.Load(fsys, prefix, corpus)
	if len(problems) > 0 {
		return nil, problems
	}
	return set, nil
}

func hasYAML(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// Write puts a draft file at path inside briefsDir, replacing an existing
// file only when force is set, then loads the briefs folder with it as
// check would. A draft that does not load is taken back (the file it
// replaced restored), so the folder is never left broken.
func Write(path string, raw []byte, force bool, briefsDir string, corpus *seeds.Corpus) error {
	old, err := os.ReadFile(path)
	switch {
	case err == nil && !force:
		return fmt.Errorf("%s exists (a draft being reviewed?); --force replaces it", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := ingest.WriteAtomic(path, raw); err != nil {
		return err
	}
	if _, err := LoadSet(briefsDir, corpus); err != nil {
		if old != nil {
			_ = ingest.WriteAtomic(path, old)
		} else {
			_ = os.Remove(path)
		}
		return fmt.Errorf("the briefs would not load with the draft, so it was not kept:\n%w", err)
	}
	return nil
}
