package slack

// Slack reserves the names of its built-in commands; an app that registers
// one is refused, and a user typing it gets Slack's command, not ours. The
// command table gives such a row a Slack name of its own ("who" is
// "whois"); the manifest refuses any name left on this list.

// reserved reports whether Slack keeps name for a built-in command.
func reserved(name string) bool {
	switch name {
	case "active", "apps", "archive", "away", "call", "collapse", "dm", "dnd",
		"expand", "feed", "feedback", "invite", "join", "leave", "me", "msg", "mute", "open",
		"prefs", "pro", "remind", "remove", "rename", "search", "shortcuts", "shrug",
		"star", "status", "topic", "who":
		return true
	}
	return false
}
