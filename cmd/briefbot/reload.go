package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/reload"
	"github.com/briefbot/briefbot/server"
)

// watchDebounce gathers a burst of file events into one reload.
const watchDebounce = 300 * time.Millisecond

// watchDirs are the folders --watch follows: those replacing the embedded
// corpus or briefs.
func watchDirs(cfg *config.Config) []string {
	var dirs []string
	for _, d := range []string{cfg.BriefsDir, cfg.CorpusDir} {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// startReload reloads the corpus and briefs on SIGHUP and, with --watch,
// when their folders change, until ctx ends. Failed reloads keep the
// previous set and show in /readyz and the metrics.
func (o *ops) startReload(ctx context.Context, wg *sync.WaitGroup, engine *bot.Engine) {
	log := o.log.With("component", "reload")
	r := reload.New(reload.Options{
		Load:    func() (*briefs.Set, error) { return briefs.LoadDirs(o.cfg.CorpusDir, o.cfg.BriefsDir) },
		Swap:    engine.Swap,
		Log:     log,
		Counted: o.metrics.Reload,
	})
	o.health.Note("reload", r.Note)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	wg.Go(func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				server.Safely(log, "reload", func() { _ = r.Reload("sighup") })
			}
		}
	})
	if !o.flags.watch {
		return
	}
	wg.Go(func() {
		server.Safely(log, "watch", func() {
			if err := r.Watch(ctx, watchDirs(o.cfg), watchDebounce); err != nil {
				log.Error("watching stopped; SIGHUP still reloads", "err", err)
			}
		})
	})
}
