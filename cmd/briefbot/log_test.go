package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/config"
)

// TestLoggerTakesDiscordgoLines: the logger serve sets up also carries
// discordgo's lines, so JSON logs stay JSON.
func TestLoggerTakesDiscordgoLines(t *testing.T) {
	t.Cleanup(func() { discordgo.Logger = nil })
	var out bytes.Buffer
	newLogger(config.Log{Level: "info", Format: "json"}, &out)
	if discordgo.Logger == nil {
		t.Fatal("discordgo still logs through the standard library")
	}
	discordgo.Logger(discordgo.LogError, 1, "error connecting to gateway %s", "ws://127.0.0.1:9")
	var rec map[string]any
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil || rec["level"] != "ERROR" || rec["component"] != "discordgo" {
		t.Errorf("discordgo line %q (%v)", out.String(), err)
	}
}
