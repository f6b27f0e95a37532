package main

import (
	"context"
	"net/http"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/digest"
)

// buildDiscord wires the Discord adapter when Discord is configured.
func buildDiscord(d deps) (adapter, error) {
	if !d.cfg.DiscordEnabled() {
		return nil, nil
	}
	c := d.cfg.Discord
	if err := discord.CheckNames(d.engine.Naming(bot.PlatformDiscord)); err != nil {
		return nil, err
	}
	a, err := discord.New(d.engine, discord.Options{
		Naming:    d.engine.Naming(bot.PlatformDiscord),
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
	if err != nil {
		return nil, err
	}
	return discordAdapter{a}, nil
}

// discordAdapter fits *discord.Adapter to serve's adapter interface.
type discordAdapter struct{ a *discord.Adapter }

func (s discordAdapter) Name() string                  { return s.a.Name() }
func (s discordAdapter) Routes(mux *http.ServeMux)     { s.a.Routes(mux) }
func (s discordAdapter) Run(ctx context.Context) error { return s.a.Run(ctx) }
func (s discordAdapter) Poster() digest.Poster         { return s.a.Poster() }
func (s discordAdapter) Readiness() (string, error)    { return s.a.Readiness() }
