// Package digest builds scheduled briefing digests and posts each slot
// exactly once through the platform posters.
package digest

import (
	"context"

	"github.com/briefbot/briefbot/bot"
)

// Poster sends a reply to a channel of one platform: one message, or
// several in order when the platform's limits need it.
//
// Post starts at message from (those before it were posted on an earlier
// try) and calls sent as soon as each message is posted, with its index,
// the number of messages and its id, so that the ledger records progress
// and a retry never repeats a message. An error from sent stops the post
// and is returned. Errors name the channel; permanent errors (unknown
// channel, no access, bad auth) are not worth retrying.
type Poster interface {
	Post(ctx context.Context, channel string, r *bot.Reply, from int, sent func(index, of int, id string) error) error
}
