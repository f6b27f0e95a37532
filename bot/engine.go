package bot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/briefs"
)

// Engine answers commands from one or more dossiers. It is safe for
// concurrent use; a dossier's generation is replaced atomically, so a
// request sees either the old set or the new one, never half of each, and
// replacing one dossier leaves the others as they are.
type Engine struct {
	cur      atomic.Pointer[catalog]
	swap     sync.Mutex // serialises changes to the catalog
	table    []Command
	prefix   string
	observe  func(req Request, r *Reply, took time.Duration)
	bindings *bindingCache
	speak    string // the default of where messages are answered
	named    namedReplies
	limiter  *Limiter
	now      func() time.Time
}

// Options extends the engine. Extra commands join the one command table, so
// help, the Slack manifest and Discord registration list them too.
type Options struct {
	Extra []Command
	// Prefix starts every command's name on every platform ("bb-" makes
	// /stance /bb-stance); see CheckPrefix.
	Prefix string
	// Observe, when set, is told of every answered request (for logs and
	// metrics). It must not keep or change the reply.
	Observe func(req Request, r *Reply, took time.Duration)
	// Default is the slug of the dossier a channel with no binding answers
	// from (empty: the first).
	Default string
	// Bindings keeps which dossier each channel answers from (nil: every
	// channel answers from the default dossier and /dossier use is off).
	Bindings Bindings
	// BindingTTL is how long a binding read from Bindings is trusted before
	// it is read again (0: DefaultBindingTTL). Bindings made here are seen
	// at once; those made through another replica within this time.
	BindingTTL time.Duration
	// Speak is where messages addressed to the bot are answered until a
	// workspace says otherwise: SpeakEverywhere (default), SpeakBound or
	// SpeakOff.
	Speak string
	// Limiter, when set, limits the commands of each user and channel of
	// a chat platform (Slack, Discord). Adapters verify signatures and drop
	// duplicates before a request reaches the engine, so neither is skipped.
	Limiter *Limiter
	// Now is the clock of the limiter and of the bindings' cache (nil:
	// time.Now).
	Now func() time.Time
}

// New builds an engine over one validated set, its only dossier.
func New(set *briefs.Set, opts Options) *Engine {
	e, err := NewDossiers([]*briefs.Set{set}, opts)
	if err != nil { // one set cannot clash with itself; Default or Speak may be wrong
		opts.Default, opts.Speak = "", ""
		e, _ = NewDossiers([]*briefs.Set{set}, opts)
	}
	return e
}

// NewDossiers builds an engine over several validated sets, one dossier
// each, in the order given. Two sets with one slug, or a Default that
// names none of them, is an error.
func NewDossiers(sets []*briefs.Set, opts Options) (*Engine, error) {
	e := &Engine{observe: opts.Observe, prefix: opts.Prefix, speak: opts.Speak, limiter: opts.Limiter, now: opts.Now}
	if e.now == nil {
		e.now = time.Now
	}
	if e.speak == "" {
		e.speak = SpeakEverywhere
	}
	if !validSpeak(e.speak) {
		return nil, fmt.Errorf("bot: speak %q: want %s, %s or %s", opts.Speak, SpeakEverywhere, SpeakBound, SpeakOff)
	}
	e.table = append(e.builtins(), opts.Extra...)
	cat, err := newCatalog(sets, opts.Default)
	if err != nil {
		return nil, err
	}
	e.cur.Store(cat)
	e.bindings = newBindingCache(opts.Bindings, opts.BindingTTL, opts.Now)
	return e, nil
}

// Swap makes set the one every later request sees in place of the dossier
// with the same slug (with a single dossier: in place of it, whatever its
// slug).
func (e *Engine) Swap(set *briefs.Set) {
	e.swap.Lock()
	defer e.swap.Unlock()
	cat := e.cur.Load()
	old := SlugOf(set)
	if len(cat.order) == 1 {
		old = cat.order[0]
	}
	if next, err := cat.with(old, set); err == nil {
		e.cur.Store(next)
	}
}

// Replace makes set the generation of dossier slug. The set's own slug
// must be slug or one no other dossier has.
func (e *Engine) Replace(slug string, set *briefs.Set) error {
	e.swap.Lock()
	defer e.swap.Unlock()
	next, err := e.cur.Load().with(slug, set)
	if err != nil {
		return err
	}
	e.cur.Store(next)
	return nil
}

// Set returns the generation of the default dossier now being served.
func (e *Engine) Set() *briefs.Set { return e.cur.Load().def().set }

// Commands returns the command table, for help, manifests, registration and
// hints. With one dossier its words describe the commands; with several
// the words stay neutral, and each answer carries its dossier's own.
func (e *Engine) Commands() []Command {
	cat := e.cur.Load()
	if len(cat.order) == 1 {
		return cat.def().commands(e.table)
	}
	return e.table
}

// Naming is how platform names the commands, for its manifest or
// registration, its help and every answer sent there.
// With one dossier, the commands carry its words.
func (e *Engine) Naming(platform string) Naming { return NewNaming(platform, e.prefix, e.Commands()) }

// Command returns the command a name means: its own name or the name it
// is registered under on any platform, with or without the prefix, and
// with one dossier, a name that dossier gives it.
func (e *Engine) Command(name string) (Command, bool) {
	cat := e.cur.Load()
	if len(cat.order) == 1 {
		return e.commandIn(cat.def(), name)
	}
	return lookup(e.table, e.prefix, name)
}

// Handle answers one request. It never panics on any input: a panic in a
// command is turned into an error reply.
func (e *Engine) Handle(ctx context.Context, req Request) (reply *Reply) {
	if e.observe != nil {
		start := time.Now()
		defer func() { e.observe(req, reply, time.Since(start)) }()
	}
	defer func() {
		if r := recover(); r != nil {
			reply = errorReply(fmt.Sprintf("internal error: %v", r))
		}
	}()
	return e.named.get(req.Platform, e.handle(ctx, &req), func(r *Reply) *Reply { return NewNaming(req.Platform, e.prefix, e.table).Reply(r) })
}

// handle answers req, and sets req.Dossier to the dossier it answered from.
func (e *Engine) handle(ctx context.Context, in *Request) *Reply {
	if len(in.Text) > maxCommandBytes {
		return usageReply("", fmt.Sprintf("That command is %d bytes long; the limit is %d. Try a shorter one, or /help.", len(in.Text), maxCommandBytes))
	}
	p := parse(in.Text)
	req, p, bad := e.resolve(ctx, *in, p)
	in.Dossier = req.Dossier
	if bad != nil {
		in.Dossier = ""
		if in.Mention && !e.speaks(ctx, *in, "") {
			return silent()
		}
		if r := e.limit(*in); r != nil {
			return r
		}
		return bad
	}
	if in.Mention && !e.speaks(ctx, *in, req.via) {
		return silent()
	}
	if r := e.limit(req); r != nil {
		return r
	}
	if req.Sources {
		return e.sourcesOf(ctx, req, p)
	}
	return e.run(ctx, req, p)
}

// run answers a parsed request whose dossier is resolved.
func (e *Engine) run(ctx context.Context, req Request, p parsed) *Reply {
	st := e.stateOf(req)
	if p.name == "" {
		return e.help(ctx, req, "")
	}
	cmd, ok := e.commandIn(st, p.name)
	if !ok {
		return e.unknownCommand(req, p.name)
	}
	if r := st.unsupported(cmd.Name); r != nil {
		return r
	}
	return cmd.Run(ctx, req, p.args)
}

func errorReply(msg string) *Reply {
	return &Reply{Command: "", Outcome: OutcomeError, Title: "Something went wrong", Intro: Plain(msg), Private: true}
}

func usageReply(cmd, msg string) *Reply {
	return &Reply{Command: cmd, Outcome: OutcomeUsage, Title: "How to use this", Intro: Plain(msg), Private: true}
}

// limit returns the polite refusal when req is over its user's or its
// channel's rate, nil when it may run. Only chat platforms are limited.
func (e *Engine) limit(req Request) *Reply {
	if e.limiter == nil || (req.Platform != PlatformSlack && req.Platform != PlatformDiscord) {
		return nil
	}
	ok, scope, wait := e.limiter.Allow(req.Platform, req.UserID, req.ChannelID, e.now())
	if ok {
		return nil
	}
	if f := e.limiter.limits.OnLimited; f != nil {
		f(req.Platform, scope)
	}
	return e.limiter.limited(scope, wait)
}
