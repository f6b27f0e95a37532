package console

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/briefbot/briefbot/bot"
)

// Forms a reply takes on a platform.
const (
	// FormPrivate is the answer to a slash command: only the asker sees
	// it, with Show sources and Share in channel under it.
	FormPrivate = "private"
	// FormShared is what Share in channel posts for everyone.
	FormShared = "shared"
	// FormDigest is a digest posted to a channel.
	FormDigest = "digest"
)

// formLabels say what each form is, above its preview.
var formLabels = map[string]string{
	FormPrivate: "Private reply: what the asker sees, alone",
	FormShared:  "Shared post: what Share in channel posts for everyone",
	FormDigest:  "Digest: what is posted to the channel",
}

// Preview renders replies as one platform's payloads, from the functions
// of bot/slack or bot/discord.
type Preview struct {
	Platform string // "slack", "discord"
	// Render returns, for each of forms, the JSON of the messages the
	// platform would be sent for reply, the answer to command; and the
	// files they attach, by name.
	Render func(reply *bot.Reply, command string, forms []string) (payloads map[string][]byte, files map[string][]byte, err error)
}

// preview is one platform's rendering in each form, or why there is none.
type preview struct {
	Forms []form `json:"forms,omitempty"`
	Error string `json:"error,omitempty"`
}

// form is one form of a reply: what it is, the payload, and the files the
// payload attaches as data: URLs by name (an embed shows one as
// attachment://<name>).
type form struct {
	Form    string            `json:"form"`
	Label   string            `json:"label"`
	Payload json.RawMessage   `json:"payload"`
	Files   map[string]string `json:"files,omitempty"`
}

// replyForms are the forms the answer to a command takes: the private
// reply, and the shared post when the answer can be shared (a good answer
// to a command that changes nothing).
func (c *Console) replyForms(reply *bot.Reply) []string {
	forms := []string{FormPrivate}
	if reply.Outcome == bot.OutcomeOK && reply.Private && !c.manages(reply.Command) {
		forms = append(forms, FormShared)
	}
	return forms
}

// manages reports whether the command changes channel settings.
func (c *Console) manages(name string) bool {
	for _, cmd := range c.opts.Engine.Commands() {
		if cmd.Name == name {
			return cmd.Manage
		}
	}
	return false
}

func (c *Console) previews(reply *bot.Reply, command string, forms []string) map[string]preview {
	out := make(map[string]preview, len(c.opts.Previews))
	for _, p := range c.opts.Previews {
		out[p.Platform] = c.render(p, reply, command, forms)
	}
	return out
}

// render calls one platform's renderer, which must not take the console
// down even if it panics.
func (c *Console) render(p Preview, reply *bot.Reply, command string, forms []string) (pv preview) {
	defer func() {
		if e := recover(); e != nil {
			c.opts.Log.Error("console: preview panicked", "platform", p.Platform, "panic", fmt.Sprint(e))
			pv = preview{Error: "the " + p.Platform + " renderer failed on this reply"}
		}
	}()
	names := c.opts.Engine.Naming(p.Platform)
	payloads, files, err := p.Render(names.Reply(reply), names.String(command), forms)
	if err != nil {
		return preview{Error: err.Error()}
	}
	urls := dataURLs(files)
	for _, f := range forms {
		raw, ok := payloads[f]
		switch {
		case !ok:
			continue
		case !json.Valid(raw):
			return preview{Error: "the " + p.Platform + " renderer produced invalid JSON"}
		}
		pv.Forms = append(pv.Forms, form{Form: f, Label: formLabels[f], Payload: raw, Files: urls})
	}
	return pv
}

// dataURLs turns files into data: URLs, which the page's policy allows as
// images.
func dataURLs(files map[string][]byte) map[string]string {
	if len(files) == 0 {
		return nil
	}
	out := make(map[string]string, len(files))
	for name, b := range files {
		out[name] = "data:" + http.DetectContentType(b) + ";base64," + base64.StdEncoding.EncodeToString(b)
	}
	return out
}

// digestPreviews renders delivered digests once each: the console polls
// them, and a digest does not change.
type digestPreviews struct {
	mu sync.Mutex
	m  map[*bot.Reply]map[string]preview
}

// maxDigestPreviews bounds the cache; it starts over when full.
const maxDigestPreviews = 200

func (c *Console) digestPreview(r *bot.Reply) map[string]preview {
	d := &c.digestCache
	d.mu.Lock()
	pv, ok := d.m[r]
	d.mu.Unlock()
	if ok {
		return pv
	}
	pv = c.previews(r, "", []string{FormDigest})
	d.mu.Lock()
	if d.m == nil || len(d.m) >= maxDigestPreviews {
		d.m = map[*bot.Reply]map[string]preview{}
	}
	d.m[r] = pv
	d.mu.Unlock()
	return pv
}
