package main

import (
	"io"
	"log/slog"

	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/config"
)

// newLogger sets up log/slog once, text or JSON, at the configured level,
// and sends discordgo's own lines through it.
func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	if c.Format == "json" {
		log = slog.New(slog.NewJSONHandler(w, opts))
	} else {
		log = slog.New(slog.NewTextHandler(w, opts))
	}
	discord.RouteLibraryLog(log)
	return log
}
