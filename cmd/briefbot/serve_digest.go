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
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
)

// consoleKeep is how many digests the console target keeps in memory.
const consoleKeep = 50

// digests is the scheduled-digest feature as serve runs it: the store, the
// scheduler and the console target.
type digests struct {
	store   digest.Store
	sched   *digest.Scheduler
	console *digest.ConsolePoster
	log     *slog.Logger
}

// openDigests opens the store and validates the configured schedules
// against the loaded briefs; the error names every problem. counted, when
// set, is told of each slot's outcome (for metrics).
func openDigests(ctx context.Context, cfg *config.Config, set *briefs.Set, log *slog.Logger, counted func(platform, result string)) (*digests, error) {
	// A plain engine over the set resolves kinds ("uk" → united-kingdom).
	resolve := bot.New(set, bot.Options{}).DigestKind
	clock := digest.SystemClock{}
	jobs, err := digest.Schedules(cfg.Digests.Schedules, chatPlatforms(cfg), resolve, clock.Now())
	if err != nil {
		return nil, scheduleProblems(cfg, err)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	log = log.With("component", "digest")
	// Tries 1: the Slack and Discord posters pace themselves and retry
	// within a post; the scheduler adds bounded rounds on top.
	sched := digest.New(digest.Options{Store: st, Schedules: jobs, Grace: cfg.Digests.Grace.Duration, Clock: clock, Log: log, Tries: 1, Counted: counted})
	console := digest.NewConsolePoster(consoleKeep, clock, log)
	sched.AddPoster(digest.PlatformConsole, console)
	return &digests{store: st, sched: sched, console: console, log: log}, nil
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

// commands are the rows the digest feature adds to the command table.
func (d *digests) commands() []bot.Command { return []bot.Command{d.sched.Command()} }

// attach gives the scheduler the engine that builds digest content.
func (d *digests) attach(e *bot.Engine) { d.sched.Attach(e) }

// permanentCheckers classify post errors of the platforms whose errors do
// not carry a Permanent() method themselves.
func permanentCheckers() map[string]func(error) bool {
	return map[string]func(error) bool{bot.PlatformSlack: slack.IsPermanent, bot.PlatformDiscord: discord.IsPermanent}
}

// addPosters registers the adapters' posters.
func (d *digests) addPosters(adapters []adapter) {
	checks := permanentCheckers()
	for _, a := range adapters {
		p := a.Poster()
		if p == nil {
			continue
		}
		if check, ok := checks[a.Name()]; ok {
			p = digest.Classified(p, check)
		}
		d.sched.AddPoster(a.Name(), p)
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
