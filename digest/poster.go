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

// IsPermanent reports whether any error in err's tree says retrying is
// pointless. (errors.As would stop at the first error of a type: of a post
// that timed out and the check after it that was refused for good, both
// from one poster, it would see only the first.)
func IsPermanent(err error) bool {
	return anyIn(err, func(e error) bool {
		p, ok := e.(interface{ Permanent() bool })
		return ok && p.Permanent()
	})
}

// outcomeUnknown reports whether any error in err's tree says the message
// may have been posted.
func outcomeUnknown(err error) bool {
	return anyIn(err, func(e error) bool {
		u, ok := e.(interface{ OutcomeUnknown() bool })
		return ok && u.OutcomeUnknown()
	})
}

// retryAfter returns the longest wait a platform asked for in err's tree,
// or zero.
func retryAfter(err error) time.Duration {
	var wait time.Duration
	anyIn(err, func(e error) bool {
		if r, ok := e.(interface{ RetryAfter() time.Duration }); ok {
			wait = max(wait, r.RetryAfter())
		}
		return false
	})
	return wait
}

// anyIn reports whether f holds for err or any error it wraps.
func anyIn(err error, f func(error) bool) bool {
	if err == nil {
		return false
	}
	if f(err) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return anyIn(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if anyIn(e, f) {
				return true
			}
		}
	}
	return false
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
