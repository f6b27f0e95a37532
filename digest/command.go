package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// maxSubscriptionsPerChannel bounds what one channel may ask for.
const maxSubscriptionsPerChannel = 10

// CommandOptions is what the /digest command works with.
type CommandOptions struct {
	Store Store
	// Builder returns what builds the digests (the engine that holds the
	// command), when the command runs.
	Builder func() Builder
	// Schedules returns the configured jobs, for /digest list.
	Schedules func() []*Job
	Clock     Clock        // SystemClock
	Log       *slog.Logger // slog.Default()
	// Managers, when set, keeps the managers of each Slack channel named
	// with /digest-manage managers add (nil: only the global list).
	Managers ManagerStore
}

// command is the /digest chat command: preview, list, subscribe,
// unsubscribe.
type command struct {
	content   content
	store     Store
	schedules func() []*Job
	clock     Clock
	log       *slog.Logger
	managers  ManagerStore
}

// Command names: /digest is for everyone (preview, list); /digest-manage
// changes a channel's digests. They are two commands because Discord
// decides per command who sees it: /digest-manage is registered for
// members with Manage Channels only, and checked here again.
const (
	CommandName       = "digest"
	ManageCommandName = "digest-manage"
)

// Commands are the /digest and /digest-manage rows of the command table.
// Everyone may preview and list; subscribing and unsubscribing need
// Request.CanManage.
func Commands(o CommandOptions) []bot.Command {
	s := &command{content: content{builder: o.Builder, store: o.Store}, store: o.Store, schedules: o.Schedules, clock: o.Clock, log: o.Log, managers: o.Managers}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.schedules == nil {
		s.schedules = func() []*Job { return nil }
	}
	cmds := CommandSpecs()
	cmds[0].Run, cmds[1].Run = s.run, s.runManage
	return cmds
}

// CommandSpecs are the /digest and /digest-manage rows of the command
// table without a scheduler behind them: enough for help, the app
// manifest and command registration. Run says where digests are
// available.
func CommandSpecs() []bot.Command {
	elsewhere := func(context.Context, bot.Request, string) *bot.Reply {
		return &bot.Reply{Command: CommandName, Outcome: bot.OutcomeUsage, Private: true, Title: "Digests run with the bot",
			Intro: bot.Plain("Digests are scheduled by briefbot serve. From the command line, try: briefbot digest --kind overview --dry-run")}
	}
	return []bot.Command{{
		Name:    CommandName,
		Summary: "Scheduled digests: preview one, or list this channel's and who manages them",
		Args: []bot.Arg{
			{Name: "action", Kind: bot.ArgText, Required: true, Description: "What to do.", Choices: []string{"preview", "list", "managers"}},
			{Name: "details", Kind: bot.ArgText, Description: "preview: a kind (overview, changes, matrix, or an actor or option id)."},
		},
		Examples: []string{"/digest preview", "/digest preview changes", "/digest list", "/digest managers"},
		Waits:    true,
		Run:      elsewhere,
	}, {
		Name:    ManageCommandName,
		Summary: "Change this channel's digests: subscribe, unsubscribe, managers (people who manage the channel)",
		Args: []bot.Arg{
			{Name: "action", Kind: bot.ArgText, Required: true, Description: "What to do.", Choices: []string{"subscribe", "unsubscribe", "managers"}},
			{Name: "details", Kind: bot.ArgText, Description: "subscribe: kind, at HH:MM, zone, weekdays or weekly <day>; unsubscribe: id; managers add/remove @x"},
		},
		Examples: []string{"/digest-manage subscribe overview at 08:30 Europe/Paris", "/digest-manage subscribe changes at 08:00 Europe/Paris weekdays",
			"/digest-manage subscribe <actor> at 09:00 UTC weekly mon", "/digest-manage unsubscribe k7m2qa", "/digest-manage managers add @alice"},
		Manage:   true,
		Mentions: true, // "managers add @name" arrives as <@U…|name> on Slack
		Waits:    true,
		Run:      elsewhere,
	}}
}

// run answers /digest: preview and list. The manager's actions typed
// after /digest, where a platform lets them be typed, are answered as
// /digest-manage answers them.
func (s *command) run(ctx context.Context, req bot.Request, args string) *bot.Reply {
	action, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(action) {
	case "preview":
		return s.preview(ctx, req, rest)
	case "list":
		return s.list(ctx, req)
	case "subscribe", "unsubscribe":
		return s.runManage(ctx, req, args)
	case "managers":
		return s.managersCmd(ctx, req, rest)
	}
	return usage("")
}

// runManage answers /digest-manage: subscribe and unsubscribe.
func (s *command) runManage(ctx context.Context, req bot.Request, args string) *bot.Reply {
	action, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(action) {
	case "subscribe":
		return s.subscribe(ctx, req, rest)
	case "unsubscribe":
		return s.unsubscribe(ctx, req, rest)
	case "managers":
		return s.managersCmd(ctx, req, rest)
	}
	return manageUsage("")
}

func usage(problem string) *bot.Reply {
	intro := "Usage: /digest preview [kind] · /digest list · /digest managers. " +
		"Kinds: overview, changes, matrix, or an actor or option id (e.g. /digest preview <actor>). " +
		"To subscribe this channel or unsubscribe it: /digest-manage (people who manage the channel)."
	if problem != "" {
		intro = problem + " " + intro
	}
	return &bot.Reply{Command: CommandName, Outcome: bot.OutcomeUsage, Title: "How to use /digest", Intro: bot.Plain(intro), Private: true}
}

func manageUsage(problem string) *bot.Reply {
	if problem == "" {
		return manageUsageText(nil)
	}
	return manageUsageText(bot.Plain(problem))
}

// manageUsageText is the usage after the problem, which may quote the user.
func manageUsageText(problem bot.Text) *bot.Reply {
	intro := "Usage: /digest-manage subscribe <kind> [at HH:MM] [zone] [daily | weekdays | weekly <day>] [always] · /digest-manage unsubscribe <id> · /digest-manage managers add|remove @name. " +
		"Kinds: overview, changes, matrix, or an actor or option id. Times are 24-hour, in an IANA zone (default 09:00 UTC), daily unless you say weekdays or weekly mon. " +
		"A changes subscription skips the days when nothing changed; add always to post those too. Ids: /digest list."
	text := bot.Plain(intro)
	if len(problem) > 0 {
		text = append(append(problem, bot.Span{Text: " "}), text...)
	}
	return &bot.Reply{Command: ManageCommandName, Outcome: bot.OutcomeUsage, Title: "How to use /digest-manage", Intro: text, Private: true, Settings: true}
}

func message(outcome bot.Outcome, title, text string) *bot.Reply {
	return &bot.Reply{Command: CommandName, Outcome: outcome, Title: title, Intro: bot.Plain(text), Private: true}
}

// manageMessage is an answer of /digest-manage: never offered for sharing.
func manageMessage(outcome bot.Outcome, title, text string) *bot.Reply {
	r := message(outcome, title, text)
	r.Command = ManageCommandName
	r.Settings = true
	return r
}

// requestTarget is the channel a request came from, if it names one.
func requestTarget(req bot.Request) (Target, bool) {
	ch := req.ChannelID
	if req.Platform == bot.PlatformConsole && ch == "" {
		ch = "main"
	}
	if ch == "" {
		return Target{}, false
	}
	t, err := ParseTarget(req.Platform + ":" + ch)
	return t, err == nil
}

func (s *command) preview(ctx context.Context, req bot.Request, kind string) *bot.Reply {
	if kind == "" {
		kind = bot.DigestOverview
	}
	kind = bot.WithDossier(kind, req.Dossier) // the channel's dossier unless the kind names one
	b, err := s.content.builderNow()
	if err != nil {
		return message(bot.OutcomeError, "Digests are not available", err.Error())
	}
	if k, err := b.DigestKind(kind); err == nil {
		kind = k
	}
	var prev *bot.Snapshot
	if t, ok := requestTarget(req); ok {
		if prev, err = LoadSnapshot(ctx, s.store, t, kind); err != nil {
			s.log.Error("digest: preview: read snapshot", "target", t.String(), "err", err)
		}
	}
	r, _, err := b.Digest(kind, prev)
	if err != nil {
		return usage("Unknown kind.")
	}
	p := *r // shared reply: copy before changing it
	p.Title = "Preview — " + r.Title
	p.Private = true
	return &p
}

// denied is the refusal of a change, saying who can grant the right: the
// adapter's hint (the platform's rule, the global managers) and, on Slack,
// the channel's own managers.
func (s *command) denied(req bot.Request, own []string) *bot.Reply {
	hint := req.ManageHint // the adapter knows who may manage a channel there
	if hint == "" {
		hint = "Only people who may manage this channel can change its digests."
	}
	if req.Platform == bot.PlatformSlack && s.managers != nil {
		if len(own) > 0 {
			hint += " Managers of this channel: " + mentions(own) + "."
		}
		hint += " Any of them can grant you the right with /digest-manage managers add " + req.UserID + "."
	}
	return manageMessage(bot.OutcomeDenied, "Not allowed to change this channel's digests", hint+" Anyone may use /digest list and /digest preview.")
}

func (s *command) subscribe(ctx context.Context, req bot.Request, args string) *bot.Reply {
	t, ok := requestTarget(req)
	if !ok {
		return manageMessage(bot.OutcomeUsage, "Subscribe from a channel", "Run /digest-manage subscribe in the channel that should receive the digest.")
	}
	if ok, refusal := s.mayManage(ctx, req, t); !ok {
		return refusal
	}
	b, err := s.content.builderNow()
	if err != nil {
		return manageMessage(bot.OutcomeError, "Digests are not available", err.Error())
	}
	a, err := parseSubscribe(args, func(k string) (string, bool) {
		kind, err := b.DigestKind(bot.WithDossier(k, req.Dossier)) // the channel's dossier unless k names one
		return kind, err == nil
	})
	var bad inputError
	switch {
	case errors.Is(err, errNoKind):
		return manageUsage("Say which digest:")
	case errors.As(err, &bad):
		return manageUsageText(bad.text())
	}
	return s.addSubscription(ctx, req, t, Subscription{ID: newSubscriptionID(), Platform: t.Platform, Channel: t.Channel,
		Kind: a.kind, At: a.at, Zone: a.zone, Days: a.days, SkipUnchanged: bot.IsChangesDigest(a.kind) && !a.always,
		CreatedBy: req.UserID, Created: s.clock.Now().UTC()})
}

func (s *command) addSubscription(ctx context.Context, req bot.Request, t Target, sub Subscription) *bot.Reply {
	existing, err := s.channelSubscriptions(ctx, t)
	if err != nil {
		return s.storeError(err)
	}
	for _, e := range existing {
		if e.Kind == sub.Kind && e.At == sub.At && e.Zone == sub.Zone {
			text := fmt.Sprintf("This channel already gets the %s digest %s at %s %s (id %s).", e.Kind, DaysLabel(e.Days), e.At, e.Zone, e.ID)
			if e.Days != sub.Days || e.SkipUnchanged != sub.SkipUnchanged {
				text += fmt.Sprintf(" To change it, remove it first with /digest-manage unsubscribe %s, then subscribe again.", e.ID)
			}
			return manageMessage(bot.OutcomeOK, "Already subscribed", text)
		}
	}
	if len(existing) >= maxSubscriptionsPerChannel {
		return manageMessage(bot.OutcomeUsage, "Too many subscriptions", fmt.Sprintf("This channel has %d digest subscriptions, the most allowed. Remove one with /digest-manage unsubscribe <id> (see /digest list).", len(existing)))
	}
	if err := s.store.AddSubscription(ctx, sub); errors.Is(err, ErrDuplicate) {
		return manageMessage(bot.OutcomeOK, "Already subscribed", "This channel already has that subscription; see /digest list.")
	} else if err != nil {
		return s.storeError(err)
	}
	j, _ := SubscriptionJob(sub)
	s.log.Info("digest: subscribed", "subscription", sub.ID, "target", t.String(), "kind", sub.Kind, "at", sub.At, "zone", sub.Zone,
		"days", DaysLabel(sub.Days), "skip_unchanged", sub.SkipUnchanged, "user", req.UserID)
	skip := ""
	if sub.SkipUnchanged {
		skip = " Days when nothing changed are skipped (subscribe with always to post those too)."
	}
	return manageMessage(bot.OutcomeOK, "Subscribed", fmt.Sprintf("This channel will get the %s digest %s at %s (%s). Next: %s.%s Subscription id %s; to stop: /digest-manage unsubscribe %s.",
		sub.Kind, DaysLabel(sub.Days), sub.At, sub.Zone, j.Next(s.clock.Now()).In(j.Zone).Format(timeLayout), skip, sub.ID, sub.ID))
}

// storeError logs the cause and tells the user plainly, without internals.
func (s *command) storeError(err error) *bot.Reply {
	s.log.Error("digest: command: store", "err", err)
	return message(bot.OutcomeError, "Could not reach the digest store", "Nothing was changed. Try again in a minute; the error is in the bot's log.")
}

func (s *command) channelSubscriptions(ctx context.Context, t Target) ([]Subscription, error) {
	all, err := s.store.Subscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []Subscription
	for _, sub := range all {
		if sub.Target() == t {
			out = append(out, sub)
		}
	}
	return out, nil
}

func (s *command) unsubscribe(ctx context.Context, req bot.Request, id string) *bot.Reply {
	t, ok := requestTarget(req)
	if !ok {
		return manageMessage(bot.OutcomeUsage, "Unsubscribe from a channel", "Run /digest-manage unsubscribe in the channel that has the subscription.")
	}
	if ok, refusal := s.mayManage(ctx, req, t); !ok {
		return refusal
	}
	id = strings.ToLower(strings.TrimSpace(id))
	if id == "" || strings.ContainsAny(id, " \t") {
		return manageUsage("Give the subscription id, as shown by /digest list.")
	}
	removed, err := s.store.RemoveSubscription(ctx, id, t.Platform, t.Channel)
	if err != nil {
		return s.storeError(err)
	}
	if !removed {
		r := manageMessage(bot.OutcomeNotFound, "No such subscription here", "")
		r.Intro = bot.Text{{Text: "This channel has no subscription “"}, {Text: id, User: true}, {Text: "”. /digest list shows the ids."}}
		return r
	}
	s.log.Info("digest: unsubscribed", "subscription", id, "target", t.String(), "user", req.UserID)
	return manageMessage(bot.OutcomeOK, "Unsubscribed", "Subscription "+id+" removed; this channel will no longer get that digest.")
}

func (s *command) list(ctx context.Context, req bot.Request) *bot.Reply {
	var keep func(Target) bool
	t, inChannel := requestTarget(req)
	if inChannel {
		keep = func(x Target) bool { return x == t }
	}
	jobs, err := Report(ctx, s.store, s.schedules(), s.clock.Now(), keep)
	if err != nil {
		return s.storeError(err)
	}
	r := &bot.Reply{Command: "digest", Outcome: bot.OutcomeOK, Title: "Digests", Private: true}
	if len(jobs) == 0 {
		r.Intro = bot.Plain("No digests are scheduled here. Subscribe with /digest-manage subscribe overview at 08:30 Europe/Paris (people who manage the channel), or preview one with /digest preview.")
		return r
	}
	var cfg, subs bot.Section
	cfg.Heading, subs.Heading = "Scheduled in the configuration", "Subscriptions made in chat"
	for _, js := range jobs {
		for _, ts := range js.Targets {
			name := js.Job.Name
			if js.Sub != nil {
				name = "id " + js.Sub.ID
			}
			line := fmt.Sprintf("%s — %s digest, %s. Next: %s. Last: %s.", name, js.Job.Kind, js.When(), js.NextLabel(), ts.Result(js.Job.Zone))
			if !inChannel {
				line = ts.Target.String() + ": " + line
			}
			bl := bot.Bullet{Text: bot.Plain(line)}
			if js.Sub != nil {
				subs.Bullets = append(subs.Bullets, bl)
			} else {
				cfg.Bullets = append(cfg.Bullets, bl)
			}
		}
	}
	for _, sec := range []bot.Section{cfg, subs} {
		if len(sec.Bullets) > 0 {
			r.Sections = append(r.Sections, sec)
		}
	}
	return r
}
