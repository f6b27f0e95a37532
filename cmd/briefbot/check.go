package main

import (
	"context"
	"fmt"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

func runCheck(_ context.Context, args []string, e env) int {
	fset := newFlagSet("check", e)
	var common commonFlags
	common.register(fset)
	coverage := fset.Bool("coverage", false, "also list article paragraphs no claim cites")
	if err := fset.Parse(args); err != nil {
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitBadUsage
	}
	corpus, err := seeds.Load(seeds.Dir(cfg.CorpusDir))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitFailure
	}
	bfs, prefix := briefs.Dir(cfg.BriefsDir)
	set, problems := briefs.Load(bfs, prefix, corpus)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: %d problem(s)\n", len(problems))
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "ok: %d documents, %d briefs, %d claims, %d disputes\n",
		len(corpus.Docs), len(set.Briefs), len(set.Claims()), len(set.Disputes))
	if *coverage {
		printCoverage(e, set)
	}
	return exitOK
}

func printCoverage(e env, set *briefs.Set) {
	uncited := briefs.Uncited(set)
	total := 0
	for _, d := range set.Corpus.Docs {
		total += len(d.Article())
	}
	fmt.Fprintf(e.stdout, "coverage: %d of %d article paragraphs cited; uncited:\n", total-len(uncited), total)
	for _, u := range uncited {
		fmt.Fprintf(e.stdout, "%s:%s  %s\n", u.Doc, u.Para.ID, u.Para.Text)
	}
}

func runParagraphs(_ context.Context, args []string, e env) int {
	fset := newFlagSet("paragraphs", e)
	var common commonFlags
	common.register(fset)
	if err := fset.Parse(args); err != nil {
		return exitBadUsage
	}
	if fset.NArg() != 1 {
		fmt.Fprintln(e.stderr, "briefbot paragraphs: give one document id, e.g. briefbot paragraphs d000")
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot paragraphs:", err)
		return exitBadUsage
	}
	corpus, err := seeds.Load(seeds.Dir(cfg.CorpusDir))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot paragraphs:", err)
		return exitFailure
	}
	d, ok := corpus.Doc(fset.Arg(0))
	if !ok {
		fmt.Fprintf(e.stderr, "briefbot paragraphs: no document %q\n", fset.Arg(0))
		return exitBadUsage
	}
	for _, p := range d.Paragraphs {
		if p.Furniture != "" {
			fmt.Fprintf(e.stdout, "%s:%s  [furniture: %s]\n", d.ID, p.ID, p.Furniture)
			continue
		}
		fmt.Fprintf(e.stdout, "%s:%s  %s\n", d.ID, p.ID, p.Text)
	}
	return exitOK
}
