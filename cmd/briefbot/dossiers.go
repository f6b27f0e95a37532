package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// dossierSources lists the dossiers the configuration names: the first
// (corpus_dir and briefs_dir, or the embedded one), then dossiers.folders,
// then the subfolders of dossiers.root.
func dossierSources(cfg *config.Config) ([]briefs.Source, error) {
	return briefs.Sources(cfg.CorpusDir, cfg.BriefsDir, cfg.Dossiers.Folders, cfg.Dossiers.Root)
}

// loadDossiers loads every dossier; the error names each dossier that did
// not load and why.
func loadDossiers(cfg *config.Config) ([]briefs.Source, []*briefs.Set, error) {
	srcs, err := dossierSources(cfg)
	if err != nil {
		return nil, nil, err
	}
	var sets []*briefs.Set
	var bad []string
	for _, l := range briefs.LoadAll(srcs) {
		if l.Err != nil {
			bad = append(bad, l.Err.Error())
			continue
		}
		sets = append(sets, l.Set)
	}
	if len(bad) > 0 {
		return nil, nil, fmt.Errorf("%d dossier(s) did not load:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	if d := cfg.Dossiers.Default; d != "" && !hasSlug(sets, d) {
		return nil, nil, fmt.Errorf("dossiers.default %q is none of the loaded dossiers (%s)", d, strings.Join(slugs(sets), ", "))
	}
	return srcs, sets, nil
}

func hasSlug(sets []*briefs.Set, slug string) bool {
	for _, s := range sets {
		if bot.SlugOf(s) == slug {
			return true
		}
	}
	return false
}

func slugs(sets []*briefs.Set) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = bot.SlugOf(s)
	}
	return out
}

// dossierEngine is an engine over every dossier with the whole command
// table, for the subcommands that answer or describe commands without
// running digests.
func dossierEngine(cfg *config.Config, sets []*briefs.Set) (*bot.Engine, error) {
	return bot.NewDossiers(sets, bot.Options{Extra: digest.CommandSpecs(), Prefix: cfg.Commands.Prefix, Default: cfg.Dossiers.Default, Speak: cfg.Dossiers.Speak})
}

// tableEngine is an engine over one set with the whole command table.
func tableEngine(set *briefs.Set, cfg *config.Config) *bot.Engine {
	return bot.New(set, bot.Options{Extra: digest.CommandSpecs(), Prefix: cfg.Commands.Prefix})
}

// printSupport says which commands a dossier answers and what it lacks
// for the others.
func printSupport(w io.Writer, e *bot.Engine, slug string) {
	sup, ok := e.Support(slug)
	if !ok {
		return
	}
	var yes, no []string
	for _, s := range sup {
		if s.Missing == "" {
			yes = append(yes, "/"+s.Name)
		} else {
			no = append(no, "/"+s.Name+" ("+s.Missing+")")
		}
	}
	fmt.Fprintf(w, "dossier %s: answers %s\n", slug, strings.Join(yes, " "))
	if len(no) > 0 {
		fmt.Fprintf(w, "dossier %s: has nothing for %s\n", slug, strings.Join(no, "; "))
	}
}
