package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones for digest schedules even on hosts without them

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
)

// The adapters' posters are digest posters; the adapters do not know it.
var (
	_ digest.Poster = (*slack.Poster)(nil)
	_ digest.Poster = (*discord.Poster)(nil)
)

// consoleKeep is how many digests the console target keeps in memory.
const consoleKeep = 50

// digests is the scheduled-digest feature as serve runs it: the store, the
// /digest command, the scheduler and the console target. The command is
// made before the engine that holds it and works with the engine it is
// given later (use); the schedules are checked against that engine.
type digests struct {
	store   digest.Store
	sched   *digest.Scheduler
	console *digest.ConsolePoster
	log     *slog.Logger
	engine  *bot.Engine
}

// storeWait is how long serve waits at start for a PostgreSQL database
// that does not answer, so that a replica restarted during a database
// blip comes up when it ends instead of exiting.
const storeWait = 2 * time.Minute

// openDigests opens the store, retrying PostgreSQL for up to wait.
func openDigests(ctx context.Context, cfg *config.Config, log *slog.Logger, wait time.Duration) (*digests, error) {
	log = log.With("component", "digest")
	st, err := openStore(ctx, cfg)
	for delay, deadline := time.Second, time.Now().Add(wait); err != nil && cfg.DatabaseURL.Value() != "" && time.Now().Before(deadline); {
		log.Warn("digest store: database not reachable; retrying", "err", err, "retry_in", delay.String())
		if (digest.SystemClock{}).Sleep(ctx, delay) != nil {
			break
		}
		delay = min(2*delay, 10*time.Second)
		st, err = openStore(ctx, cfg)
	}
	if err != nil {
		return nil, err
	}
	return &digests{store: st, log: log}, nil
}

// commands are the /digest and /digest-manage rows of the command table.
func (d *digests) commands() []bot.Command {
	o := digest.CommandOptions{Store: d.store, Builder: d.builder, Schedules: d.schedules, Log: d.log}
	if m, ok := d.store.(digest.ManagerStore); ok {
		o.Managers = m
	}
	return digest.Commands(o)
}

func (d *digests) builder() digest.Builder {
	if d.engine == nil {
		return nil
	}
	return d.engine
}

func (d *digests) schedules() []*digest.Job {
	if d.sched == nil {
		return nil
	}
	return d.sched.Schedules()
}

// use checks the configured schedules against the engine's briefs (the
// error is config.Problems, each at the line of its key) and sets up the
// scheduler, which builds its digests with engine. counted, when set, is
// told of each slot's outcome (for metrics).
func (d *digests) use(cfg *config.Config, engine *bot.Engine, counted func(platform, result string)) error {
	d.engine = engine
	clock := digest.SystemClock{}
	jobs, err := scheduleJobs(cfg.Digests.Schedules, chatPlatforms(cfg), engine.DigestKind, clock.Now())
	if err != nil {
		return scheduleProblems(cfg, err)
	}
	d.sched = digest.New(digest.Options{Store: d.store, Schedules: jobs, Builder: d.builder, Grace: cfg.Digests.Grace.Duration,
		Clock: clock, Log: d.log, Counted: counted})
	d.console = digest.NewConsolePoster(consoleKeep, clock, d.log)
	d.sched.AddPoster(bot.PlatformConsole, d.console)
	return nil
}

// chatPlatforms lists the configured chat platforms.
func chatPlatforms(cfg *config.Config) map[string]bool {
	p := map[string]bool{}
	if cfg.SlackEnabled() {
		p[bot.PlatformSlack] = true
	}
	if cfg.DiscordEnabled() {
		p[bot.PlatformDiscord] = true
	}
	return p
}

// openStore opens PostgreSQL when DATABASE_URL is set, else SQLite in the
// data directory.
func openStore(ctx context.Context, cfg *config.Config) (digest.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if u := cfg.DatabaseURL.Value(); u != "" {
		return store.OpenPostgres(ctx, u)
	}
	return store.OpenSQLite(ctx, cfg.DataDir)
}

// addPosters registers the adapters' posters.
func (d *digests) addPosters(adapters []adapter) {
	for _, a := range adapters {
		if p := a.Poster(); p != nil {
			d.sched.AddPoster(a.Name(), p)
		}
	}
}

// start registers the posters and runs the scheduler until ctx ends.
func (d *digests) start(ctx context.Context, wg *sync.WaitGroup, adapters []adapter) {
	d.addPosters(adapters)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := d.sched.Run(ctx); err != nil {
			d.log.Error("digest scheduler stopped", "err", err)
		}
	}()
}

func (d *digests) close() {
	if err := d.store.Close(); err != nil {
		d.log.Error("close digest store", "err", err)
	}
}
