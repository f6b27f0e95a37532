package bot

import "sync"

// namedMax bounds the renamed replies kept.
const namedMax = 1024

// namedReplies keeps, per platform, the renamed copy of each reply that
// Naming.Reply had to copy. Most replies are built once per brief set and
// shared; without this, renaming would make a new copy for every request,
// and the adapters' caches of rendered replies, keyed by the reply, would
// render and keep every one of them. Bounded: it starts over when full.
type namedReplies struct {
	mu sync.Mutex
	m  map[namedKey]*Reply
}

type namedKey struct {
	platform string
	reply    *Reply
}

// get returns the renamed form of r for platform, made by rename once.
func (c *namedReplies) get(platform string, r *Reply, rename func(*Reply) *Reply) *Reply {
	if r == nil {
		return r
	}
	k := namedKey{platform, r}
	c.mu.Lock()
	out, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return out
	}
	out = rename(r)
	if out == r {
		return r
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= namedMax {
		c.m = map[namedKey]*Reply{}
	}
	c.m[k] = out
	c.mu.Unlock()
	return out
}
