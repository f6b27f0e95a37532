package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/server"
)

// adapter is one chat platform as serve runs it.
type adapter interface {
	// Name is the platform name used in targets and metrics ("slack").
	Name() string
	// Routes mounts the adapter's HTTP endpoints, if it has any.
	Routes(srv *server.Server)
	// Run keeps background connections (Socket Mode, gateway) until ctx ends.
	Run(ctx context.Context) error
	// Poster posts digests to the platform's channels.
	Poster() digest.Poster
}

// deps is what adapter builders get.
type deps struct {
	cfg    *config.Config
	engine *bot.Engine
	log    *slog.Logger
	// metrics counts signature failures: metrics.SignatureFailures(name)
	// is an adapter's OnSignatureFailure callback.
	metrics *metrics.Metrics
	// claims, when the store has them, lets replicas answer each mention
	// or direct message once.
	claims eventClaims
	// audit, when the store keeps an audit log, records shares.
	audit bot.Auditor
	// shards shares the Discord gateway's shards among replicas (nil:
	// this process holds them all).
	shards discord.ShardLocks
}

// eventClaims is what the adapters need of the store to answer each
// message once across replicas; *store.DB has it.
type eventClaims interface {
	ClaimEvent(ctx context.Context, key string, now time.Time, hold time.Duration) (bool, error)
}

// adapterBuilder returns nil, nil when its platform is not configured.
type adapterBuilder func(d deps) (adapter, error)

func adapterBuilders() []adapterBuilder {
	return []adapterBuilder{buildSlack, buildDiscord}
}

func runServe(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("serve", e)
	var common commonFlags
	common.register(fs)
	var flags opsFlags
	flags.register(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "briefbot serve: unexpected argument %q; serve takes only flags (see briefbot serve -h)\n", rest[0])
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "serve", err)
	}
	if err := flags.check(cfg); err != nil {
		fmt.Fprintln(e.stderr, "briefbot serve:", err)
		return exitBadUsage
	}
	log, stopLog := newBufferedLogger(cfg.Log, e.stderr)
	defer stopLog()
	if err := serve(ctx, cfg, flags, log); err != nil {
		var ps config.Problems
		if errors.As(err, &ps) { // the schedules, checked before anything starts
			return configProblems(e, "serve", ps)
		}
		log.Error("serve failed", "err", err)
		return exitFailure
	}
	return exitOK
}

func serve(ctx context.Context, cfg *config.Config, flags opsFlags, log *slog.Logger) error {
	o := newOps(cfg, flags, log)
	srcs, sets, dg, err := loadAndOpen(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer dg.close()
	bindings, _ := dg.store.(bot.Bindings)
	engine, err := bot.NewDossiers(sets, bot.Options{Extra: dg.commands(), Prefix: cfg.Commands.Prefix, Observe: o.observe,
		Default: cfg.Dossiers.Default, Bindings: bindings, Speak: cfg.Dossiers.Speak, Limiter: limiter(cfg, o.metrics)})
	if err != nil {
		return err
	}
	if err := dg.use(cfg, engine, o.metrics.Digest); err != nil {
		return err
	}
	d := deps{cfg: cfg, engine: engine, log: log, metrics: o.metrics}
	if c, ok := dg.store.(eventClaims); ok {
		d.claims = c
	}
	if au, ok := dg.store.(bot.Auditor); ok {
		d.audit = au
	}
	if locks, err := shardLocks(cfg); err != nil {
		return err
	} else if locks != nil {
		defer locks.Close()
		d.shards = locks
	}
	adapters, err := buildAdapters(d)
	if err != nil {
		return err
	}
	srv := server.New(cfg.Addr, log)
	for _, a := range adapters {
		a.Routes(srv)
	}
	o.mount(srv, engine, dg, adapters)
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			server.Safely(log, a.Name(), func() {
				if err := a.Run(ctx); err != nil {
					log.Error("adapter stopped", "platform", a.Name(), "err", err)
				}
			})
		}()
	}
	dg.start(ctx, &wg, adapters)
	o.startReload(ctx, &wg, engine, srcs)
	o.ready(ln, engine)
	err = srv.Serve(ctx, ln)
	cancel()
	wg.Wait()
	return err
}

// loadAndOpen loads the dossiers and opens the store side by side: the one
// is mostly parsing, the other mostly waiting on files or the database.
// When the dossiers do not load, the store is closed (or its opening
// given up) and the error is the dossiers'.
func loadAndOpen(ctx context.Context, cfg *config.Config, log *slog.Logger) ([]briefs.Source, []*briefs.Set, *digests, error) {
	type opened struct {
		dg  *digests
		err error
	}
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	store := make(chan opened, 1)
	go func() {
		dg, err := openDigests(octx, cfg, log, storeWait)
		store <- opened{dg, err}
	}()
	srcs, sets, err := loadDossiers(cfg)
	if err != nil {
		cancel()
		if o := <-store; o.err == nil {
			o.dg.close()
		}
		return nil, nil, nil, err
	}
	o := <-store
	if o.err != nil {
		return nil, nil, nil, o.err
	}
	return srcs, sets, o.dg, nil
}

func buildAdapters(d deps) ([]adapter, error) {
	var out []adapter
	for _, build := range adapterBuilders() {
		a, err := build(d)
		if err != nil {
			return nil, err
		}
		if a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// limiter builds the per-user and per-channel command limits, counted in
// the metrics.
func limiter(cfg *config.Config, m *metrics.Metrics) *bot.Limiter {
	l := cfg.Limits
	return bot.NewLimiter(bot.Limits{
		User:      bot.Rate{PerMinute: l.User.PerMinute, Burst: l.User.Burst},
		Channel:   bot.Rate{PerMinute: l.Channel.PerMinute, Burst: l.Channel.Burst},
		OnLimited: m.Limited,
	})
}
