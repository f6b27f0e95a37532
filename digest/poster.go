// Package digest builds scheduled briefing digests and posts each slot
// exactly once through the platform posters.
//
// Its parts: the timetable (cursors, due slots, jobs), the ledger (claims,
// leases and their heartbeat, progress, outcomes, what each check of the
// platform found), delivery (one pacer and one retry policy for every
// platform), the content of digests (render, snapshots, a cache per tick)
// and the /digest chat command. The Scheduler runs them together.
package digest

import (
	"context"
	"errors"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Poster posts to the channels of one platform. Each call is one request:
// pacing and retries are delivery's, guided by Spacing and by the methods
// of the errors:
//
//	Permanent() bool             true: retrying will not help (unknown channel, no access, bad token)
//	RetryAfter() time.Duration   how long the platform asked us to wait (HTTP 429)
//	OutcomeUnknown() bool        true: the message may have been posted (a timeout after sending)
//
// found with errors.As anywhere in the chain. Any other error is transient,
// and nothing was posted.
type Poster interface {
	// Parts is how many messages r takes on the platform.
	Parts(r *bot.Reply) int
	// Send posts message m.Part of r to channel, carrying m so that the
	// platform can refuse a repeat and Find can see it, and returns its id.
	Send(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error)
	// Find looks among the channel's messages since m.At for those of the
	// post marked m.Key; ids[i] is message i's id, or "" if not found.
	Find(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) ([]string, error)
	// Spacing is the least time between two requests to one channel and
	// between any two requests.
	Spacing() (perChannel, overall time.Duration)
}

// IsPermanent reports whether err says retrying is pointless.
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// outcomeUnknown reports whether err says the message may have been posted.
func outcomeUnknown(err error) bool {
	var u interface{ OutcomeUnknown() bool }
	return errors.As(err, &u) && u.OutcomeUnknown()
}

// retryAfter returns the wait a platform asked for, or zero.
func retryAfter(err error) time.Duration {
	var r interface{ RetryAfter() time.Duration }
	if errors.As(err, &r) {
		return max(r.RetryAfter(), 0)
	}
	return 0
}

// permanentError marks an error as not worth retrying.
type permanentError struct{ err error }

func (e permanentError) Error() string   { return e.err.Error() }
func (e permanentError) Unwrap() error   { return e.err }
func (e permanentError) Permanent() bool { return true }

// unknownError marks an error after which a message may have been posted.
type unknownError struct{ err error }

func (e unknownError) Error() string        { return e.err.Error() }
func (e unknownError) Unwrap() error        { return e.err }
func (e unknownError) OutcomeUnknown() bool { return true }
