package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"briefbot/bot"
	"briefbot/briefs"
	"briefbot/config"
)

// commonFlags are the flags every subcommand that loads the briefs takes.
type commonFlags struct {
	config    string
	corpusDir string
	briefsDir string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "YAML configuration file")
	fs.StringVar(&c.corpusDir, "corpus", "", "folder of documents (default: the embedded corpus)")
	fs.StringVar(&c.briefsDir, "briefs", "", "folder of brief files (default: the embedded briefs)")
}

// load reads the configuration, letting the flags override it.
func (c *commonFlags) load(e env) (*config.Config, error) {
	cfg, err := config.Load(c.config, e.getenv)
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

func newFlagSet(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

func runAsk(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("ask", e)
	var common commonFlags
	common.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(args); err != nil {
		return exitBadUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "briefbot ask: --format %q: want text or json\n", *format)
		return exitBadUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, `briefbot ask: give a command, e.g. briefbot ask "/stance poland"`)
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot ask:", err)
		return exitBadUsage
	}
	set, err := briefs.LoadDirs(cfg.CorpusDir, cfg.BriefsDir)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot ask:", err)
		return exitFailure
	}
	engine := bot.New(set, bot.Options{})
	reply := engine.Handle(ctx, bot.Request{Platform: bot.PlatformCLI, Text: strings.Join(fs.Args(), " ")})
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
