package briefs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// Source is where one dossier is read from: a corpus folder and a briefs
// folder, each empty for the embedded one.
type Source struct {
	CorpusDir string
	BriefsDir string
}

// FolderSource is the dossier in one folder: documents.yaml and docs/ at
// its top, the brief files in briefs/.
func FolderSource(dir string) Source {
	return Source{CorpusDir: dir, BriefsDir: filepath.Join(dir, "briefs")}
}

// Name is how problems name the source: its folder, or "embedded".
func (s Source) Name() string {
	switch {
	case s.CorpusDir == "" && s.BriefsDir == "":
		return "embedded"
	case s.CorpusDir == "":
		return s.BriefsDir
	}
	return s.CorpusDir
}

// defaultSlug is the slug of a dossier whose folder has no dossier file:
// the folder's name.
func (s Source) defaultSlug() string {
	dir := s.CorpusDir
	if dir == "" {
		dir = filepath.Dir(s.BriefsDir)
	}
	if dir == "" || dir == "." {
		return "default"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return SlugOf(filepath.Base(dir))
	}
	return SlugOf(filepath.Base(abs))
}

// Load loads the dossier. A set with no dossier file is given one with the
// folder's name as its slug.
func (s Source) Load() (*Set, error) {
	set, err := LoadDirs(s.CorpusDir, s.BriefsDir)
	if err != nil {
		return nil, err
	}
	if set.Dossier == nil {
		set.Dossier = &Dossier{Kind: KindDossier}
	}
	if set.Dossier.Slug == "" {
		d := *set.Dossier
		d.Slug = s.defaultSlug()
		set.Dossier = &d
	}
	return set, nil
}

// Sources lists the dossiers to serve: the first (corpusDir and briefsDir,
// or the embedded one), then each folder, then each subfolder of root that
// holds a documents.yaml, in name order.
func Sources(corpusDir, briefsDir string, folders []string, root string) ([]Source, error) {
	out := []Source{{CorpusDir: corpusDir, BriefsDir: briefsDir}}
	for _, f := range folders {
		out = append(out, FolderSource(f))
	}
	if root == "" {
		return out, nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return out, fmt.Errorf("dossiers root %s: %w", root, err)
	}
	var names []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, e.Name(), "documents.yaml")); e.IsDir() && err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, FolderSource(filepath.Join(root, n)))
	}
	return out, nil
}

// loadEach loads the sources side by side, one per processor.
func loadEach(srcs []Source, out []Loaded) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Go(func() {
			for i := range next {
				set, err := srcs[i].Load()
				out[i] = Loaded{Source: srcs[i], Set: set, Err: err}
			}
		})
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Loaded is one dossier as loaded: its set, or why it did not load.
type Loaded struct {
	Source Source
	Set    *Set
	Err    error
}

// LoadAll loads every source. Each problem names its dossier; two
// dossiers with one slug are both refused, each naming the other.
func LoadAll(srcs []Source) []Loaded {
	out := make([]Loaded, len(srcs))
	loadEach(srcs, out)
	bySlug := map[string]int{}
	for i, s := range srcs {
		set, err := out[i].Set, out[i].Err
		out[i].Err = nil
		if err != nil {
			out[i].Err = fmt.Errorf("dossier %s: %w", s.Name(), err)
			continue
		}
		slug := set.Dossier.Slug
		if j, dup := bySlug[slug]; dup {
			out[i].Set, out[i].Err = nil, fmt.Errorf("dossier %s: slug %q is also the slug of dossier %s; give each dossier its own slug in its dossier.yaml", s.Name(), slug, srcs[j].Name())
			out[j].Set = nil
			out[j].Err = errors.Join(out[j].Err, fmt.Errorf("dossier %s: slug %q is also the slug of dossier %s", srcs[j].Name(), slug, s.Name()))
			continue
		}
		bySlug[slug] = i
	}
	return out
}
