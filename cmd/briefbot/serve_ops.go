package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/health"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/server"
)

// opsFlags are serve's flags for running it for real.
type opsFlags struct {
	watch   bool
	console string
}

func (f *opsFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.watch, "watch", false, "reload when files under --briefs or --corpus change (the embedded set cannot be watched)")
	fs.StringVar(&f.console, "console", "auto", "web console: auto (on when no chat platform is configured), on or off")
}

// check validates the flags against the configuration.
func (f *opsFlags) check(cfg *config.Config) error {
	switch f.console {
	case "auto", "on", "off":
	default:
		return fmt.Errorf("--console %q: want auto, on or off", f.console)
	}
	if f.watch && cfg.CorpusDir == "" && cfg.BriefsDir == "" && len(cfg.Dossiers.Folders) == 0 && cfg.Dossiers.Root == "" {
		return errors.New("--watch needs --briefs and/or --corpus folders (or briefs_dir/corpus_dir, or dossiers, in the config): the embedded set cannot change")
	}
	return nil
}

// consoleOn says whether to serve the web console.
func (f *opsFlags) consoleOn(cfg *config.Config) bool {
	switch f.console {
	case "on":
		return true
	case "off":
		return false
	}
	return !cfg.SlackEnabled() && !cfg.DiscordEnabled()
}

// ops is the operational side of serve: per-command logs and metrics,
// health probes, the console and hot reload.
type ops struct {
	flags   opsFlags
	cfg     *config.Config
	log     *slog.Logger
	metrics *metrics.Metrics
	health  health.Checker
	started time.Time
}

func newOps(cfg *config.Config, flags opsFlags, log *slog.Logger) *ops {
	return &ops{flags: flags, cfg: cfg, log: log, metrics: metrics.New(versionString()), started: time.Now()}
}

// observe is the engine's Observe hook: one log line and the metrics per
// command. It logs what was asked of which command and how it went, never
// the text typed, user ids or tokens.
func (o *ops) observe(req bot.Request, r *bot.Reply, took time.Duration) {
	command, outcome := commandLabel(r), string(r.Outcome)
	o.metrics.Command(req.Platform, command, outcome, took)
	if req.Dossier != "" {
		o.metrics.DossierCommand(req.Dossier, outcome)
	}
	o.log.LogAttrs(context.Background(), slog.LevelInfo, "command",
		slog.String("platform", req.Platform), slog.String("command", command), slog.String("outcome", outcome),
		slog.Float64("latency_ms", float64(took.Microseconds())/1000), slog.String("dossier", req.Dossier))
}

// commandLabel names the command of a reply for logs and metrics. Replies
// name a row of the command table or nothing (an unknown command, input
// too long, an internal error), so what a user typed never becomes a label.
func commandLabel(r *bot.Reply) string {
	if r.Command == "" {
		return "none"
	}
	return r.Command
}

// readiness is what an adapter says of itself for /readyz.
type readiness interface{ Readiness() (string, error) }

var (
	_ readiness = slackAdapter{}
	_ readiness = discordAdapter{}
)

// mount adds the health probes, the metrics and, when it is on, the web
// console to the server, with a readiness check for each part: the briefs,
// the store and every chat platform.
func (o *ops) mount(srv *server.Server, engine *bot.Engine, dg *digests, adapters []adapter) {
	o.health.Add("briefs", briefsCheck(engine))
	o.health.Add("store", storeCheck(dg.store))
	for _, a := range adapters {
		if r, ok := a.(readiness); ok {
			o.health.Add(a.Name(), func(context.Context) (string, error) { return r.Readiness() })
		}
	}
	mux := srv.Mux()
	mux.Handle("GET /readyz", o.health.ReadyHandler())
	mux.Handle("GET /metrics", o.metrics.Handler())
	if o.flags.consoleOn(o.cfg) {
		o.mountConsole(srv, engine, dg.console)
	}
}

func briefsCheck(engine *bot.Engine) health.CheckFunc {
	return func(context.Context) (string, error) {
		set := engine.Set()
		if set == nil || len(set.Briefs) == 0 {
			return "", errors.New("no briefs loaded")
		}
		if n := len(engine.Order()); n > 1 {
			return fmt.Sprintf("%d dossiers; default %s: %s", n, engine.DefaultDossier(), setSummary(set)), nil
		}
		return setSummary(set), nil
	}
}

func setSummary(set *briefs.Set) string {
	return fmt.Sprintf("%d briefs, %d documents", len(set.Briefs), len(set.Corpus.Docs))
}

// storeCheck asks the store for something small, so "reachable" means a
// query went through.
func storeCheck(st digest.Store) health.CheckFunc {
	return func(ctx context.Context) (string, error) {
		if p, ok := st.(interface{ Ping(context.Context) error }); ok {
			if err := p.Ping(ctx); err != nil {
				return "", fmt.Errorf("store: %w", err)
			}
			return "reachable", nil
		}
		if _, err := st.Latest(ctx); err != nil {
			return "", fmt.Errorf("store: %w", err)
		}
		return "reachable", nil
	}
}

// ready logs how long start-up took and what is being served.
func (o *ops) ready(ln net.Listener, engine *bot.Engine) {
	console := o.flags.consoleOn(o.cfg)
	addr := ln.Addr().String()
	attrs := []any{"addr", addr, "startup_ms", float64(time.Since(o.started).Microseconds()) / 1000,
		"set", setSummary(engine.Set()), "dossiers", len(engine.Order())}
	if console {
		attrs = append(attrs, "console", "http://"+addr+"/")
	}
	o.log.Info("platforms", o.platforms()...)
	o.log.Info("ready", attrs...)
	if console && !loopback(addr) {
		o.log.Warn("the web console has no login and listens beyond this machine; anyone who reaches it can use it", "addr", addr)
	}
}

// platforms says which chat platforms are on and in which mode, and
// whether the console is: slack=socket discord=gateway console=off.
func (o *ops) platforms() []any {
	slack, discord := "off", "off"
	if o.cfg.SlackEnabled() {
		slack = o.cfg.SlackMode()
	}
	if o.cfg.DiscordEnabled() {
		discord = o.cfg.DiscordMode()
	}
	console := "off"
	if o.flags.consoleOn(o.cfg) {
		console = "on"
	}
	return []any{"slack", slack, "discord", discord, "console", console}
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
