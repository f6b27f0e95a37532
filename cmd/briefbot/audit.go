package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// auditReader is what the audit subcommand needs of the store.
type auditReader interface {
	AuditLog(ctx context.Context, since time.Time, channel string, limit int) ([]bot.AuditEntry, error)
}

func runAudit(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("audit", e)
	var common commonFlags
	fs.StringVar(&common.config, "config", "", "YAML configuration file")
	since := fs.String("since", "168h", "entries since a duration ago (24h, 30m) or a date (2026-03-01, 2026-03-01T08:00:00Z)")
	channel := fs.String("channel", "", "one channel: slack:C0123, discord:1234…, or an id on any platform")
	limit := fs.Int("limit", 1000, "at most this many entries, the newest")
	format := fs.String("format", "text", "text or json (one object a line)")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	from, err := parseSince(*since, time.Now())
	switch {
	case len(rest) > 0:
		err = fmt.Errorf("unexpected argument %q; audit takes only flags", rest[0])
	case *limit < 1 || *limit > 100_000:
		err = fmt.Errorf("--limit %d: want 1 to 100000", *limit)
	case *format != "text" && *format != "json":
		err = fmt.Errorf("--format %q: want text or json", *format)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot audit:", err)
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "audit", err)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot audit:", err)
		return exitFailure
	}
	defer st.Close()
	ar, ok := st.(auditReader)
	if !ok {
		fmt.Fprintln(e.stderr, "briefbot audit: this store keeps no audit log")
		return exitFailure
	}
	entries, err := ar.AuditLog(ctx, from, strings.TrimSpace(*channel), *limit)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot audit:", err)
		return exitFailure
	}
	if *format == "json" {
		return printAuditJSON(e, entries)
	}
	printAudit(e, entries, from)
	return exitOK
}

// parseSince reads a duration back from now, or a date or time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("--since " + fmt.Sprintf("%q", s) + ": want a duration like 24h or a date like 2026-03-01 or 2026-03-01T08:00:00Z")
}

func printAudit(e env, entries []bot.AuditEntry, from time.Time) {
	if len(entries) == 0 {
		fmt.Fprintf(e.stdout, "No shares or digest posts since %s.\n", from.UTC().Format(time.RFC3339))
		return
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "WHEN (UTC)\tACTION\tCHANNEL\tASKED BY\tCOMMAND\tMESSAGE")
	for _, a := range entries {
		fmt.Fprintf(w, "%s\t%s\t%s:%s\t%s\t%s\t%s\n", a.At.UTC().Format(time.RFC3339), a.Action, a.Platform, a.Channel,
			orDash(a.User), a.Command, orDash(a.MessageID))
	}
	w.Flush()
}

func printAuditJSON(e env, entries []bot.AuditEntry) int {
	enc := json.NewEncoder(e.stdout)
	for _, a := range entries {
		if err := enc.Encode(map[string]string{"at": a.At.UTC().Format(time.RFC3339Nano), "action": a.Action, "platform": a.Platform,
			"channel": a.Channel, "user": a.User, "command": a.Command, "message_id": a.MessageID}); err != nil {
			fmt.Fprintln(e.stderr, "briefbot audit:", err)
			return exitFailure
		}
	}
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
