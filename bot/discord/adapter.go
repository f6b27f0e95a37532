package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/seen"
	"github.com/briefbot/briefbot/webhook"
)

// Modes of receiving interactions; a deployment uses one.
const (
	ModeGateway = "gateway"
	ModeHTTP    = "http"
)

// Bounds of the adapter's memory and background work.
const (
	// seenMax bounds the interaction ids remembered for de-duplication
	// (512 KiB at most; the gateway's message ids share the bound). An id is held
	// for seenTTL up to 16,384 interactions in that time (18 a second);
	// past it, in a flood, the oldest are forgotten first.
	seenMax         = 1 << 15
	seenTTL         = 15 * time.Minute // an interaction token's lifetime
	sharesMax       = 10_000           // long Share commands kept in memory
	renderCacheMax  = 1024             // rendered replies kept
	responseMax     = 512              // encoded command responses kept (a few KB each)
	sharesTTL       = 24 * time.Hour
	followupTimeout = time.Minute
	drainTimeout    = 10 * time.Second
	userAgent       = "DiscordBot (https://github.com/briefbot, 1) briefbot"
)

// Engine answers commands and describes the command table; *bot.Engine
// is one.
type Engine interface {
	Handle(ctx context.Context, req bot.Request) *bot.Reply
	Command(name string) (bot.Command, bool)
	Immediate(req bot.Request) bool
	CompleteIn(ctx context.Context, req bot.Request, kind bot.ArgKind, typed string, max int) []bot.Choice
}

// Options configure the adapter.
type Options struct {
	// Naming names the commands as registered on Discord, in digests and
	// in the help command's completions (answers come named from the
	// engine).
	Naming bot.Naming
	// Mode is ModeGateway or ModeHTTP.
	Mode      string
	AppID     string
	PublicKey string // hex, needed in HTTP mode
	BotToken  string // needed in gateway mode and for posting
	// APIURL points REST calls at another base URL (tests, proxies).
	APIURL string
	// HTTPClient is used for REST calls (nil: a client with a timeout).
	HTTPClient *http.Client
	Log        *slog.Logger
	// OnSignatureFailure, when set, is called for every request to the
	// interactions endpoint that fails verification.
	OnSignatureFailure func()
	// PostRate bounds the poster's requests per second (default 5).
	PostRate float64
	// DeferAfter is how long a command may run before its response is
	// deferred (default 2s; Discord allows 3s).
	DeferAfter time.Duration
	// Now tells the time (default time.Now).
	Now func() time.Time
	// ConsoleURL is the web console's public address, if it has one: an
	// answer cut to bot.MaxMessages links its reader view there.
	ConsoleURL string
	// Audit, when set, records shares in the audit log.
	Audit bot.Auditor
	// Claims, when set, records answered messages so that several replicas
	// answer each once (nil: this process only).
	Claims Claimer
	// Shards is the number of gateway shards (0 or 1: one connection).
	Shards int
	// ShardLocks share the shards among replicas (nil: this process holds
	// every shard). With them, interactions are also claimed in Claims, so
	// that a shard changing hands never gets one answered twice.
	ShardLocks ShardLocks
	// ShardRetry is how often free shards are looked for (default 5s).
	ShardRetry time.Duration
	// IdentifyEvery spaces this process's shard connections (default: 5s
	// divided by the max_concurrency Discord gives the bot).
	IdentifyEvery time.Duration
}

// Adapter is the Discord adapter: interactions in, embeds out.
type Adapter struct {
	engine     Engine
	names      bot.Naming
	mode       string
	log        *slog.Logger
	verifier   *verifier
	session    *discordgo.Session // nil without a bot token
	hooks      *hooks
	poster     *Poster
	seen       *seen.Set
	shares     *memo
	rendered   *renderCache
	responses  *responseCache
	deferAfter time.Duration
	now        func() time.Time
	onSigFail  func()
	gw         *gateway
	token      string
	client     *http.Client
	bg         context.Context // background work: follow-ups, gateway handlers
	stopBG     context.CancelFunc
	inflight   sync.WaitGroup
	msgs       *messages
	auditor    bot.Auditor
}

// New checks the options and builds the adapter. Nothing touches the
// network until Run.
func New(engine Engine, opts Options) (*Adapter, error) {
	if engine == nil {
		return nil, errors.New("discord: no engine")
	}
	if opts.AppID == "" {
		return nil, errors.New("discord: no application id (DISCORD_APP_ID)")
	}
	client, err := newHTTPClient(opts.APIURL, opts.HTTPClient)
	if err != nil {
		return nil, err
	}
	a := &Adapter{
		engine:     engine,
		names:      opts.Naming,
		mode:       opts.Mode,
		log:        opts.Log,
		hooks:      &hooks{client: client, appID: opts.AppID, userAgent: userAgent},
		seen:       seen.New(seenMax, seenTTL),
		shares:     newMemo(sharesMax, sharesTTL),
		rendered:   newRenderCache(renderCacheMax, opts.ConsoleURL, opts.Naming),
		responses:  newResponseCache(responseMax),
		auditor:    opts.Audit,
		deferAfter: opts.DeferAfter,
		now:        opts.Now,
		onSigFail:  opts.OnSignatureFailure,
		msgs:       newMessages(opts.Claims),
		gw:         newGateway(opts),
		token:      opts.BotToken,
		client:     client,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.deferAfter <= 0 {
		a.deferAfter = defaultDeferAfter
	}
	if a.now == nil {
		a.now = time.Now
	}
	if err := a.configure(opts, client); err != nil {
		return nil, err
	}
	a.bg, a.stopBG = context.WithCancel(context.Background())
	return a, nil
}

// configure checks the mode's keys and sets up the session.
func (a *Adapter) configure(opts Options, client *http.Client) error {
	switch a.mode {
	case ModeHTTP:
		key, err := parsePublicKey(opts.PublicKey)
		if err != nil {
			return err
		}
		if a.verifier, err = newVerifier(key); err != nil {
			return err
		}
	case ModeGateway:
		if opts.BotToken == "" {
			return errors.New("discord: gateway mode needs a bot token (DISCORD_BOT_TOKEN)")
		}
	default:
		return fmt.Errorf("discord: mode %q: want %s or %s", a.mode, ModeGateway, ModeHTTP)
	}
	if opts.BotToken != "" {
		a.session = newSession(opts.BotToken, client) // REST; the gateway's sessions are per shard
	}
	a.poster = newPoster(a.session, opts.PostRate, opts.Naming)
	return nil
}

// newSession returns a discordgo session for the bot token that talks
// through client. Rate-limit retries are ours (bounded, cancellable), so
// discordgo's own unbounded ones are off.
func newSession(token string, client *http.Client) *discordgo.Session {
	s, _ := discordgo.New("Bot " + strings.TrimPrefix(token, "Bot "))
	s.Client = client
	s.UserAgent = userAgent
	s.Identify.Intents = gatewayIntents
	s.StateEnabled = false
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	return s
}

func parsePublicKey(s string) (ed25519.PublicKey, error) {
	raw, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("discord: public key (DISCORD_PUBLIC_KEY) must be 64 hex characters")
	}
	return ed25519.PublicKey(raw), nil
}

// Name is the platform name used in targets and metrics.
func (a *Adapter) Name() string { return "discord" }

// Router is where the adapter mounts its endpoint; webhook.Mux is one.
type Router interface {
	Webhook(rt webhook.Route)
}

// Routes mounts the interactions endpoint in HTTP mode.
func (a *Adapter) Routes(r Router) {
	if a.mode == ModeHTTP {
		r.Webhook(a.Route())
	}
}

// Poster posts digests to channels; it needs a bot token.
func (a *Adapter) Poster() *Poster { return a.poster }

// Ready reports whether the adapter can answer: in gateway mode once the
// gateway session is up, in HTTP mode always.
func (a *Adapter) Ready() error {
	if a.mode == ModeGateway {
		if _, err := a.gatewayReadiness(); err != nil {
			return fmt.Errorf("discord: %w", err)
		}
	}
	return nil
}

// Run keeps the gateway connection in gateway mode until ctx ends, then
// closes it and lets in-flight answers finish.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.drain()
	if a.mode != ModeGateway {
		<-ctx.Done()
		return nil
	}
	return a.runGateway(ctx)
}

// open connects one shard's session to the gateway, retrying with backoff
// until it succeeds or ctx ends. Once open, discordgo reconnects and
// resumes on its own.
func (a *Adapter) open(ctx context.Context, s *discordgo.Session, log *slog.Logger) error {
	wait := time.Second
	for {
		err := a.pacedOpen(ctx, s.Open)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			log.Info("discord gateway connected")
			return nil
		}
		log.Warn("discord gateway connect failed; retrying", "err", err, "retry_in", wait.String())
		if sleep(ctx, wait) != nil {
			return nil
		}
		wait = min(wait*2, time.Minute)
	}
}

// drain waits a bounded time for background answers, then cancels them.
func (a *Adapter) drain() {
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drainTimeout):
	}
	a.stopBG()
}

// background runs fn after the current request, bounded in time.
func (a *Adapter) background(fn func(ctx context.Context)) {
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		ctx, cancel := context.WithTimeout(a.bg, followupTimeout)
		defer cancel()
		fn(ctx)
	}()
}

// firstDelivery records an interaction id and reports whether it is new.
// PINGs are not recorded.
func (a *Adapter) firstDelivery(in *discordgo.Interaction) bool {
	if in.Type == discordgo.InteractionPing {
		return true
	}
	return a.seen.Add(a.idKey(in.ID), a.now())
}

// idKey is the de-duplication key of an interaction id: the snowflake's
// number, or for anything else the id's hash.
func (a *Adapter) idKey(id string) uint64 {
	if n, err := strconv.ParseUint(id, 10, 64); err == nil {
		return n
	}
	return a.seen.Key(id)
}

// firstAcrossReplicas claims a gateway interaction in the store when
// replicas share the shards: while a shard changes hands, the replica
// losing it and the one taking it may both be connected for a moment.
// Without a store, or when it fails, the answer goes out.
func (a *Adapter) firstAcrossReplicas(in *discordgo.Interaction) bool {
	if !a.gw.shared() || a.msgs.claims == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(a.bg, time.Second)
	defer cancel()
	won, err := a.msgs.claims.ClaimEvent(ctx, "discord:interaction:"+in.ID, a.now(), seenTTL)
	if err != nil {
		a.log.Warn("discord interaction claim failed; answering", "interaction_id", in.ID, "err", err)
		return true
	}
	return won
}

// onInteraction handles an interaction event from the gateway.
func (a *Adapter) onInteraction(_ *discordgo.Session, ev *discordgo.InteractionCreate) {
	if ev == nil || ev.Interaction == nil {
		return
	}
	in := ev.Interaction
	if !a.firstDelivery(in) || !a.firstAcrossReplicas(in) {
		a.log.Info("discord interaction delivered twice; ignored", "interaction_id", in.ID)
		return
	}
	a.inflight.Add(1)
	defer a.inflight.Done()
	ctx, cancel := context.WithTimeout(a.bg, followupTimeout)
	defer cancel()
	ans := a.interact(ctx, in)
	if err := a.hooks.respond(ctx, in, ans.body); err != nil {
		a.log.Warn("discord interaction not answered", "interaction_id", in.ID, "err", err)
		return
	}
	a.finish(ctx, in, ans)
}

// finish runs an answer's follow-up work and logs its failure.
func (a *Adapter) finish(ctx context.Context, in *discordgo.Interaction, ans answer) {
	if ans.after == nil {
		return
	}
	if err := ans.after(ctx); err != nil {
		a.log.Warn("discord follow-up failed", "interaction_id", in.ID, "err", err)
	}
}
