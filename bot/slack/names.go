package slack

import "strings"

// Slack reserves the names of its built-in commands; an app manifest that
// registers one is rejected. Engine commands with such a name are
// registered under another name and mapped back when they arrive.

// reserved reports whether Slack keeps name for a built-in command.
func reserved(name string) bool {
	switch name {
	case "active", "apps", "archive", "away", "call", "collapse", "dm", "dnd",
		"expand", "feed", "invite", "join", "leave", "me", "msg", "mute", "open",
		"pro", "remind", "remove", "rename", "search", "shortcuts", "shrug",
		"star", "status", "topic", "who":
		return true
	}
	return false
}

// SlackName is the name an engine command is registered under in Slack,
// without the slash: its own name unless Slack reserves it.
func SlackName(name string) string {
	if !reserved(name) {
		return name
	}
	if name == "who" {
		return "whois"
	}
	return "brief-" + name
}

// engineName maps a Slack command ("/whois") back to the engine's name
// ("who").
func engineName(slash string) string {
	name := strings.ToLower(strings.TrimPrefix(slash, "/"))
	if name == "whois" {
		return "who"
	}
	if rest, ok := strings.CutPrefix(name, "brief-"); ok && reserved(rest) {
		return rest
	}
	return name
}
