package bot

import (
	"context"
	"slices"
	"strings"
	"time"
)

// dossierCommand is the /dossier row of the command table.
func (e *Engine) dossierCommand() Command {
	return Command{Name: "dossier", Summary: "Which dossier this channel answers from, the others, and how to switch",
		Args: []Arg{{Name: "action", Kind: ArgText,
			Description: "Empty to see them; use <slug> binds this channel; default <slug> sets the workspace's default; dm <slug> the default for direct messages; speak everywhere|bound|off"}},
		Examples: []string{"/dossier", "/dossier use <slug>"}, Waits: true, Run: e.dossier}
}

func (e *Engine) dossier(ctx context.Context, req Request, args string) *Reply {
	verb, slug, _ := strings.Cut(strings.TrimSpace(args), " ")
	verb, slug = strings.ToLower(verb), strings.ToLower(strings.TrimSpace(slug))
	switch verb {
	case "", "list", "show":
		return e.dossierShow(ctx, req)
	case "use", "default", "dm":
	case "speak":
		return e.dossierSpeak(ctx, req, slug)
	default:
		return usageReply("dossier", "Usage: /dossier, /dossier use <slug>, /dossier default <slug>, /dossier dm <slug> or /dossier speak everywhere|bound|off.")
	}
	if slug == "" {
		r := usageReply("dossier", "Name the dossier, e.g. /dossier "+verb+" "+e.Dossiers()[0]+".")
		r.Sections = []Section{e.dossierList("Dossiers", "")}
		return r
	}
	if _, ok := e.cur.Load().by[slug]; !ok {
		return e.unknownDossier("dossier", slug)
	}
	return e.dossierBind(ctx, req, verb, slug)
}

// dossierBind binds a scope, after the same permission check as digest
// subscriptions. In a direct message, anyone may bind that conversation.
func (e *Engine) dossierBind(ctx context.Context, req Request, verb, slug string) *Reply {
	var scope, where string
	switch {
	case verb == "use" && req.ChannelID != "":
		scope, where = ChannelScope(req.Platform, req.ChannelID), "This channel now answers"
	case verb == "default" && req.Workspace != "":
		scope, where = WorkspaceScope(req.Platform, req.Workspace), "Channels of this workspace with no dossier of their own now answer"
	case verb == "dm":
		scope, where = DMScope(req.Platform), "Direct messages with no dossier of their own now answer"
	default:
		return usageReply("dossier", "Run /dossier "+verb+" from a channel of a workspace; here there is none to bind.")
	}
	if e.bindings.store == nil {
		return &Reply{Command: "dossier", Outcome: OutcomeError, Private: true, Title: "Bindings are not kept here",
			Intro: Plain("This bot runs without a store, so every channel answers from the default dossier. Ask in a channel: /<command> in:" + slug + " ….")}
	}
	if !req.CanManage && !(verb == "use" && req.DM) {
		hint := req.ManageHint
		if hint == "" {
			hint = "Only people who may manage this channel can change its dossier."
		}
		return &Reply{Command: "dossier", Outcome: OutcomeDenied, Private: true, Title: "Not allowed to change the dossier here",
			Intro: Plain(hint + " Anyone may ask another dossier once: /<command> in:" + slug + " ….")}
	}
	err := e.bindings.bind(ctx, Binding{Scope: scope, Dossier: slug, By: req.UserID, At: e.bindings.now().UTC().Truncate(time.Millisecond)})
	if err != nil {
		return &Reply{Command: "dossier", Outcome: OutcomeError, Private: true, Title: "The binding was not saved",
			Intro: Plain("Nothing changed: " + err.Error())}
	}
	set, _ := e.Dossier(slug)
	return &Reply{Command: "dossier", Outcome: OutcomeOK, Private: false, Title: "Dossier: " + TitleOf(set),
		Intro: Plain(where + " from “" + TitleOf(set) + "” (" + slug + "). /help shows what it answers.")}
}

// dossierSpeak is /dossier speak <mode>: where this workspace answers
// messages addressed to the bot (mentions and direct messages).
func (e *Engine) dossierSpeak(ctx context.Context, req Request, mode string) *Reply {
	if !validSpeak(mode) {
		return usageReply("dossier", "Usage: /dossier speak everywhere (mentions and direct messages are answered everywhere), bound (only in channels bound to a dossier, and direct messages) or off (slash commands only).")
	}
	if req.Workspace == "" {
		return usageReply("dossier", "Run /dossier speak from a channel of a workspace.")
	}
	if r := e.canBind(req, false); r != nil {
		return r
	}
	if err := e.bindings.bind(ctx, Binding{Scope: SpeakScope(req.Platform, req.Workspace), Dossier: mode, By: req.UserID, At: e.bindings.now().UTC()}); err != nil {
		return &Reply{Command: "dossier", Outcome: OutcomeError, Private: true, Title: "The setting was not saved", Intro: Plain("Nothing changed: " + err.Error())}
	}
	return &Reply{Command: "dossier", Outcome: OutcomeOK, Private: true, Settings: true, Title: "Mentions and direct messages: " + mode,
		Intro: Plain("In this workspace, messages addressed to the bot are now answered: " + speakText(mode) + ". Slash commands are answered everywhere.")}
}

func speakText(mode string) string {
	switch mode {
	case SpeakOff:
		return "nowhere"
	case SpeakBound:
		return "only in channels bound to a dossier (/dossier use), and in direct messages"
	}
	return "in every channel and direct message"
}

// canBind refuses a change without a store or without permission (a
// person may always bind their own direct message when dm is true).
func (e *Engine) canBind(req Request, dm bool) *Reply {
	if e.bindings.store == nil {
		return &Reply{Command: "dossier", Outcome: OutcomeError, Private: true, Title: "Settings are not kept here",
			Intro: Plain("This bot runs without a store, so channel settings cannot be saved.")}
	}
	if req.CanManage || dm {
		return nil
	}
	hint := req.ManageHint
	if hint == "" {
		hint = "Only people who may manage this channel can change its dossier."
	}
	return &Reply{Command: "dossier", Outcome: OutcomeDenied, Private: true, Title: "Not allowed to change the dossier here",
		Intro: Plain(hint + " Anyone may ask another dossier once: /<command> in:<slug> ….")}
}

// dossierShow is /dossier: the request's dossier, how it was chosen, and
// the others.
func (e *Engine) dossierShow(ctx context.Context, req Request) *Reply {
	st := e.stateOf(req)
	d := st.dossierText()
	via := req.via
	if via == "" {
		via = viaBotDefault
	}
	intro := "“" + TitleOf(st.set) + "” (" + d.Slug + "), " + via + "."
	if d.Description != "" {
		intro += " " + d.Description
	}
	if req.Platform == PlatformSlack || req.Platform == PlatformDiscord {
		intro += " Mentions and direct messages are answered " + speakText(e.speakMode(ctx, req)) + " (/dossier speak)."
	}
	r := &Reply{Command: "dossier", Outcome: OutcomeOK, Private: true, Title: "Dossier: " + TitleOf(st.set), Intro: Plain(intro)}
	if len(e.cur.Load().order) > 1 {
		r.Sections = append(r.Sections, e.dossierList("Other dossiers", d.Slug))
		r.Sections = append(r.Sections, Section{Heading: "Switch", Bullets: []Bullet{
			{Text: Plain("Ask once: /<command> in:<slug> …, e.g. /ask in:" + e.other(d.Slug) + " …")},
			{Text: Plain("Bind this channel: /dossier use <slug> (people who manage the channel).")}}})
	}
	return r
}

// other is a loaded slug other than this one.
func (e *Engine) other(slug string) string {
	for _, s := range e.Dossiers() {
		if s != slug {
			return s
		}
	}
	return slug
}

// dossierList lists the loaded dossiers but one.
func (e *Engine) dossierList(heading, except string) Section {
	cat := e.cur.Load()
	s := Section{Heading: heading}
	for _, slug := range cat.order {
		if slug == except {
			continue
		}
		st := cat.by[slug]
		line := slug + " — " + TitleOf(st.set)
		if desc := st.dossierText().Description; desc != "" {
			line += ": " + desc
		}
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(line)})
	}
	return s
}

// DossierArg is the optional argument that asks one command of another
// dossier, for platforms with typed options (Discord). It is not in the
// table's Args: Slack and the console write "in:<slug>" instead.
var DossierArg = Arg{Name: "dossier", Kind: ArgDossier, Description: "Ask another dossier this once (default: this channel's)"}

// Scoped says whether a command answers from a dossier, so that it takes
// DossierArg; /dossier and commands that change settings do not.
func (c Command) Scoped() bool { return !c.Manage && c.Name != "dossier" }

// completeDossier offers the loaded dossiers whose slug or title starts
// with, or contains, what was typed.
func (e *Engine) completeDossier(typed string, max int) []Choice {
	k := strings.ToLower(strings.TrimSpace(typed))
	cat := e.cur.Load()
	var out []Choice
	for _, pass := range []func(string) bool{
		func(s string) bool { return strings.HasPrefix(s, k) },
		func(s string) bool { return !strings.HasPrefix(s, k) && strings.Contains(s, k) },
	} {
		for _, slug := range cat.order {
			title := TitleOf(cat.by[slug].set)
			if len(out) < max && (pass(slug) || pass(strings.ToLower(title))) && !slices.ContainsFunc(out, func(c Choice) bool { return c.Value == slug }) {
				out = append(out, Choice{Name: title + " (" + slug + ")", Value: slug})
			}
		}
	}
	return out
}
