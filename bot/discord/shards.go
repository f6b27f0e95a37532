package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
)

// ShardLocks hand out the gateway's shards so that each is held by one
// process at a time: with PostgreSQL one advisory lock per shard (see
// store.ShardLocks); alone, a process holds them all.
type ShardLocks interface {
	// TryLock takes shard if no process holds it, without waiting.
	TryLock(ctx context.Context, shard int) (ShardHold, bool, error)
	// Share is how many of total shards this process should hold: an
	// even share among the processes that are up.
	Share(ctx context.Context, total int) (int, error)
}

// ShardHold is one shard held. Lost is closed when the hold ended without
// Release (the lock's database session died); the shard must then be
// closed at once, as another process may take it.
type ShardHold interface {
	Lost() <-chan struct{}
	Release()
}

// allShards is the lock of a process alone: every shard is its own.
type allShards struct{}

func (allShards) TryLock(context.Context, int) (ShardHold, bool, error) { return soleHold{}, true, nil }
func (allShards) Share(_ context.Context, total int) (int, error)       { return total, nil }

type soleHold struct{}

func (soleHold) Lost() <-chan struct{} { return nil }
func (soleHold) Release()              {}

// defaultShardRetry is how often a process looks for free shards (and
// sheds those beyond its share).
const defaultShardRetry = 5 * time.Second

// gateway is the shards of the gateway connection this process runs.
type gateway struct {
	count int
	locks ShardLocks
	retry time.Duration

	mu      sync.Mutex
	running map[int]*shard

	// Discord allows max_concurrency identifies per 5 seconds. This
	// process opens one session at a time (identifyTurn is its one
	// slot), each no sooner than identifyEvery after the previous open
	// returned, by when that open's Identify had been sent.
	identifyTurn  chan struct{}
	identifyEvery time.Duration
	identifyNext  time.Time // read and set only while holding the turn
}

// shard is one gateway shard this process holds, and its session.
type shard struct {
	id        int
	session   *discordgo.Session
	hold      ShardHold
	connected atomic.Bool
	stop      context.CancelFunc
	done      chan struct{}
}

func newGateway(opts Options) *gateway {
	g := &gateway{count: max(opts.Shards, 1), locks: opts.ShardLocks, retry: opts.ShardRetry, running: map[int]*shard{},
		identifyTurn: make(chan struct{}, 1), identifyEvery: opts.IdentifyEvery}
	if g.locks == nil {
		g.locks = allShards{}
	}
	if g.retry <= 0 {
		g.retry = defaultShardRetry
	}
	return g
}

// shared reports whether other processes may hold some of the shards.
func (g *gateway) shared() bool {
	_, alone := g.locks.(allShards)
	return !alone
}

// state counts the shards held here and those of them connected.
func (g *gateway) state() (held []int, connected int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for id, sh := range g.running {
		held = append(held, id)
		if sh.connected.Load() {
			connected++
		}
	}
	slices.Sort(held)
	return held, connected
}

// runGateway holds this process's share of the shards until ctx ends:
// every retry interval it forgets shards that ended, sheds one beyond its
// share, and takes free ones up to it.
func (a *Adapter) runGateway(ctx context.Context) error {
	if err := a.checkToken(ctx); err != nil {
		return err
	}
	t := time.NewTicker(a.gw.retry)
	defer t.Stop()
	for {
		a.balance(ctx)
		select {
		case <-ctx.Done():
			a.stopShards()
			a.log.Info("discord gateway closed")
			return nil
		case <-t.C:
		}
	}
}

// checkToken asks Discord for the gateway once: a refused token is not
// retried. It also says when Discord recommends more shards.
func (a *Adapter) checkToken(ctx context.Context) error {
	gb, err := a.session.GatewayBot(discordgo.WithContext(ctx))
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return errors.New("discord: the bot token was refused (401); check DISCORD_BOT_TOKEN")
	}
	if err == nil && gb.Shards > a.gw.count {
		a.log.Warn("discord recommends more gateway shards than configured", "recommended", gb.Shards, "shards", a.gw.count)
	}
	if a.gw.identifyEvery <= 0 {
		a.gw.identifyEvery = identifyWindow
		if err == nil && gb.SessionStartLimit.MaxConcurrency > 1 {
			a.gw.identifyEvery = identifyWindow / time.Duration(gb.SessionStartLimit.MaxConcurrency)
		}
	}
	return nil
}

// identifyWindow is Discord's window for max_concurrency identifies.
const identifyWindow = 5 * time.Second

// pacedOpen runs open (one attempt to open a gateway session, which sends
// an Identify) in this process's turn: after every other open has
// returned, and at least identifyEvery after the last one did. Pacing from
// the end of the previous open, not its start, keeps Identifies apart
// however long a dial takes.
func (a *Adapter) pacedOpen(ctx context.Context, open func() error) error {
	g := a.gw
	select {
	case g.identifyTurn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.identifyTurn }()
	if err := sleep(ctx, time.Until(g.identifyNext)); err != nil {
		return err
	}
	defer func() { g.identifyNext = time.Now().Add(g.identifyEvery) }()
	return open()
}

func (a *Adapter) balance(ctx context.Context) {
	g := a.gw
	g.mu.Lock()
	for id, sh := range g.running {
		select {
		case <-sh.done:
			delete(g.running, id)
		default:
		}
	}
	held := len(g.running)
	g.mu.Unlock()
	share, err := g.locks.Share(ctx, g.count)
	if err != nil {
		a.log.Warn("discord: cannot tell the shards' share; keeping those held", "err", err)
		return
	}
	if held > share {
		a.shed()
		return
	}
	for id := 0; id < g.count && held < share && ctx.Err() == nil; id++ {
		if a.holds(id) {
			continue
		}
		hold, ok, err := g.locks.TryLock(ctx, id)
		if err != nil {
			a.log.Warn("discord: shard lock", "shard", id, "err", err)
			return
		}
		if ok {
			a.startShard(ctx, id, hold)
			held++
		}
	}
}

func (a *Adapter) holds(id int) bool {
	a.gw.mu.Lock()
	defer a.gw.mu.Unlock()
	return a.gw.running[id] != nil
}

// shed stops the highest shard held, for another process to take.
func (a *Adapter) shed() {
	held, _ := a.gw.state()
	if len(held) == 0 {
		return
	}
	id := held[len(held)-1]
	a.gw.mu.Lock()
	sh := a.gw.running[id]
	delete(a.gw.running, id)
	a.gw.mu.Unlock()
	a.log.Info("discord gateway shard handed over: more than this replica's share", "shard", id)
	sh.stop()
	<-sh.done
}

func (a *Adapter) startShard(ctx context.Context, id int, hold ShardHold) {
	ctx, cancel := context.WithCancel(ctx)
	sh := &shard{id: id, hold: hold, stop: cancel, done: make(chan struct{}), session: a.shardSession(id)}
	a.gw.mu.Lock()
	a.gw.running[id] = sh
	a.gw.mu.Unlock()
	go a.runShard(ctx, sh)
}

// runShard keeps one shard's session open until its context ends or its
// hold is lost, then closes it and releases the hold.
func (a *Adapter) runShard(ctx context.Context, sh *shard) {
	defer close(sh.done)
	defer sh.hold.Release()
	defer sh.stop()
	log := a.shardLog(sh.id)
	go func() {
		select {
		case <-sh.hold.Lost():
			log.Warn("discord gateway shard lock lost; closing the shard for another replica")
			sh.stop()
		case <-ctx.Done():
		}
	}()
	if a.open(ctx, sh.session, log) == nil && ctx.Err() == nil {
		<-ctx.Done()
	}
	sh.connected.Store(false)
	if err := sh.session.Close(); err != nil {
		log.Warn("discord: close gateway shard", "err", err)
	}
}

// stopShards closes every shard held and waits for them.
func (a *Adapter) stopShards() {
	a.gw.mu.Lock()
	all := make([]*shard, 0, len(a.gw.running))
	for _, sh := range a.gw.running {
		all = append(all, sh)
	}
	a.gw.running = map[int]*shard{}
	a.gw.mu.Unlock()
	for _, sh := range all {
		sh.stop()
	}
	for _, sh := range all {
		<-sh.done
	}
}

// shardSession is a gateway session for one shard, with the adapter's
// handlers. REST calls go through a.session.
func (a *Adapter) shardSession(id int) *discordgo.Session {
	s := newSession(a.token, a.client)
	if a.gw.count > 1 {
		s.ShardID, s.ShardCount = id, a.gw.count
	}
	log := a.shardLog(id)
	s.AddHandler(a.onInteraction)
	a.listen(s)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.setConnected(id, true)
		log.Info("discord gateway ready", "guilds", len(r.Guilds))
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { a.setConnected(id, true) })
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		if a.setConnected(id, false) {
			log.Warn("discord gateway disconnected; reconnecting")
		}
	})
	return s
}

// setConnected records a shard's connection and reports whether the
// shard is still held here.
func (a *Adapter) setConnected(id int, up bool) bool {
	a.gw.mu.Lock()
	sh := a.gw.running[id]
	a.gw.mu.Unlock()
	if sh != nil {
		sh.connected.Store(up)
	}
	return sh != nil
}

func (a *Adapter) shardLog(id int) *slog.Logger {
	if a.gw.count == 1 {
		return a.log
	}
	return a.log.With("shard", id, "shards", a.gw.count)
}

// gatewayReadiness says how the shards held here stand.
func (a *Adapter) gatewayReadiness() (string, error) {
	held, connected := a.gw.state()
	if !a.gw.shared() {
		if len(held) == 0 || connected < len(held) {
			return "", errors.New("gateway: not connected to Discord (yet); the log says why")
		}
		if a.gw.count == 1 {
			return "gateway: connected", nil
		}
		return fmt.Sprintf("gateway: connected, all %d shards", a.gw.count), nil
	}
	if connected < len(held) {
		return "", fmt.Errorf("gateway: %d of the shards held here (%s of %d) not connected (yet); the log says why", len(held)-connected, ids(held), a.gw.count)
	}
	if len(held) == 0 {
		return fmt.Sprintf("gateway: standby, holding none of the %d shards (other replicas hold them)", a.gw.count), nil
	}
	return fmt.Sprintf("gateway: connected, shards %s of %d held here", ids(held), a.gw.count), nil
}

func ids(held []int) string {
	s := make([]string, len(held))
	for i, id := range held {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}
