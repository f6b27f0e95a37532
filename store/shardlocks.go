package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Advisory lock classes, the first key of PostgreSQL's two-key advisory
// locks.
const (
	shardLockClass  = 0x62726966 // (class, shard): who holds a gateway shard
	memberLockClass = 0x62726967 // (class, backend pid): a replica that is up
)

// How a held lock's connection is watched.
const (
	lockPing        = time.Second
	lockPingTimeout = 2 * time.Second
)

// ShardLocks share the Discord gateway's shards among replicas on
// PostgreSQL: one session-level advisory lock per shard, each on a
// connection of its own, so that a replica that dies (its connections
// close) releases its shards at once and another takes them. Each replica
// also holds a member lock while it runs, so that every replica can count
// those that are up and aim for an even share.
type ShardLocks struct {
	cfg *pgx.ConnConfig

	mu     sync.Mutex
	member *pgx.Conn // holds this replica's member lock
}

// NewShardLocks returns the shard locks on the database at url. Nothing
// connects until they are used.
func NewShardLocks(url string) (*ShardLocks, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store (postgres): shard locks: parse DATABASE_URL: %w", err)
	}
	return &ShardLocks{cfg: cfg}, nil
}

// connect opens a connection for locks. Its TCP keepalives are short, so
// that the server also ends the session of a replica cut off by the
// network (not only of one that died) within seconds.
func (l *ShardLocks) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, fmt.Errorf("store (postgres): shard locks: connect: %w", err)
	}
	for _, set := range []string{"SET tcp_keepalives_idle = 5", "SET tcp_keepalives_interval = 2", "SET tcp_keepalives_count = 3"} {
		conn.Exec(ctx, set) // best effort: not every server allows them
	}
	return conn, nil
}

// Share is this replica's even share of total shards: total divided by
// the replicas up (those holding a member lock), rounded up.
func (l *ShardLocks) Share(ctx context.Context, total int) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.member == nil || l.member.IsClosed() {
		conn, err := l.connect(ctx)
		if err != nil {
			return 0, err
		}
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, pg_backend_pid())`, memberLockClass); err != nil {
			conn.Close(ctx)
			return 0, fmt.Errorf("store (postgres): member lock: %w", err)
		}
		l.member = conn
	}
	qctx, cancel := context.WithTimeout(ctx, lockPingTimeout)
	defer cancel()
	var n int
	err := l.member.QueryRow(qctx, `SELECT count(*) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, memberLockClass).Scan(&n)
	if err != nil {
		l.member.Close(context.Background())
		l.member = nil
		return 0, fmt.Errorf("store (postgres): count replicas: %w", err)
	}
	n = max(n, 1)
	return (total + n - 1) / n, nil
}

// TryLock takes shard's lock on a new connection if no session holds it.
func (l *ShardLocks) TryLock(ctx context.Context, shard int) (*ShardHold, bool, error) {
	conn, err := l.connect(ctx)
	if err != nil {
		return nil, false, err
	}
	qctx, cancel := context.WithTimeout(ctx, lockPingTimeout)
	defer cancel()
	var got bool
	if err := conn.QueryRow(qctx, `SELECT pg_try_advisory_lock($1, $2)`, shardLockClass, shard).Scan(&got); err != nil || !got {
		conn.Close(context.Background())
		if err != nil {
			return nil, false, fmt.Errorf("store (postgres): lock shard %d: %w", shard, err)
		}
		return nil, false, nil
	}
	h := &ShardHold{conn: conn, shard: shard, lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go h.watch()
	return h, true, nil
}

// Close ends this replica's member lock.
func (l *ShardLocks) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.member != nil {
		l.member.Close(context.Background())
		l.member = nil
	}
}

// ShardHold is one shard's lock, held by its connection's session.
type ShardHold struct {
	conn  *pgx.Conn
	shard int
	lost  chan struct{} // closed when the connection failed
	stop  chan struct{} // closed by Release
	done  chan struct{} // closed when watch returns
	once  sync.Once
}

// watch pings the lock's connection every second; when a ping fails the
// session may be gone, and the lock with it: the hold is lost.
func (h *ShardHold) watch() {
	defer close(h.done)
	t := time.NewTicker(lockPing)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), lockPingTimeout)
		err := h.conn.Ping(ctx)
		cancel()
		if err != nil {
			h.conn.Close(context.Background())
			close(h.lost)
			return
		}
	}
}

// Lost is closed when the lock's connection failed.
func (h *ShardHold) Lost() <-chan struct{} { return h.lost }

// Release unlocks the shard and closes its connection.
func (h *ShardHold) Release() {
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		select {
		case <-h.lost:
			return // the connection is gone already
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), lockPingTimeout)
		defer cancel()
		h.conn.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, shardLockClass, h.shard)
		h.conn.Close(ctx)
	})
}
