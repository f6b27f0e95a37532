package bot

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Bindings keeps which dossier a channel, a workspace's channels or direct
// messages answer from. The store implements it, so that every replica
// reads the same bindings.
type Bindings interface {
	// Binding returns the dossier bound to a scope; ok is false when none is.
	Binding(ctx context.Context, scope string) (slug string, ok bool, err error)
	// Bind binds a scope to a dossier, replacing any earlier binding.
	Bind(ctx context.Context, b Binding) error
}

// Binding is one scope bound to a dossier.
type Binding struct {
	Scope   string // see ChannelScope, WorkspaceScope, DMScope
	Dossier string
	By      string // the user who bound it
	At      time.Time
}

// ChannelScope is the scope of one channel (a direct message included).
func ChannelScope(platform, channel string) string { return platform + ":channel:" + channel }

// WorkspaceScope is the default of a Slack workspace or a Discord guild.
func WorkspaceScope(platform, workspace string) string {
	return platform + ":workspace:" + workspace
}

// DMScope is the default of direct messages on a platform.
func DMScope(platform string) string { return platform + ":dm" }

// DefaultBindingTTL is how long a binding read from the store is trusted:
// a binding made through another replica is seen within this time.
const DefaultBindingTTL = 5 * time.Second

// maxCachedBindings bounds the cache; past it, it starts again empty.
const maxCachedBindings = 50_000

// bindingCache reads bindings through to the store, keeping each answer
// for a short time.
type bindingCache struct {
	store Bindings
	ttl   time.Duration
	now   func() time.Time
	mu    sync.Mutex
	byKey map[string]cachedBinding
}

type cachedBinding struct {
	slug  string
	ok    bool
	until time.Time
}

func newBindingCache(store Bindings, ttl time.Duration, now func() time.Time) *bindingCache {
	if ttl <= 0 {
		ttl = DefaultBindingTTL
	}
	if now == nil {
		now = time.Now
	}
	return &bindingCache{store: store, ttl: ttl, now: now, byKey: map[string]cachedBinding{}}
}

func (c *bindingCache) get(ctx context.Context, scope string) (string, bool, error) {
	if c.store == nil {
		return "", false, nil
	}
	now := c.now()
	c.mu.Lock()
	e, hit := c.byKey[scope]
	c.mu.Unlock()
	if hit && now.Before(e.until) {
		return e.slug, e.ok, nil
	}
	slug, ok, err := c.store.Binding(ctx, scope)
	if err != nil {
		return "", false, err
	}
	c.put(scope, slug, ok, now)
	return slug, ok, nil
}

// cached reports whether scope's binding is known without the store (no
// store, or cached and fresh), and whether it binds a dossier.
func (c *bindingCache) cached(scope string) (known, bound bool) {
	if c.store == nil {
		return true, false
	}
	now := c.now()
	c.mu.Lock()
	e, hit := c.byKey[scope]
	c.mu.Unlock()
	return hit && now.Before(e.until), e.ok
}

func (c *bindingCache) put(scope, slug string, ok bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byKey) >= maxCachedBindings {
		c.byKey = map[string]cachedBinding{}
	}
	c.byKey[scope] = cachedBinding{slug: slug, ok: ok, until: now.Add(c.ttl)}
}

func (c *bindingCache) bind(ctx context.Context, b Binding) error {
	if err := c.store.Bind(ctx, b); err != nil {
		return err
	}
	c.put(b.Scope, b.Dossier, true, c.now())
	return nil
}

// How a request's dossier was chosen, for /dossier.
const (
	viaOneOff     = "named in the command"
	viaChannel    = "bound to this channel"
	viaDM         = "the default for direct messages"
	viaWorkspace  = "the default of this workspace"
	viaBotDefault = "the bot's default"
)

// resolve picks the request's dossier: one named in the command ("in:slug"
// as the first word after the command name, or Request.Dossier), else the
// channel's binding, else the default for direct messages or the
// workspace, else the bot's default. An unknown or malformed dossier name
// gets a reply that says so.
func (e *Engine) resolve(ctx context.Context, req Request, p parsed) (Request, parsed, *Reply) {
	cat := e.cur.Load()
	if first, rest, _ := strings.Cut(p.args, " "); strings.HasPrefix(strings.ToLower(first), oneOffPrefix) {
		if req.Dossier != "" {
			return req, p, usageReply(p.name, "Name the dossier once: the command already asks the “"+echo(req.Dossier)+"” dossier.")
		}
		req.Dossier, p.args = first[len(oneOffPrefix):], rest
		if req.Dossier == "" {
			return req, p, usageReply(p.name, "Write the dossier right after “in:”, e.g. /"+p.name+" in:"+cat.order[len(cat.order)-1]+" …. /dossier lists them.")
		}
	}
	if req.Dossier != "" {
		req.Dossier = strings.ToLower(req.Dossier)
		if _, ok := cat.by[req.Dossier]; !ok {
			return req, p, e.unknownDossier(p.name, req.Dossier)
		}
		req.via = viaOneOff
		return req, p, nil
	}
	req.Dossier, req.via = e.bound(ctx, req)
	return req, p, nil
}

// oneOffPrefix starts the word that asks one question of another dossier.
const oneOffPrefix = "in:"

// bound is the dossier bound where the request comes from, and how.
func (e *Engine) bound(ctx context.Context, req Request) (string, string) {
	cat := e.cur.Load()
	try := func(scope, via string) (string, string, bool) {
		slug, ok, err := e.bindings.get(ctx, scope)
		if err != nil || !ok {
			return "", "", false
		}
		if _, loaded := cat.by[slug]; !loaded {
			return "", "", false // bound to a dossier no longer loaded
		}
		return slug, via, true
	}
	if req.ChannelID != "" {
		if s, v, ok := try(ChannelScope(req.Platform, req.ChannelID), viaChannel); ok {
			return s, v
		}
	}
	if req.DM {
		if s, v, ok := try(DMScope(req.Platform), viaDM); ok {
			return s, v
		}
	} else if req.Workspace != "" {
		if s, v, ok := try(WorkspaceScope(req.Platform, req.Workspace), viaWorkspace); ok {
			return s, v
		}
	}
	return cat.dflt, viaBotDefault
}

// unknownDossier answers a dossier name that is not loaded, with the
// closest slugs.
func (e *Engine) unknownDossier(cmd, typed string) *Reply {
	cat := e.cur.Load()
	tb := (&textBuilder{}).our("There is no dossier “").user(echo(typed)).our("”.")
	if sug := closeSlugs(typed, cat.order); len(sug) > 0 {
		tb.our(" Did you mean " + strings.Join(sug, " or ") + "?")
	}
	r := &Reply{Command: cmd, Outcome: OutcomeNotFound, Private: true, Title: "No dossier by that name", Intro: tb.t}
	r.Sections = []Section{e.dossierList("Dossiers", "")}
	return r
}

// closeSlugs are the loaded slugs a few typing mistakes from typed, or
// starting with it.
func closeSlugs(typed string, slugs []string) []string {
	var out []string
	for _, s := range slugs {
		if typoDistance(typed, s) <= maxSuggestEdits(typed) || len(typed) >= 3 && strings.HasPrefix(s, typed) {
			out = append(out, s)
		}
	}
	return out
}
