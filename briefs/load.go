package briefs

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/seeds"
)

// Problem is one thing wrong with the briefs, located by file and line.
// Doc names the document when the problem is that the corpus lacks it.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
	Doc  string `json:"doc,omitempty"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is every problem found in one load.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// maxFileSize bounds one brief file, so a broken or hostile file cannot
// exhaust memory.
const maxFileSize = 1 << 20

// Load reads every *.yaml file under fsys (prefix is how files are named in
// problems, e.g. "briefs"), validates the whole set against the corpus and
// returns it. When anything is wrong it returns all problems and no set.
func Load(fsys fs.FS, prefix string, corpus *seeds.Corpus) (*Set, Problems) {
	l := &loader{prefix: prefix, set: &Set{Corpus: corpus}}
	files, err := yamlFiles(fsys)
	if err != nil {
		return nil, Problems{{File: prefix, Msg: err.Error()}}
	}
	if len(files) == 0 {
		return nil, Problems{{File: prefix, Msg: "no brief files (*.yaml) found"}}
	}
	for _, pf := range parseFiles(fsys, prefix, files) {
		l.addFile(pf)
	}
	l.index()
	l.validate()
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			a, b := l.problems[i], l.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, l.problems
	}
	l.set.setAsideDrafts()
	return l.set, nil
}

type loader struct {
	prefix   string
	set      *Set
	problems Problems
	norm     map[string]string // paragraph text → Normalize(text), while validating
	// missing are the documents cited that the corpus lacks, each reported
	// once (citecheck.go).
	missing      map[string]*missingDoc
	missingOrder []string
}

func (l *loader) add(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func yamlFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && p != ".")) {
			return fs.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// fileHead is read first to learn the kind of a file.
type fileHead struct {
	Kind string `yaml:"kind"`
}

type disputeFile struct {
	Kind     string     `yaml:"kind"`
	Disputes []*Dispute `yaml:"disputes"`
}

// addFile adds one parsed file to the set, or its problems.
func (l *loader) addFile(pf *parsedFile) {
	if pf.problem != nil {
		l.problems = append(l.problems, *pf.problem)
		return
	}
	display, root, head := pf.display, &pf.root, pf.head
	switch head.Kind {
	case KindActor, KindOption, KindPerson, KindTopic:
		b := pf.brief
		b.File, b.Line = display, docLine(root)
		attachLines(b, root)
		l.dropEmptyClaims(b, root)
		l.set.Briefs = append(l.set.Briefs, b)
	case KindDossier:
		l.addDossier(display, pf.dossier, root)
	case "disputes":
		df := pf.disputes
		items := seqItems(mapValue(docNode(root), "disputes"))
		for i, d := range df.Disputes {
			if d == nil {
				l.add(display, lineAt(items, i), "empty dispute: each needs an id, what it is about and its claims")
				continue
			}
			d.File, d.Line = display, lineAt(items, i)
			l.set.Disputes = append(l.set.Disputes, d)
		}
	default:
		l.add(display, docLine(root), "unknown kind %q (want actor, option, person, topic, disputes or dossier)", head.Kind)
	}
}

func (l *loader) addDossier(display string, d *Dossier, root *yaml.Node) {
	if prev := l.set.Dossier; prev != nil {
		l.add(display, docLine(root), "a second dossier file (the first is %s:%d); a folder holds one dossier", prev.File, prev.Line)
		return
	}
	d.File, d.Line = display, docLine(root)
	l.set.Dossier = d
}

// dropEmptyClaims reports and removes list entries with nothing in them
// ("- " alone), which decode as no claim at all.
func (l *loader) dropEmptyClaims(b *Brief, root *yaml.Node) {
	secs := seqItems(mapValue(docNode(root), "sections"))
	for i := range b.Sections {
		sec := &b.Sections[i]
		var items []*yaml.Node
		if i < len(secs) {
			items = seqItems(mapValue(secs[i], "claims"))
		}
		kept := sec.Claims[:0]
		for j, c := range sec.Claims {
			if c == nil {
				l.add(b.File, lineAt(items, j), "empty claim: each needs an id, a text and a citation")
				continue
			}
			kept = append(kept, c)
		}
		sec.Claims = kept
	}
}

func (l *loader) index() {
	s := l.set
	s.byID = make(map[string]*Brief, len(s.Briefs))
	s.claims = make(map[string]*Claim)
	s.disputes = make(map[string][]*Dispute)
	for _, b := range s.Briefs {
		if prev, dup := s.byID[b.ID]; dup && b.ID != "" {
			l.add(b.File, b.Line, "duplicate brief id %q (also %s:%d)", b.ID, prev.File, prev.Line)
		} else {
			s.byID[b.ID] = b
		}
		for _, sec := range b.Sections {
			for _, c := range sec.Claims {
				c.Brief = b
				if prev, dup := s.claims[c.ID]; dup && c.ID != "" {
					l.add(b.File, c.Line, "duplicate claim id %q (also %s:%d)", c.ID, prev.Brief.File, prev.Line)
					continue
				}
				s.claims[c.ID] = c
			}
		}
	}
	seen := map[string]*Dispute{}
	for _, d := range s.Disputes {
		if prev, dup := seen[d.ID]; dup {
			l.add(d.File, d.Line, "duplicate dispute id %q (also line %d)", d.ID, prev.Line)
		}
		seen[d.ID] = d
		for _, id := range d.Claims {
			s.disputes[id] = append(s.disputes[id], d)
		}
	}
}
