package discord

// Readiness says what is true of the adapter in its mode, for /readyz:
// over the gateway it is ready once the session is up; in HTTP mode
// nothing connects, and it takes signed interactions as soon as it serves.
// Either way it says when digests cannot be posted.
func (a *Adapter) Readiness() (string, error) {
	post := ""
	if a.session == nil {
		post = "; no bot token, so digests cannot be posted"
	}
	if a.mode == ModeGateway {
		return a.gatewayReadiness()
	}
	return "http: accepting signed interactions at /discord/interactions" + post, nil
}
