package bot

import (
	"context"
	"slices"
)

// Where messages addressed to the bot (mentions, direct messages) are
// answered. Slash commands are always answered.
const (
	SpeakEverywhere = "everywhere" // in every channel and direct message
	SpeakBound      = "bound"      // only in channels bound to a dossier, and direct messages
	SpeakOff        = "off"        // nowhere
)

func validSpeak(s string) bool {
	return slices.Contains([]string{SpeakEverywhere, SpeakBound, SpeakOff}, s)
}

// SpeakScope is where a workspace's choice of where to speak is kept, in
// the same store as the bindings (its value is a mode, not a slug).
func SpeakScope(platform, workspace string) string {
	return platform + ":speak:" + workspace
}

// speaks says whether a message addressed to the bot is answered: the
// workspace's mode (else the bot's), and with SpeakBound, whether the
// channel has a binding of its own (via is how its dossier was chosen).
func (e *Engine) speaks(ctx context.Context, req Request, via string) bool {
	switch e.speakMode(ctx, req) {
	case SpeakOff:
		return false
	case SpeakBound:
		return req.DM || via == viaChannel
	}
	return true
}

// speakMode is where the bot answers messages addressed to it in the
// request's workspace: the workspace's choice, else the bot's.
func (e *Engine) speakMode(ctx context.Context, req Request) string {
	if req.Workspace != "" {
		if m, ok, err := e.bindings.get(ctx, SpeakScope(req.Platform, req.Workspace)); err == nil && ok && validSpeak(m) {
			return m
		}
	}
	return e.speak
}

func silent() *Reply {
	return &Reply{Command: "ask", Outcome: OutcomeSilent, Title: "Not answered here", Private: true}
}
