package digest

import (
	"context"
	"errors"
	"time"
)

// Status is where a slot stands in the ledger.
type Status string

// Slot statuses.
const (
	StatusPending Status = "pending" // claimed, not yet posted (or being retried)
	StatusPosted  Status = "posted"
	StatusFailed  Status = "failed" // gave up; Error says why
	// StatusSkipped is a slot resolved without posting, on purpose (a
	// "changes" digest with nothing to say); Error says why.
	StatusSkipped Status = "skipped"
)

// SlotKey identifies one post: a job, a target and the scheduled time. The
// store keeps at most one record per key; that is what makes a slot post once.
type SlotKey struct {
	Job    string
	Target string
	At     time.Time
}

// String is the key as posters put it on the platform.
func (k SlotKey) String() string {
	return k.Job + "|" + k.Target + "|" + k.At.UTC().Format(time.RFC3339)
}

// Record is the ledger entry of one slot.
type Record struct {
	SlotKey
	Status     Status
	Rounds     int       // delivery rounds started (claims and takeovers)
	Owner      string    // instance that holds or held the lease
	LeaseUntil time.Time // a pending record may be taken over after this
	MessageID  string    // the first message's id
	Sent       int       // messages posted so far of a digest split into several
	Error      string
	// Unsure says the slot's messages may be on the platform beyond Sent:
	// a round was under way when its owner stopped, or a request's outcome
	// was unknown. The next round checks the platform before posting.
	Unsure bool
	// Check is what the last check of the platform found, and when.
	Check   string
	Updated time.Time
}

// Subscription is a digest a channel asked for in chat: at a local time,
// every day or on some days of the week.
type Subscription struct {
	ID        string
	Platform  string
	Channel   string
	Kind      string
	At        string // "HH:MM", local time in Zone
	Zone      string
	CreatedBy string
	Created   time.Time
	// Days are the days of the week it posts: "" every day, "weekdays"
	// (Monday to Friday), or day names ("mon", "mon,thu").
	Days string
	// SkipUnchanged skips a "changes" digest when nothing changed.
	SkipUnchanged bool
}

// Target returns where the subscription posts.
func (s Subscription) Target() Target { return Target{Platform: s.Platform, Channel: s.Channel} }

// ErrDuplicate is returned by AddSubscription when the channel already has
// the same subscription.
var ErrDuplicate = errors.New("subscription exists")

// Store keeps subscriptions, the ledger of slots and the snapshots behind
// "changes" digests. Implementations: store.OpenSQLite and store.OpenPostgres.
type Store interface {
	// Claim inserts a pending record for key, owned by owner with a lease
	// until now+lease, unless a record exists. It reports whether this call
	// inserted it: only the winner posts.
	Claim(ctx context.Context, key SlotKey, owner string, now time.Time, lease time.Duration) (bool, error)
	// Reclaim takes over a pending record whose lease has expired and that
	// has had fewer than maxRounds rounds, counting one more.
	Reclaim(ctx context.Context, key SlotKey, owner string, now time.Time, lease time.Duration, maxRounds int) (bool, error)
	// Renew extends owner's lease to now+lease (the heartbeat of a round
	// in progress); it fails when owner no longer holds the slot.
	Renew(ctx context.Context, key SlotKey, owner string, now time.Time, lease time.Duration) error
	// Posted marks the slot posted, if owner still holds it.
	Posted(ctx context.Context, key SlotKey, owner, messageID string, now time.Time) error
	// Progress records, while owner holds the slot, that the first sent
	// messages of a digest split into several are posted, the first with id
	// firstID, so that a retry resumes after them.
	Progress(ctx context.Context, key SlotKey, owner string, sent int, firstID string, now time.Time) error
	// Failed records a failed round by owner, in which nothing beyond the
	// recorded messages was posted: final marks it failed for good,
	// otherwise it stays pending and may be retried after retryAt.
	Failed(ctx context.Context, key SlotKey, owner, msg string, now, retryAt time.Time, final bool) error
	// Unknown records a round whose outcome is unknown (a message may have
	// been posted): the slot stays pending, unsure, to be retried after
	// retryAt by a round that checks the platform first.
	Unknown(ctx context.Context, key SlotKey, owner, msg string, now, retryAt time.Time) error
	// Checked records what a check of the platform found, and the messages
	// known to be posted since (sent, the first with id firstID).
	Checked(ctx context.Context, key SlotKey, owner, found string, sent int, firstID string, now time.Time) error
	// Skipped marks the slot skipped on purpose, if owner still holds it.
	Skipped(ctx context.Context, key SlotKey, owner, reason string, now time.Time) error
	// GiveUp marks a pending record whose lease expired as failed.
	GiveUp(ctx context.Context, key SlotKey, msg string, now time.Time) error
	// Stale lists pending records whose lease expired before now.
	Stale(ctx context.Context, now time.Time, limit int) ([]Record, error)
	// Latest returns the most recent record of every (job, target).
	Latest(ctx context.Context) ([]Record, error)
	// Prune deletes records of slots before t.
	Prune(ctx context.Context, before time.Time) (int64, error)

	// AddSubscription stores s; ErrDuplicate when the channel has one with
	// the same kind, time and zone.
	AddSubscription(ctx context.Context, s Subscription) error
	// RemoveSubscription deletes a channel's subscription by id, reporting
	// whether it existed.
	RemoveSubscription(ctx context.Context, id, platform, channel string) (bool, error)
	// Subscriptions lists every subscription, oldest first.
	Subscriptions(ctx context.Context) ([]Subscription, error)

	// Snapshot returns what the target's previous "changes" digest saw.
	Snapshot(ctx context.Context, target string) (data []byte, ok bool, err error)
	// SaveSnapshot replaces the target's snapshot.
	SaveSnapshot(ctx context.Context, target string, data []byte, now time.Time) error

	Close() error
}
