package digest

import (
	"context"
	"errors"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Posters report what kind of failure they met through optional methods on
// their errors, found with errors.As anywhere in the chain:
//
//	Permanent() bool             true: retrying will not help (unknown channel, no access, bad token)
//	RetryAfter() time.Duration   how long the platform asked us to wait (HTTP 429)
//
// Any other error is treated as transient.

// IsPermanent reports whether err says retrying is pointless.
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
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

// Classified wraps a poster whose errors are classified by a function
// (such as a platform package's IsPermanent), so that delivery sees the
// Permanent() method.
func Classified(p Poster, isPermanent func(error) bool) Poster {
	return classified{p, isPermanent}
}

type classified struct {
	Poster
	isPermanent func(error) bool
}

func (c classified) Post(ctx context.Context, channel string, r *bot.Reply, from int, sent func(index, of int, id string) error) error {
	err := c.Poster.Post(ctx, channel, r, from, sent)
	if err != nil && c.isPermanent(err) {
		err = permanentError{err}
	}
	return err
}
