package main

import (
	"context"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/server"
	"github.com/briefbot/briefbot/store"
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
		ConsoleURL:         d.cfg.ConsoleURL,
		Audit:              d.audit,
		Shards:             c.Shards,
		ShardLocks:         d.shards,
		ShardRetry:         c.ShardRound.Duration,
	})
	if err != nil {
		return nil, err
	}
	return discordAdapter{a}, nil
}

// pgShardLocks fits the store's shard locks to the adapter's interface.
type pgShardLocks struct{ *store.ShardLocks }

func (l pgShardLocks) TryLock(ctx context.Context, shard int) (discord.ShardHold, bool, error) {
	h, ok, err := l.ShardLocks.TryLock(ctx, shard)
	if !ok {
		return nil, false, err
	}
	return h, true, nil
}

// shardLocks are the gateway's shard locks: on PostgreSQL when the store
// is there and Discord runs over the gateway; otherwise none, and this
// process holds every shard.
func shardLocks(cfg *config.Config) (*pgShardLocks, error) {
	u := cfg.DatabaseURL.Value()
	if u == "" || !cfg.DiscordEnabled() || cfg.DiscordMode() != discord.ModeGateway {
		return nil, nil
	}
	l, err := store.NewShardLocks(u)
	if err != nil {
		return nil, err
	}
	return &pgShardLocks{l}, nil
}

// discordAdapter fits *discord.Adapter to serve's adapter interface.
type discordAdapter struct{ a *discord.Adapter }

func (s discordAdapter) Name() string                  { return s.a.Name() }
func (s discordAdapter) Routes(srv *server.Server)     { s.a.Routes(srv) }
func (s discordAdapter) Run(ctx context.Context) error { return s.a.Run(ctx) }
func (s discordAdapter) Poster() digest.Poster         { return s.a.Poster() }
func (s discordAdapter) Readiness() (string, error)    { return s.a.Readiness() }
