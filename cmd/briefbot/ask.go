package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
)

// commonFlags are the flags every subcommand that loads the briefs takes.
type commonFlags struct {
	config    string
	corpusDir string
	briefsDir string
	// core leaves the platform sections of the configuration unchecked,
	// for subcommands that need none of their keys or check their own.
	core bool
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "YAML configuration file")
	fs.StringVar(&c.corpusDir, "corpus", "", "folder of documents (default: the embedded corpus)")
	fs.StringVar(&c.briefsDir, "briefs", "", "folder of brief files (default: the embedded briefs)")
}

// load reads the configuration, letting the flags override it.
func (c *commonFlags) load(e env) (*config.Config, error) {
	load := config.Load
	if c.core {
		load = config.LoadCore
	}
	cfg, err := load(c.config, e.getenv)
	if err != nil {
		return nil, err
	}
	if c.corpusDir != "" {
		cfg.CorpusDir = c.corpusDir
	}
	if c.briefsDir != "" {
		cfg.BriefsDir = c.briefsDir
	}
	return cfg, nil
}

// configProblems prints every problem of a configuration on its own line,
// where it was set first ("briefbot.yaml:7: …"), then how many there
// were; a bad configuration is bad usage.
func configProblems(e env, name string, err error) int {
	ps := config.AsProblems(err)
	for _, p := range ps {
		fmt.Fprintln(e.stderr, p)
	}
	fmt.Fprintf(e.stderr, "briefbot %s: %d problem(s) in the configuration\n", name, len(ps))
	return exitBadUsage
}

// loadDossiers reads the configuration and loads every dossier it names.
// On failure it says so under the subcommand's name and returns the exit
// code: bad usage for configuration, failure for data that does not load.
func (c *commonFlags) loadDossiers(name string, e env) (*config.Config, []*briefs.Set, int) {
	cfg, err := c.load(e)
	if err != nil {
		return nil, nil, configProblems(e, name, err)
	}
	_, sets, err := loadDossiers(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot %s: %v\n", name, err)
		return nil, nil, exitFailure
	}
	return cfg, sets, exitOK
}

// loadEngine loads every dossier into an engine with the whole command
// table, for the subcommands that answer or describe commands without
// running digests.
func (c *commonFlags) loadEngine(name string, e env) (*config.Config, *bot.Engine, int) {
	cfg, sets, code := c.loadDossiers(name, e)
	if code != exitOK {
		return nil, nil, code
	}
	engine, err := dossierEngine(cfg, sets)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot %s: %v\n", name, err)
		return nil, nil, exitFailure
	}
	return cfg, engine, exitOK
}

func runAsk(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("ask", e)
	var common commonFlags
	common.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	words, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "briefbot ask: --format %q: want text or json\n", *format)
		return exitBadUsage
	}
	if len(words) == 0 {
		fmt.Fprintln(e.stderr, `briefbot ask: give a command, e.g. briefbot ask "/help"`)
		return exitBadUsage
	}
	_, engine, code := common.loadEngine("ask", e)
	if code != exitOK {
		return code
	}
	reply := engine.Handle(ctx, bot.Request{Platform: bot.PlatformCLI, Text: strings.Join(words, " ")})
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reply); err != nil {
			fmt.Fprintln(e.stderr, "briefbot ask:", err)
			return exitFailure
		}
	} else {
		fmt.Fprint(e.stdout, bot.RenderText(reply))
	}
	if reply.Outcome == bot.OutcomeError {
		return exitFailure
	}
	return exitOK
}
