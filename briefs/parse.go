package briefs

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// parsedFile is one brief file read and decoded (YAML parsing is most of
// the cost of a load), before it joins the set in file order.
type parsedFile struct {
	display  string
	root     yaml.Node
	head     fileHead
	brief    *Brief       // kinds actor, option, person and topic
	disputes *disputeFile // kind disputes
	dossier  *Dossier     // kind dossier
	problem  *Problem     // why the file cannot join the set
}

// parseFiles reads and decodes files side by side, one worker per
// processor; the results keep the order of files.
func parseFiles(fsys fs.FS, prefix string, files []string) []*parsedFile {
	out := make([]*parsedFile, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				out[i] = parseFile(fsys, path.Join(prefix, files[i]), files[i])
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// parseFile reads one file, parses it to a node tree, learns its kind and
// decodes it strictly (unknown keys are problems).
func parseFile(fsys fs.FS, display, name string) *parsedFile {
	pf := &parsedFile{display: display}
	fail := func(line int, format string, args ...any) *parsedFile {
		pf.problem = &Problem{File: display, Line: line, Msg: fmt.Sprintf(format, args...)}
		return pf
	}
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fail(0, "cannot read: %v", err)
	}
	if len(raw) > maxFileSize {
		return fail(0, "file is %d bytes, more than the %d allowed", len(raw), maxFileSize)
	}
	if err := yaml.Unmarshal(raw, &pf.root); err != nil {
		return fail(yamlLine(err), "not valid YAML: %v", err)
	}
	if err := pf.root.Decode(&pf.head); err != nil {
		return fail(1, "a brief file must be a mapping with a kind: %v", err)
	}
	var v any
	switch pf.head.Kind {
	case KindActor, KindOption, KindPerson, KindTopic:
		pf.brief = &Brief{}
		v = pf.brief
	case KindDossier:
		pf.dossier = &Dossier{}
		v = pf.dossier
	case "disputes":
		pf.disputes = &disputeFile{}
		v = pf.disputes
	default:
		return pf // an unknown kind, reported with its line by addFile
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fail(yamlLine(err), "%v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return pf
}
