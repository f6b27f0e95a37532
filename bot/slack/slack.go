// Package slack is briefbot's Slack adapter. It receives slash commands
// over HTTP (signed form posts) and Socket Mode, hands them to the command
// engine, renders the engine's replies in Block Kit within Slack's limits,
// shares answers in a channel on request, and posts digests with
// chat.postMessage. slack-go is used here and nowhere else.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/webhook"
)

// Modes of receiving commands.
const (
	ModeHTTP   = "http"
	ModeSocket = "socket"
)

// Windows within which a repeat counts as a duplicate.
const (
	commandWindow = 5 * time.Second
	shareWindow   = 30 * time.Second
)

// Engine answers commands; *bot.Engine is one.
type Engine interface {
	Handle(ctx context.Context, req bot.Request) *bot.Reply
}

// Options configure the adapter.
type Options struct {
	// Naming names the commands as registered on Slack in digests and in
	// the adapter's own words (answers come named from the engine).
	Naming        bot.Naming
	SigningSecret string // verifies HTTP requests; routes are mounted only with it
	BotToken      string // xoxb-: posting digests and Socket Mode
	AppToken      string // xapp-: Socket Mode
	APIURL        string // Web API base; empty means Slack's
	Mode          string // ModeHTTP (default) or ModeSocket
	// Managers are the user ids allowed to change channel settings.
	Managers []string
	// PostRate bounds the poster's messages per second across the
	// workspace (0: DefaultPostRate). Slack allows one per second per
	// channel and "several hundred per minute" per workspace.
	PostRate float64
	Log      *slog.Logger
	// OnSignatureFailure, when set, is called once per rejected request.
	OnSignatureFailure func()
	// Now is the clock (nil: the system clock).
	Now func() time.Time
	// HTTPClient is used for the Web API and response_urls (nil: a client
	// with a timeout).
	HTTPClient *http.Client
	// ConsoleURL is the web console's public address, if it has one: an
	// answer cut to bot.MaxMessages links its reader view there.
	ConsoleURL string
	// Audit, when set, records shares in the audit log.
	Audit bot.Auditor
	// Claims, when set, records answered mentions and direct messages so
	// that several replicas answer each once (nil: this process only).
	Claims Claimer
}

// Adapter connects the engine to one Slack app.
type Adapter struct {
	engine    Engine
	names     bot.Naming
	log       *slog.Logger
	mode      string
	verifier  *Verifier
	managers  map[string]bool
	onSigFail func()
	resp      *responder
	commands  *dedup
	shares    *dedup
	renders   *renderCache
	poster    *Poster
	socket    *socketmode.Client
	chat      *chatEvents
	// rejects samples the log line of refused requests: the metric
	// counts every one, the log at most 10 a minute.
	rejects *logSampler
	auditor bot.Auditor
	now     func() time.Time
	// manageHint says who grants the right to manage a channel.
	manageHint string

	connected atomic.Bool
	canPost   bool // a bot token is set: digests and answers to mentions can go out
	bg        sync.WaitGroup
}

// New builds an adapter from opts. It makes no network calls.
func New(engine Engine, opts Options) (*Adapter, error) {
	if engine == nil {
		return nil, errors.New("slack: no engine")
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Mode == "" {
		opts.Mode = ModeHTTP
	}
	a := &Adapter{
		engine:    engine,
		names:     opts.Naming,
		log:       opts.Log.With("platform", "slack"),
		mode:      opts.Mode,
		managers:  map[string]bool{},
		onSigFail: opts.OnSignatureFailure,
		resp:      &responder{client: opts.HTTPClient},
		commands:  newDedup(commandWindow, opts.Now),
		shares:    newDedup(shareWindow, opts.Now),
		renders:   newRenderCache(1024, opts.ConsoleURL, opts.Naming),
		rejects:   &logSampler{interval: time.Minute, burst: 10},
		auditor:   opts.Audit,
		now:       opts.Now,
	}
	for _, m := range opts.Managers {
		a.managers[m] = true
	}
	a.manageHint = manageHint(opts.Managers)
	if opts.SigningSecret != "" {
		a.verifier = NewVerifier(opts.SigningSecret, opts.Now)
	}
	if err := a.setup(opts); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Adapter) setup(opts Options) error {
	var api *slackapi.Client
	if opts.BotToken != "" {
		api = newAPI(opts)
		a.canPost = true
	}
	a.poster = newPoster(api, opts.PostRate, opts.Naming)
	a.chat = newChatEvents(api, opts.Claims, opts.Now)
	switch opts.Mode {
	case ModeHTTP:
		if a.verifier == nil {
			return errors.New("slack: http mode needs a signing secret")
		}
	case ModeSocket:
		if opts.AppToken == "" || api == nil {
			return errors.New("slack: socket mode needs an app token and a bot token")
		}
		// slack-go's own lines go through slog, in the configured format.
		a.socket = socketmode.New(api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)))
	default:
		return fmt.Errorf("slack: mode %q: want http or socket", opts.Mode)
	}
	return nil
}

// newAPI returns a Web API client for the bot token.
func newAPI(opts Options) *slackapi.Client {
	o := []slackapi.Option{slackapi.OptionHTTPClient(opts.HTTPClient)}
	if opts.AppToken != "" {
		o = append(o, slackapi.OptionAppLevelToken(opts.AppToken))
	}
	if opts.APIURL != "" {
		u := opts.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		o = append(o, slackapi.OptionAPIURL(u))
	}
	return slackapi.New(opts.BotToken, o...)
}

// Name is the platform name.
func (a *Adapter) Name() string { return "slack" }

// Routes mounts POST /slack/commands, /slack/interactivity and
// /slack/events when a signing secret is configured.
func (a *Adapter) Routes(r Router) {
	if a.verifier == nil {
		return
	}
	for _, rt := range a.routes() {
		r.Webhook(rt)
	}
}

// Router is where the adapter mounts its endpoints; webhook.Mux is one.
type Router interface {
	Webhook(rt webhook.Route)
}

// Poster returns the digest poster. Without a bot token every post fails
// with a permanent error that says so.
func (a *Adapter) Poster() *Poster { return a.poster }

// Ready reports whether the adapter can take commands: in HTTP mode at
// once, in Socket Mode once connected.
func (a *Adapter) Ready() error {
	if a.mode == ModeSocket && !a.connected.Load() {
		return errors.New("slack: socket mode not connected")
	}
	return nil
}

// Run keeps the Socket Mode connection until ctx ends; in HTTP mode it
// just waits for ctx. Either way it returns once background replies
// (follow-ups, shares) have finished.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.bg.Wait()
	if a.socket == nil {
		<-ctx.Done()
		return nil
	}
	return a.runSocket(ctx)
}

// background runs f after the current request has been answered.
func (a *Adapter) background(f func(ctx context.Context)) {
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		f(ctx)
	}()
}

// request builds the engine's request for a user in a channel.
func (a *Adapter) request(teamID, userID, channelID, line string) bot.Request {
	req := bot.Request{Platform: bot.PlatformSlack, UserID: userID, ChannelID: channelID, Text: line,
		Workspace: teamID, DM: strings.HasPrefix(channelID, "D")}
	req.CanManage = a.managers[userID]
	if !req.CanManage {
		req.ManageHint = a.manageHint
	}
	return req
}

// manageHint names who grants the right to manage a channel: the global
// managers (at most five named), or whoever runs the bot.
func manageHint(global []string) string {
	if len(global) == 0 {
		return "Whoever runs the bot can add your member id to SLACK_MANAGERS (every channel), or name managers of this channel once someone may."
	}
	shown := global[:min(len(global), 5)]
	more := ""
	if len(global) > len(shown) {
		more = " and " + strconv.Itoa(len(global)-len(shown)) + " more"
	}
	return "The bot's managers for every channel (SLACK_MANAGERS) are " + strings.Join(shown, ", ") + more + "."
}
