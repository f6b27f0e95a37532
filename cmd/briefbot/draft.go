package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/briefbot/briefbot/draft"
	"github.com/briefbot/briefbot/seeds"
)

func runDraft(_ context.Context, args []string, e env) int {
	fset := newFlagSet("draft", e)
	var common commonFlags
	common.register(fset)
	out := fset.String("out", "", "file to write (default BRIEFS/documents/DOC.yaml); - prints it")
	force := fset.Bool("force", false, "replace an existing draft file")
	docs, code, ok := parseFlags(fset, args)
	if !ok {
		return code
	}
	if len(docs) != 1 {
		fmt.Fprintln(e.stderr, "briefbot draft: give one document id, e.g. briefbot draft --corpus my-corpus --briefs my-briefs d005")
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "draft", err)
	}
	if cfg.BriefsDir == "" && *out != "-" {
		fmt.Fprintln(e.stderr, "briefbot draft: the embedded briefs cannot change; give a briefs folder with --briefs DIR (or --out - to print the draft)")
		return exitBadUsage
	}
	corpus, err := seeds.Load(seeds.Dir(cfg.CorpusDir))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot draft:", err)
		return exitFailure
	}
	doc, ok := corpus.Doc(docs[0])
	if !ok {
		fmt.Fprintf(e.stderr, "briefbot draft: no document %q in the corpus\n", docs[0])
		return exitBadUsage
	}
	set, err := draft.LoadSet(cfg.BriefsDir, corpus)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: the briefs do not load; fix them first:\n%v\n", err)
		return exitFailure
	}
	d := draft.Build(set, doc, time.Now())
	return writeDraft(e, d, cfg.BriefsDir, *out, *force, corpus, doc.ID, cfg.CorpusDir)
}

// writeDraft writes the draft file, then loads the briefs folder with it
// as check would; a file that does not load is taken back.
func writeDraft(e env, d *draft.Draft, briefsDir, out string, force bool, corpus *seeds.Corpus, docID, corpusDir string) int {
	if d.Brief.Sections == nil {
		fmt.Fprintf(e.stdout, "no draft written: no paragraph of %s needs a claim\n", docID)
		printSkipped(e, d)
		return exitOK
	}
	raw, err := d.YAML()
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot draft:", err)
		return exitFailure
	}
	if out == "-" {
		_, _ = e.stdout.Write(raw)
		return exitOK
	}
	if out == "" {
		out = filepath.Join(briefsDir, "documents", docID+".yaml")
	}
	if err := draft.Write(out, raw, force, briefsDir, corpus); err != nil {
		fmt.Fprintln(e.stderr, "briefbot draft:", err)
		return exitFailure
	}
	n := 0
	for _, s := range d.Brief.Sections {
		n += len(s.Claims)
	}
	fmt.Fprintf(e.stdout, "wrote %d draft claim(s) for %s to %s (marked draft: true: not served until reviewed)\n", n, docID, out)
	printSkipped(e, d)
	fmt.Fprintf(e.stdout, "next: review the claims (see the top of the file), then\n  briefbot check --corpus %s --briefs %s --coverage --doc %s\n", corpusDir, briefsDir, docID)
	return exitOK
}

func printSkipped(e env, d *draft.Draft) {
	for _, s := range d.Skipped {
		fmt.Fprintln(e.stdout, "  skipped "+s)
	}
}
