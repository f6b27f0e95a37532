package bot

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/briefs"
)

// Engine answers commands. It is safe for concurrent use; Swap replaces the
// whole corpus-and-briefs generation atomically, so a request sees either
// the old set or the new one, never half of each.
type Engine struct {
	cur     atomic.Pointer[state]
	table   []Command
	prefix  string
	observe func(req Request, r *Reply, took time.Duration)
	named   namedReplies
	limiter *Limiter
	now     func() time.Time
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
	// Limiter, when set, limits the commands of each user and channel of
	// a chat platform (Slack, Discord). Adapters verify signatures and drop
	// duplicates before a request reaches the engine, so neither is skipped.
	Limiter *Limiter
	// Now is the limiter's clock (nil: time.Now).
	Now func() time.Time
}

// New builds an engine over a validated set.
func New(set *briefs.Set, opts Options) *Engine {
	e := &Engine{observe: opts.Observe, prefix: opts.Prefix, limiter: opts.Limiter, now: opts.Now}
	if e.now == nil {
		e.now = time.Now
	}
	e.table = append(e.builtins(), opts.Extra...)
	e.Swap(set)
	return e
}

// Swap makes set the one every later request sees.
func (e *Engine) Swap(set *briefs.Set) {
	e.cur.Store(newState(set))
}

// Set returns the generation now being served.
func (e *Engine) Set() *briefs.Set { return e.cur.Load().set }

// Commands returns the command table, for help, manifests, registration and
// hints.
func (e *Engine) Commands() []Command { return e.table }

// Naming is how platform names the commands, for its manifest or
// registration, its help and every answer sent there.
func (e *Engine) Naming(platform string) Naming { return NewNaming(platform, e.prefix, e.table) }

// Command returns the command a name means: its own name or the name it
// is registered under on any platform, with or without the prefix.
func (e *Engine) Command(name string) (Command, bool) { return lookup(e.table, e.prefix, name) }

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
	return e.named.get(req.Platform, e.handle(ctx, req), func(r *Reply) *Reply { return e.Naming(req.Platform).Reply(r) })
}

func (e *Engine) handle(ctx context.Context, req Request) *Reply {
	if len(req.Text) > maxCommandBytes {
		return usageReply("", fmt.Sprintf("That command is %d bytes long; the limit is %d. Try a shorter one, or /help.", len(req.Text), maxCommandBytes))
	}
	if r := e.limit(req); r != nil {
		return r
	}
	if req.Sources {
		return e.sourcesOf(ctx, req)
	}
	p := parse(req.Text)
	if p.name == "" {
		return e.help(ctx, req, "")
	}
	cmd, ok := e.Command(p.name)
	if !ok {
		return e.unknownCommand(p.name)
	}
	return cmd.Run(ctx, req, p.args)
}

func (e *Engine) state() *state { return e.cur.Load() }

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
