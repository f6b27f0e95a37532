package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/reload"
	"github.com/briefbot/briefbot/server"
)

// watchDebounce gathers a burst of file events into one reload.
const watchDebounce = 300 * time.Millisecond

// watchDirs are the folders --watch follows for one dossier: its corpus
// and briefs, unless embedded.
func watchDirs(src briefs.Source) []string {
	var dirs []string
	for _, d := range []string{src.BriefsDir, src.CorpusDir} {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// startReload reloads each dossier on SIGHUP and, with --watch, when its
// folders change, until ctx ends. A dossier that fails to reload keeps its
// previous set while the others reload; the failure shows in /readyz and
// the metrics, and in the log with the dossier's slug.
func (o *ops) startReload(ctx context.Context, wg *sync.WaitGroup, engine *bot.Engine, srcs []briefs.Source) {
	var rs []*reload.Reloader
	for i, src := range srcs {
		slug := engine.Dossiers()[0]
		if set := o.loadedSet(engine, i); set != nil {
			slug = bot.SlugOf(set)
		}
		rs = append(rs, o.dossierReloader(ctx, wg, engine, src, slug))
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	wg.Go(func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				for _, r := range rs {
					server.Safely(o.log, "reload", func() { _ = r.Reload("sighup") })
				}
			}
		}
	})
}

// loadedSet is the i-th dossier as the engine serves it, in load order.
func (o *ops) loadedSet(engine *bot.Engine, i int) *briefs.Set {
	order := engine.Order()
	if i >= len(order) {
		return nil
	}
	set, _ := engine.Dossier(order[i])
	return set
}

// dossierReloader reloads one dossier in place; its slug may change when
// no other dossier has the new one.
func (o *ops) dossierReloader(ctx context.Context, wg *sync.WaitGroup, engine *bot.Engine, src briefs.Source, slug string) *reload.Reloader {
	log := o.log.With("component", "reload", "dossier", slug)
	var cur atomic.Value
	cur.Store(slug)
	r := reload.New(reload.Options{
		Load: func() (*briefs.Set, error) {
			set, err := src.Load()
			if err != nil {
				return nil, err
			}
			if s := bot.SlugOf(set); s != cur.Load().(string) && hasSlug(setsOf(engine), s) {
				return nil, fmt.Errorf("dossier %s: slug %q is already the slug of another dossier", src.Name(), s)
			}
			return set, nil
		},
		Swap: func(set *briefs.Set) {
			if err := engine.Replace(cur.Load().(string), set); err != nil {
				log.Error("reload not applied", "err", err)
				return
			}
			cur.Store(bot.SlugOf(set))
		},
		Log:     log,
		Counted: func(ok bool) { o.metrics.DossierReload(cur.Load().(string), ok) },
	})
	o.health.Note("reload "+slug, r.Note)
	if o.flags.watch && len(watchDirs(src)) > 0 { // the embedded dossier cannot change
		wg.Go(func() {
			server.Safely(log, "watch", func() {
				if err := r.Watch(ctx, watchDirs(src), watchDebounce); err != nil {
					log.Error("watching stopped; SIGHUP still reloads", "err", err)
				}
			})
		})
	}
	return r
}

// setsOf is every set the engine serves.
func setsOf(engine *bot.Engine) []*briefs.Set {
	var out []*briefs.Set
	for _, s := range engine.Order() {
		if set, ok := engine.Dossier(s); ok {
			out = append(out, set)
		}
	}
	return out
}
