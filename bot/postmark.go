package bot

import (
	"errors"
	"net"
	"time"
)

// PostMark identifies one message of a scheduled post on the platform, so
// that the platform can refuse a repeat and a later check can find the
// message again. Posters put it on the message (Slack: message metadata;
// Discord: a nonce, and the custom id of a button on the message).
type PostMark struct {
	Key  string    // the slot's key, unique per schedule, target and time
	At   time.Time // the scheduled time of the slot
	Part int       // which message of the post, from 0
}

// NeverSent reports whether err is a network error that happened before a
// request could reach the platform (no connection was made): nothing was
// posted. Any other failed request may have been acted on.
func NeverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}
