package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/briefbot/briefbot/ingest"
)

func runIngest(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("ingest", e)
	var common commonFlags
	common.register(fs)
	doInit := fs.Bool("init", false, "create the corpus folder (and the --briefs folder, if given) first")
	embedded := fs.Bool("embedded", false, "with --init: start from the shipped documents (and briefs) instead of empty folders")
	var o ingest.Options
	fs.BoolVar(&o.AllowPrivate, "allow-private", false, "fetch from loopback and private addresses too")
	fs.Int64Var(&o.MaxBytes, "max-bytes", ingest.DefaultMaxBytes, "largest file or page to read")
	fs.DurationVar(&o.Timeout, "timeout", ingest.DefaultTimeout, "time allowed to fetch one URL")
	fs.StringVar(&o.Charset, "charset", "", "encoding of .txt and .md files that are not UTF-8, e.g. windows-1252")
	sources, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "ingest", err)
	}
	switch {
	case cfg.CorpusDir == "":
		fmt.Fprintln(e.stderr, "briefbot ingest: the embedded corpus cannot change; give a corpus folder with --corpus DIR (new: --corpus DIR --init)")
		return exitBadUsage
	case *embedded && !*doInit:
		fmt.Fprintln(e.stderr, "briefbot ingest: --embedded goes with --init")
		return exitBadUsage
	case len(sources) == 0 && !*doInit:
		fmt.Fprintln(e.stderr, "briefbot ingest: give one or more files (.txt, .md, .html) or http(s) URLs")
		return exitBadUsage
	}
	if *doInit {
		if err := ingest.Init(cfg.CorpusDir, cfg.BriefsDir, *embedded); err != nil {
			fmt.Fprintln(e.stderr, "briefbot ingest: --init:", err)
			return exitFailure
		}
		printInit(e.stdout, cfg.CorpusDir, cfg.BriefsDir, *embedded)
	}
	in := ingest.New(cfg.CorpusDir, o)
	code = exitOK
	for _, src := range sources {
		res, err := in.Add(ctx, src)
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot ingest: %s: refused, nothing written: %v\n", src, err)
			code = exitFailure
			continue
		}
		printIngested(e.stdout, res, cfg.CorpusDir, briefsHint(cfg.BriefsDir))
	}
	return code
}

func briefsHint(dir string) string {
	if dir == "" {
		return "BRIEFS"
	}
	return dir
}

func printInit(w io.Writer, corpus, briefsDir string, embedded bool) {
	what := "an empty corpus"
	if embedded {
		what = "a corpus holding the shipped documents"
	}
	fmt.Fprintf(w, "created %s in %s\n", what, corpus)
	if briefsDir != "" {
		what = "an empty briefs folder"
		if embedded {
			what = "a copy of the shipped briefs"
		}
		fmt.Fprintf(w, "created %s in %s\n", what, briefsDir)
	}
}

// printIngested says what was added and what a curator should check.
func printIngested(w io.Writer, r *ingest.Result, corpus, briefsDir string) {
	en := r.Entry
	fmt.Fprintf(w, "added %s: %s/docs/%s from %s\n", en.ID, corpus, en.File, r.Source)
	field := func(name, value string, f ingest.Field) {
		if value == "" {
			value = "(none)"
		} else {
			value = fmt.Sprintf("%q", value)
		}
		note := f.Note()
		if note != "" {
			note = "  [" + note + "]"
		}
		fmt.Fprintf(w, "  %-8s %s%s\n", name+":", value, note)
	}
	field("title", en.Title, r.Meta.Title)
	field("outlet", en.Outlet, r.Meta.Outlet)
	field("author", en.Author, r.Meta.Author)
	if en.Date != "" {
		field("date", en.Date, r.Meta.Date)
	} else {
		field("date", "", ingest.Field{})
		field("not_before", en.NotBefore, r.Meta.NotBefore)
	}
	fmt.Fprintf(w, "  %d paragraphs, %d of them article text; %d furniture rule(s)\n", r.Paragraphs, r.Article, len(en.Furniture))
	for _, f := range en.Furniture {
		fmt.Fprintf(w, "    - %s\n", ruleLabel(f.Exact, f.Contains, f.Suffix, f.From, f.Para, f.Why))
	}
	fmt.Fprintln(w, "check:")
	for _, c := range r.Check {
		fmt.Fprintln(w, "  - "+c)
	}
	fmt.Fprintf(w, "next:\n  briefbot paragraphs --corpus %s %s\n  briefbot draft --corpus %s --briefs %s %s\n",
		corpus, en.ID, corpus, briefsDir, en.ID)
}

func ruleLabel(exact, contains, suffix, from, para, why string) string {
	key, v := "exact", exact
	switch {
	case contains != "":
		key, v = "contains", contains
	case suffix != "":
		key, v = "suffix", suffix
	case from != "":
		key, v = "from", from
	case para != "":
		key, v = "para", para
	}
	if len(v) > 70 {
		v = strings.ToValidUTF8(v[:70], "") + "…"
	}
	return fmt.Sprintf("%s %q (%s)", key, v, why)
}
