package main

import "github.com/briefbot/briefbot/bot/discord"

// buildDiscord wires the Discord adapter when Discord is configured.
func buildDiscord(d deps) (adapter, error) {
	if !d.cfg.DiscordEnabled() {
		return nil, nil
	}
	c := d.cfg.Discord
	return discord.New(discord.Options{
		Engine:    d.engine,
		Mode:      d.cfg.DiscordMode(),
		AppID:     c.AppID,
		PublicKey: c.PublicKey,
		BotToken:  c.BotToken.Value(),
		APIURL:    c.APIURL,
		PostRate:  c.PostRate,
		Log:       d.log.With("platform", "discord"),

		OnSignatureFailure: d.metrics.SignatureFailures("discord"),
		Claims:             d.claims,
	})
}
