package bot

import "time"

// PostMark identifies one message of a scheduled post on the platform, so
// that the platform can refuse a repeat and a later check can find the
// message again. Posters put it on the message (Slack: message metadata;
// Discord: a nonce and the embed's timestamp).
type PostMark struct {
	Key  string    // the slot's key, unique per schedule, target and time
	At   time.Time // the scheduled time of the slot
	Part int       // which message of the post, from 0
}
