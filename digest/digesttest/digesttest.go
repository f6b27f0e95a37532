// Package digesttest helps test implementations of digest.Poster.
package digesttest

import (
	"context"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

// PostFirst posts all of r through p and returns the first message's id.
func PostFirst(ctx context.Context, p digest.Poster, channel string, r *bot.Reply) (string, error) {
	var first string
	err := p.Post(ctx, channel, r, 0, func(i, _ int, id string) error {
		if i == 0 {
			first = id
		}
		return nil
	})
	return first, err
}
