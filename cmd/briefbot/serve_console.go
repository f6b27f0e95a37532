package main

import (
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/console"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/server"
)

// mountConsole serves the web console, with a preview for each platform
// whose renderer exists and the digests delivered to the console target.
func (o *ops) mountConsole(srv *server.Server, engine *bot.Engine, delivered *digest.ConsolePoster) {
	opts := console.Options{
		Engine: engine,
		Previews: []console.Preview{
			{Platform: bot.PlatformSlack, Render: slack.Preview},
			{Platform: bot.PlatformDiscord, Render: discord.Preview},
		},
		Set: engine.Set,
		Log: o.log.With("component", "console"),
	}
	if delivered != nil {
		opts.Digests = func() []console.Digest { return consoleDigests(delivered.Recent()) }
	}
	console.New(opts).Routes(srv.Mux())
}

func consoleDigests(ds []digest.ConsoleDigest) []console.Digest {
	out := make([]console.Digest, len(ds))
	for i, d := range ds {
		out[i] = console.Digest{At: d.Posted, Name: d.ID, Channel: d.Channel, Reply: d.Reply}
	}
	return out
}
