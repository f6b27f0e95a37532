package digest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Builder makes digest content; *bot.Engine is one.
type Builder interface {
	DigestKind(kind string) (string, error)
	Digest(kind string, prev *bot.Snapshot) (*bot.Reply, *bot.Snapshot, error)
}

// content renders digests and keeps the snapshots behind "changes"
// digests. builder is a function so that the engine, which holds the
// /digest command, can be made after the parts that need it.
type content struct {
	builder func() Builder
	store   Store
}

var errNoBuilder = errors.New("digest: no content builder")

// builderNow returns the builder, once the engine that holds it exists.
func (c content) builderNow() (Builder, error) {
	if c.builder == nil {
		return nil, errNoBuilder
	}
	if b := c.builder(); b != nil {
		return b, nil
	}
	return nil, errNoBuilder
}

// rendered is a digest built for one target. unchanged says a "changes"
// digest has nothing to list since the target's previous one.
type rendered struct {
	reply     *bot.Reply
	snap      *bot.Snapshot
	unchanged bool
}

// render builds the digest for one target. Overview and topic digests are
// built once per tick and shared; "changes" depends on the target.
func (c content) render(ctx context.Context, it item, cache *contentCache) (rendered, error) {
	b, err := c.builderNow()
	if err != nil {
		return rendered{}, err
	}
	if !bot.IsChangesDigest(it.job.Kind) {
		r, err := cache.get(it.job.Kind, func() (*bot.Reply, error) {
			r, _, err := b.Digest(it.job.Kind, nil)
			return r, err
		})
		return rendered{reply: r}, err
	}
	prev, err := LoadSnapshot(ctx, c.store, it.target, it.job.Kind)
	if err != nil {
		return rendered{}, err
	}
	r, snap, err := b.Digest(it.job.Kind, prev)
	if err != nil {
		return rendered{}, err
	}
	return rendered{reply: r, snap: snap, unchanged: snap != nil && bot.Unchanged(prev, *snap)}, nil
}

// LoadSnapshot reads the snapshot behind t's previous "changes" digest of
// kind's dossier; nil when there was none.
func LoadSnapshot(ctx context.Context, st Store, t Target, kind string) (*bot.Snapshot, error) {
	data, ok, err := st.Snapshot(ctx, bot.SnapshotKey(t.String(), kind))
	if err != nil || !ok {
		return nil, err
	}
	var snap bot.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return nil, fmt.Errorf("digest: snapshot of %s: %w", t, err)
	}
	return &snap, nil
}

func (c content) saveSnapshot(ctx context.Context, t Target, kind string, snap *bot.Snapshot, now time.Time) error {
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	return c.store.SaveSnapshot(ctx, bot.SnapshotKey(t.String(), kind), data, now)
}

// contentCache builds each kind of digest once per tick.
type contentCache struct {
	mu    sync.Mutex
	kinds map[string]*cached
}

type cached struct {
	once sync.Once
	r    *bot.Reply
	err  error
}

func newContentCache() *contentCache { return &contentCache{kinds: map[string]*cached{}} }

func (c *contentCache) get(kind string, build func() (*bot.Reply, error)) (*bot.Reply, error) {
	c.mu.Lock()
	e, ok := c.kinds[kind]
	if !ok {
		e = &cached{}
		c.kinds[kind] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.r, e.err = build() })
	return e.r, e.err
}
