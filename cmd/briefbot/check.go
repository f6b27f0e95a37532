package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

func runCheck(_ context.Context, args []string, e env) int {
	fset := newFlagSet("check", e)
	var common commonFlags
	common.register(fset)
	coverage := fset.Bool("coverage", false, "also show which article paragraphs reviewed claims cite")
	doc := fset.String("doc", "", "every paragraph of this document and the claims citing it (implies --coverage)")
	rest, code, ok := parseFlags(fset, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: unexpected argument %q; check takes only flags (see briefbot check -h)\n", rest[0])
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "check", err)
	}
	corpus, err := seeds.Load(seeds.Dir(cfg.CorpusDir))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitFailure
	}
	if _, ok := corpus.Doc(*doc); *doc != "" && !ok {
		fmt.Fprintf(e.stderr, "briefbot check: --doc %q: no such document\n", *doc)
		return exitBadUsage
	}
	bfs, prefix := briefs.Dir(cfg.BriefsDir)
	set, problems := briefs.Load(bfs, prefix, corpus)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: %d problem(s)\n", len(problems))
		corpusHint(e, cfg.CorpusDir, problems)
		return exitFailure
	}
	if code := checkSchedules(e, cfg, set); code != exitOK {
		return code
	}
	if code := checkCommandNames(e, cfg, set); code != exitOK {
		return code
	}
	if common.config != "" {
		fmt.Fprintf(e.stdout, "ok: configuration %s, %d digest schedule(s)\n", common.config, len(cfg.Digests.Schedules))
	}
	fmt.Fprintf(e.stdout, "ok: %d documents, %d briefs, %d claims, %d disputes\n",
		len(corpus.Docs), len(set.Briefs), len(set.Claims()), len(set.Disputes))
	printDrafts(e, set)
	switch {
	case *doc != "":
		printDocCoverage(e, set, *doc)
	case *coverage:
		printCoverage(e, set)
	}
	return checkDossiers(e, cfg)
}

// checkDossiers validates every dossier the configuration names, the
// first included, and says which commands each answers. Every problem
// names its dossier.
func checkDossiers(e env, cfg *config.Config) int {
	srcs, err := dossierSources(cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitFailure
	}
	var sets []*briefs.Set
	failed := 0
	for i, l := range briefs.LoadAll(srcs) {
		if l.Err != nil {
			failed++
			fmt.Fprintln(e.stderr, l.Err)
			continue
		}
		sets = append(sets, l.Set)
		if i > 0 {
			fmt.Fprintf(e.stdout, "ok: dossier %s (%s): %d documents, %d briefs, %d claims, %d disputes\n", bot.SlugOf(l.Set), l.Source.Name(),
				len(l.Set.Corpus.Docs), len(l.Set.Briefs), len(l.Set.Claims()), len(l.Set.Disputes))
		}
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: %d of %d dossiers have problems\n", failed, len(srcs))
		return exitFailure
	}
	engine, err := dossierEngine(cfg, sets)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitFailure
	}
	for _, slug := range slugs(sets) {
		printSupport(e.stdout, engine, slug)
	}
	return exitOK
}

// checkSchedules checks the configured digest schedules against the
// briefs, as serve does before it starts: spec, zone, kind, targets, names.
func checkSchedules(e env, cfg *config.Config, set *briefs.Set) int {
	if len(cfg.Digests.Schedules) == 0 {
		return exitOK
	}
	resolve := bot.New(set, bot.Options{}).DigestKind
	if _, sets, err := loadDossiers(cfg); err == nil { // schedules may name any dossier
		if engine, err := dossierEngine(cfg, sets); err == nil {
			resolve = engine.DigestKind
		}
	}
	if _, err := scheduleJobs(cfg.Digests.Schedules, chatPlatforms(cfg), resolve, time.Now()); err != nil {
		return configProblems(e, "check", scheduleProblems(cfg, err))
	}
	return exitOK
}

// checkCommandNames checks that every command, with the configured
// prefix, has a name Slack and Discord accept, as serve does before it
// starts.
func checkCommandNames(e env, cfg *config.Config, set *briefs.Set) int {
	engine := tableEngine(set, cfg)
	err := errors.Join(slack.CheckNames(engine.Naming(bot.PlatformSlack)), discord.CheckNames(engine.Naming(bot.PlatformDiscord)))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot check:", err)
		return exitBadUsage
	}
	return exitOK
}

// corpusHint says, once, when briefs cite documents the embedded corpus
// does not have: they were most likely written against a corpus folder
// that --corpus should name.
func corpusHint(e env, corpusDir string, problems briefs.Problems) {
	if corpusDir != "" {
		return
	}
	var docs []string
	for _, p := range problems {
		if p.Doc != "" {
			docs = append(docs, p.Doc)
		}
	}
	if len(docs) > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: the briefs cite %s, which the embedded corpus does not have; name their corpus with --corpus DIR\n", strings.Join(docs, ", "))
	}
}

// printDrafts lists the claims still marked draft, which nothing serves.
func printDrafts(e env, set *briefs.Set) {
	if len(set.Drafts) == 0 {
		return
	}
	fmt.Fprintf(e.stdout, "drafts: %d claim(s) marked draft: true, not served until a person reviews them and removes the mark:\n", len(set.Drafts))
	for _, c := range set.Drafts {
		fmt.Fprintln(e.stdout, "  "+briefs.DraftLabel(c))
	}
}

func printCoverage(e env, set *briefs.Set) {
	cov := briefs.Coverage(set)
	total, cited := 0, 0
	for _, dc := range cov {
		total += dc.Article
		cited += dc.Cited
	}
	fmt.Fprintf(e.stdout, "coverage: %d of %d article paragraphs cited by reviewed claims\n", cited, total)
	for _, dc := range cov {
		line := fmt.Sprintf("  %s  %d of %d cited", dc.Doc.ID, dc.Cited, dc.Article)
		if dc.Drafts > 0 {
			line += fmt.Sprintf(", %d only by drafts", dc.Drafts)
		}
		fmt.Fprintln(e.stdout, line)
	}
	fmt.Fprintln(e.stdout, "uncited (no reviewed claim cites them):")
	for _, dc := range cov {
		for _, pc := range dc.Paragraphs {
			if pc.Para.Furniture == "" && len(pc.Claims) == 0 {
				fmt.Fprintf(e.stdout, "%s:%s  %s%s\n", dc.Doc.ID, pc.Para.ID, draftMark(pc), pc.Para.Text)
			}
		}
	}
}

// printDocCoverage shows every paragraph of one document and what cites it.
func printDocCoverage(e env, set *briefs.Set, id string) {
	for _, dc := range briefs.Coverage(set) {
		if dc.Doc.ID != id {
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s\ncoverage: %d of %d article paragraphs cited by reviewed claims, %d only by drafts\n",
			dc.Doc.ID, dc.Doc.Title, dc.Cited, dc.Article, dc.Drafts)
		for _, pc := range dc.Paragraphs {
			ref := dc.Doc.ID + ":" + pc.Para.ID
			switch {
			case pc.Para.Furniture != "":
				fmt.Fprintf(e.stdout, "%s  furniture (%s)\n", ref, pc.Para.Furniture)
			case len(pc.Claims) > 0:
				fmt.Fprintf(e.stdout, "%s  cited by %s\n", ref, claimIDs(pc.Claims))
			default:
				fmt.Fprintf(e.stdout, "%s  uncited  %s%s\n", ref, draftMark(pc), pc.Para.Text)
			}
		}
	}
}

func draftMark(pc briefs.ParaCoverage) string {
	if len(pc.Drafts) == 0 {
		return ""
	}
	return "[draft: " + claimIDs(pc.Drafts) + "] "
}

func claimIDs(cs []*briefs.Claim) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

func runParagraphs(_ context.Context, args []string, e env) int {
	fset := newFlagSet("paragraphs", e)
	var common commonFlags
	common.register(fset)
	docs, code, ok := parseFlags(fset, args)
	if !ok {
		return code
	}
	if len(docs) != 1 {
		fmt.Fprintln(e.stderr, "briefbot paragraphs: give one document id, e.g. briefbot paragraphs d000")
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "paragraphs", err)
	}
	corpus, err := seeds.Load(seeds.Dir(cfg.CorpusDir))
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot paragraphs:", err)
		return exitFailure
	}
	d, ok := corpus.Doc(docs[0])
	if !ok {
		fmt.Fprintf(e.stderr, "briefbot paragraphs: no document %q\n", docs[0])
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
