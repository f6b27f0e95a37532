package slack

import "github.com/briefbot/briefbot/bot"

// fitted renders r as Render does with share, in at most bot.MaxMessages
// messages: a longer answer keeps its first items and its last message
// says how many are not shown and where to read them (the console's
// reader view of line when consoleURL is set, else narrower commands,
// named as names registers them).
func fitted(r *bot.Reply, share, line, consoleURL string, names bot.Naming) []Message {
	msgs := Render(r, share)
	if len(msgs) <= bot.MaxMessages {
		return msgs
	}
	count := func(x *bot.Reply) int { return len(Render(x, share)) }
	return Render(names.Reply(bot.Fit(r, bot.MaxMessages, count, bot.ReadMore(consoleURL, line))), share)
}
