package bot

import (
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// Limit scopes, as the limited reply and the metric name them.
const (
	LimitUser    = "user"
	LimitChannel = "channel"
)

// Rate is one token bucket: PerMinute tokens added a minute, up to Burst.
// PerMinute 0 turns the bucket off.
type Rate struct {
	PerMinute float64
	Burst     int
}

// Limits configure the Limiter.
type Limits struct {
	User    Rate // per user of a platform
	Channel Rate // per channel of a platform
	// MaxKeys bounds the users, and separately the channels, remembered
	// (0: DefaultLimitKeys). Past it, buckets that have refilled are
	// forgotten first (forgetting them changes nothing), then random ones.
	MaxKeys int
	// OnLimited, when set, is called for every refused command with the
	// platform and the scope (LimitUser or LimitChannel).
	OnLimited func(platform, scope string)
}

// DefaultLimitKeys is how many users and how many channels a Limiter
// remembers by default: about 24 bytes of map a key, so well under a
// megabyte for both scopes however many distinct ids arrive.
const DefaultLimitKeys = 10_000

// Limiter is a token bucket per user and per channel, in this process's
// memory. It is safe for concurrent use. Allow allocates nothing but the
// growth of its maps.
type Limiter struct {
	limits  Limits
	seed    maphash.Seed
	mu      sync.Mutex
	user    buckets
	channel buckets
}

// limitKey is the hash of a platform and an id on it (the limiter's own
// random seed): no copy of the id is kept. Two ids share a bucket with a
// chance of about n/2^64 among n keys.
type limitKey uint64

func (l *Limiter) key(platform, id string) limitKey {
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.WriteString(platform)
	h.WriteByte(0)
	h.WriteString(id)
	return limitKey(h.Sum64())
}

// bucket holds tokens as of at (Unix nanoseconds).
type bucket struct {
	tokens float64
	at     int64
}

// buckets is one scope's token buckets.
type buckets struct {
	perNano float64 // tokens added per nanosecond
	burst   float64
	max     int
	m       map[limitKey]bucket
}

// NewLimiter returns a limiter; with both rates off it allows everything.
func NewLimiter(l Limits) *Limiter {
	if l.MaxKeys <= 0 {
		l.MaxKeys = DefaultLimitKeys
	}
	return &Limiter{limits: l, seed: maphash.MakeSeed(), user: newBuckets(l.User, l.MaxKeys), channel: newBuckets(l.Channel, l.MaxKeys)}
}

func newBuckets(r Rate, max int) buckets {
	b := buckets{max: max}
	if r.PerMinute > 0 && r.Burst > 0 {
		b.perNano, b.burst = r.PerMinute/float64(time.Minute), float64(r.Burst)
		b.m = make(map[limitKey]bucket, min(max, 1024))
	}
	return b
}

// Allow takes a token from the user's bucket and from the channel's, or
// from neither: a refused command does not use up the other scope. It
// returns the scope that refused and how long until it would allow one.
// An empty user or channel id is not limited in that scope.
func (l *Limiter) Allow(platform, user, channel string, now time.Time) (ok bool, scope string, wait time.Duration) {
	t := now.UnixNano()
	uk, ck := l.key(platform, user), l.key(platform, channel)
	l.mu.Lock()
	defer l.mu.Unlock()
	ub, uon := l.user.current(uk, t)
	cb, con := l.channel.current(ck, t)
	uon = uon && user != ""
	con = con && channel != ""
	switch {
	case uon && ub.tokens < 1:
		return false, LimitUser, l.user.wait(ub)
	case con && cb.tokens < 1:
		return false, LimitChannel, l.channel.wait(cb)
	}
	if uon {
		ub.tokens--
		l.user.put(uk, ub, t)
	}
	if con {
		cb.tokens--
		l.channel.put(ck, cb, t)
	}
	return true, "", 0
}

// current is key's bucket refilled to t, and whether the scope is on.
func (b *buckets) current(k limitKey, t int64) (bucket, bool) {
	if b.m == nil {
		return bucket{}, false
	}
	bk, ok := b.m[k]
	if !ok {
		return bucket{tokens: b.burst, at: t}, true
	}
	if t > bk.at {
		bk.tokens = math.Min(b.burst, bk.tokens+float64(t-bk.at)*b.perNano)
		bk.at = t
	}
	return bk, true
}

// wait is how long until bk holds a whole token.
func (b *buckets) wait(bk bucket) time.Duration {
	return time.Duration(math.Ceil((1 - bk.tokens) / b.perNano))
}

// put stores bk under k, making room first when k is new and the scope is
// full.
func (b *buckets) put(k limitKey, bk bucket, t int64) {
	if _, ok := b.m[k]; !ok && len(b.m) >= b.max {
		b.evict(t)
	}
	b.m[k] = bk
}

// evict forgets the buckets that have refilled by t (as good as absent),
// then random ones until a quarter of the room is free, so that the next
// max/4 new keys insert without another sweep. The survivors move to a new
// map: deleting in place would leave the old one's room taken by deleted
// slots, and it would grow to several times what it holds.
func (b *buckets) evict(t int64) {
	kept := make(map[limitKey]bucket, b.max)
	for k, bk := range b.m { // map order is random
		if len(kept) < b.max*3/4 && bk.tokens+float64(t-bk.at)*b.perNano < b.burst {
			kept[k] = bk
		}
	}
	b.m = kept
}

// sizes returns how many users and channels are remembered.
func (l *Limiter) sizes() (users, channels int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.user.m), len(l.channel.m)
}

// limited is the polite refusal of a command over a limit.
func (l *Limiter) limited(scope string, wait time.Duration) *Reply {
	secs := int(math.Ceil(wait.Seconds()))
	r := l.limits.User
	who := "each person"
	if scope == LimitChannel {
		r, who = l.limits.Channel, "each channel"
	}
	text := fmt.Sprintf("Sorry — that is more commands than this bot answers for %s (%g a minute, bursts of %d). Please try again in %d second%s.",
		who, r.PerMinute, r.Burst, secs, pluralS(secs))
	return &Reply{Command: "", Outcome: OutcomeLimited, Title: "One moment, please", Intro: Plain(text), Private: true}
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
