// Package digest builds scheduled briefing digests and posts each slot
// exactly once through the platform posters.
package digest

import (
	"context"

	"briefbot/bot"
)

// Poster sends a reply to a channel of one platform and returns the
// platform's message id. Errors name the channel; permanent errors (unknown
// channel, no access, bad auth) are not worth retrying.
type Poster interface {
	Post(ctx context.Context, channel string, r *bot.Reply) (messageID string, err error)
}
