package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/metrics"
)

// digestFlags are the flags of `briefbot digest`.
type digestFlags struct {
	common commonFlags
	kind   string
	target string
	dryRun bool
	list   bool
}

func runDigest(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("digest", e)
	var f digestFlags
	f.common.register(fs)
	fs.StringVar(&f.kind, "kind", "", "digest kind: overview, changes, matrix, or an actor or option id")
	fs.StringVar(&f.target, "target", "", "where to post: slack:C… or discord:… (a configured platform)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the digest instead of posting it")
	fs.BoolVar(&f.list, "list", false, "list schedules and subscriptions, their next runs and last results")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if !f.list && f.kind == "" || len(rest) > 0 {
		fmt.Fprintln(e.stderr, "briefbot digest: give --kind K [--target T] [--dry-run], or --list")
		return exitBadUsage
	}
	cfg, sets, code := f.common.loadDossiers("digest", e)
	if code != exitOK {
		return code
	}
	log := newLogger(cfg.Log, e.stderr)
	if f.dryRun && !f.list {
		return digestDryRun(ctx, cfg, sets, f, e)
	}
	if !f.list {
		if code := checkPostTarget(cfg, f, e); code != exitOK {
			return code
		}
	}
	dg, err := openDigests(ctx, cfg, log, 0)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	defer dg.close()
	engine, err := bot.NewDossiers(sets, bot.Options{Extra: dg.commands(), Prefix: cfg.Commands.Prefix, Default: cfg.Dossiers.Default})
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	if err := dg.use(cfg, engine, nil); err != nil {
		var ps config.Problems
		if errors.As(err, &ps) {
			return configProblems(e, "digest", ps)
		}
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	if f.list {
		return digestList(ctx, dg, e)
	}
	return digestPost(ctx, cfg, dg, engine, log, f, e)
}

// digestDryRun prints the digest; for "changes" with a target it compares
// with that target's last snapshot, read from the store.
func digestDryRun(ctx context.Context, cfg *config.Config, sets []*briefs.Set, f digestFlags, e env) int {
	engine, err := bot.NewDossiers(sets, bot.Options{Default: cfg.Dossiers.Default})
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	var prev *bot.Snapshot
	if kind, _ := engine.DigestKind(f.kind); bot.IsChangesDigest(kind) && f.target != "" {
		snap, err := readSnapshot(ctx, cfg, f.target, kind)
		if err != nil {
			fmt.Fprintln(e.stderr, "briefbot digest:", err)
			return exitFailure
		}
		prev = snap
	}
	r, _, err := engine.Digest(f.kind, prev)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitBadUsage
	}
	fmt.Fprint(e.stdout, bot.RenderText(r))
	return exitOK
}

func readSnapshot(ctx context.Context, cfg *config.Config, target, kind string) (*bot.Snapshot, error) {
	t, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return digest.LoadSnapshot(ctx, st, t, kind)
}

// checkPostTarget refuses a post that would reach nobody: the console
// target lives in a running `briefbot serve` (its page and log), and this
// process's would show the digest to no one. It posts only to a channel
// of a configured platform.
func checkPostTarget(cfg *config.Config, f digestFlags, e env) int {
	if f.dryRun {
		return exitOK
	}
	platforms := chatPlatforms(cfg)
	t, err := digest.ParseTarget(f.target)
	switch {
	case f.target == "" && len(platforms) == 0:
		fmt.Fprintln(e.stderr, "briefbot digest: no Slack or Discord is configured, so there is nowhere to post; "+
			"print the digest with --dry-run, or configure a platform and give --target slack:C… or discord:…")
	case f.target == "":
		fmt.Fprintln(e.stderr, "briefbot digest: give --target, e.g. slack:C0123456789 or discord:123456789012345678 (or print it with --dry-run)")
	case err != nil:
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
	case t.Platform == bot.PlatformConsole:
		fmt.Fprintln(e.stderr, "briefbot digest: the console target is the page and log of a running `briefbot serve`; "+
			"from here nobody would see it: print the digest with --dry-run, or schedule it with targets: [console]")
	case channelChecks[t.Platform] != nil && !platforms[t.Platform]:
		fmt.Fprintf(e.stderr, "briefbot digest: --target %s: %s is not configured\n", f.target, t.Platform)
	default:
		// The platform's name and the channel id, as its adapter reads them.
		if _, err := parseTarget(f.target); err != nil {
			fmt.Fprintln(e.stderr, "briefbot digest:", err)
			break
		}
		return exitOK
	}
	return exitBadUsage
}

// digestPost posts one digest now through the adapters' posters, to a
// channel of a configured platform (checkPostTarget).
func digestPost(ctx context.Context, cfg *config.Config, dg *digests, engine *bot.Engine, log *slog.Logger, f digestFlags, e env) int {
	t, err := parseTarget(f.target)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitBadUsage
	}
	// The adapters count refused requests; a one-off post serves none, so
	// its counters are never read.
	adapters, err := buildAdapters(deps{cfg: cfg, engine: engine, log: log, metrics: metrics.New(versionString())})
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	dg.addPosters(adapters)
	id, err := dg.sched.PostNow(ctx, f.kind, t)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", strings.TrimPrefix(err.Error(), "digest: "))
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "posted %s digest to %s: message %s\n", f.kind, t, id)
	return exitOK
}

// digestList prints every schedule and subscription with its next run in
// its zone and the last result of each target.
func digestList(ctx context.Context, dg *digests, e env) int {
	jobs, err := dg.sched.Status(ctx, digest.SystemClock{}.Now(), nil)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot digest:", err)
		return exitFailure
	}
	if len(jobs) == 0 {
		fmt.Fprintln(e.stdout, "no digest schedules in the configuration and no subscriptions")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tKIND\tSCHEDULE\tTARGET\tNEXT\tLAST RESULT")
	failed := false
	for _, js := range jobs {
		for _, ts := range js.Targets {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", js.Job.ID, js.Job.Kind, js.When(), ts.Target, js.NextLabel(), ts.Result(js.Job.Zone))
			failed = failed || ts.Last != nil && ts.Last.Status == digest.StatusFailed
		}
	}
	tw.Flush()
	if failed {
		return exitFailure // so scripts and monitors notice
	}
	return exitOK
}
