package slack

import "errors"

// Readiness says what is true of the adapter in its mode, for /readyz: in
// HTTP mode nothing connects, and it takes signed requests as soon as it
// serves; in Socket Mode it is ready once the WebSocket is connected.
// Either way it says when digests cannot be posted.
func (a *Adapter) Readiness() (string, error) {
	post := ""
	if !a.canPost {
		post = "; no bot token, so digests cannot be posted"
	}
	if a.mode == ModeSocket {
		if !a.connected.Load() {
			return "", errors.New("socket mode: not connected to Slack (yet); the log says why")
		}
		return "socket mode: connected" + post, nil
	}
	return "http: accepting signed requests at /slack/commands, /slack/interactivity and /slack/events" + post, nil
}
