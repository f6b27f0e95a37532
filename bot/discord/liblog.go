package discord

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// RouteLibraryLog sends discordgo's own log lines (connect failures,
// heartbeat timeouts, reconnects) through log instead of the standard
// library's logger, so they keep the configured format. discordgo keeps
// its logger in a package variable: main calls this once, before any
// session opens.
func RouteLibraryLog(log *slog.Logger) {
	discordgo.Logger = libraryLogger(log)
}

// libraryLogger maps discordgo's levels to slog's and keeps where the line
// was logged as the source attribute ("wsapi.go:82").
func libraryLogger(log *slog.Logger) func(msgL, caller int, format string, a ...any) {
	return func(msgL, caller int, format string, a ...any) {
		level := libraryLevel(msgL)
		ctx := context.Background()
		if !log.Enabled(ctx, level) {
			return
		}
		attrs := []slog.Attr{slog.String("component", "discordgo")}
		// caller counts from discordgo's msglog; this function is one
		// frame further away.
		if _, file, line, ok := runtime.Caller(caller + 1); ok {
			attrs = append(attrs, slog.String("source", filepath.Base(file)+":"+strconv.Itoa(line)))
		}
		log.LogAttrs(ctx, level, strings.TrimSpace(fmt.Sprintf(format, a...)), attrs...)
	}
}

func libraryLevel(msgL int) slog.Level {
	switch msgL {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	case discordgo.LogInformational:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
