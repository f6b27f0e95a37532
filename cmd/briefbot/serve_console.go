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
			{Platform: bot.PlatformSlack, Render: slackForms},
			{Platform: bot.PlatformDiscord, Render: discordForms},
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

// slackForms renders a reply as Slack is sent it in each form: the
// command's private response and follow-ups, what Share in channel posts,
// a digest's chat.postMessage bodies.
func slackForms(r *bot.Reply, command string, forms []string) (map[string][]byte, map[string][]byte, error) {
	return eachForm(forms, map[string]func() ([]byte, error){
		console.FormPrivate: func() ([]byte, error) { return slack.PreviewCommand(r, command) },
		console.FormShared:  func() ([]byte, error) { return slack.PreviewShared(r) },
		console.FormDigest:  func() ([]byte, error) { return slack.Preview(r) },
	}, nil)
}

// consoleUser stands for the user who shares an answer in the Discord
// preview.
const consoleUser = "100000000000000000"

// discordForms renders a reply as Discord is sent it in each form, drawing
// its pictures once.
func discordForms(r *bot.Reply, command string, forms []string) (map[string][]byte, map[string][]byte, error) {
	p := discord.NewPreviews(r)
	return eachForm(forms, map[string]func() ([]byte, error){
		console.FormPrivate: func() ([]byte, error) { return p.Reply(command) },
		console.FormShared:  func() ([]byte, error) { return p.Shared(consoleUser) },
		console.FormDigest:  p.Post,
	}, p.Files())
}

func eachForm(forms []string, render map[string]func() ([]byte, error), files map[string][]byte) (map[string][]byte, map[string][]byte, error) {
	out := map[string][]byte{}
	for _, f := range forms {
		if fn, ok := render[f]; ok {
			b, err := fn()
			if err != nil {
				return nil, nil, err
			}
			out[f] = b
		}
	}
	return out, files, nil
}
