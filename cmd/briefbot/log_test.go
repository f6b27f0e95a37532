package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

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

// TestBufferedLogger: a line is written as soon as the writer runs; lines
// logged while it waits out logWriteGap are written together, all of them
// and in order; a warning is written at once with what came before it;
// stop writes out the rest.
func TestBufferedLogger(t *testing.T) {
	t.Cleanup(func() { discordgo.Logger = nil }) // it routes discordgo's lines too
	synctest.Test(t, func(t *testing.T) {
		var out lockedBuffer
		log, stop := newBufferedLogger(config.Log{Level: "info"}, &out)
		log.Info("command", "n", 1)
		synctest.Wait()
		if got := out.String(); !strings.Contains(got, "n=1") {
			t.Errorf("an idle logger held a line back: %q", got)
		}
		log.Info("command", "n", 2)
		log.Info("command", "n", 3)
		synctest.Wait()
		if got := out.String(); strings.Contains(got, "n=2") {
			t.Errorf("written again within %v: %q", logWriteGap, got)
		}
		time.Sleep(logWriteGap)
		synctest.Wait()
		if got := out.String(); strings.Count(got, "msg=command") != 3 || strings.Index(got, "n=2") > strings.Index(got, "n=3") {
			t.Errorf("after %v: %q; want three lines in order", logWriteGap, got)
		}
		log.Info("command", "n", 4)
		log.With("platform", "x").Warn("trouble")
		if got := out.String(); !strings.Contains(got, "n=4") || !strings.Contains(got, "msg=trouble platform=x") {
			t.Errorf("a warning was held back: %q", got)
		}
		log.Info("command", "n", 5)
		stop()
		if got := out.String(); !strings.Contains(got, "n=5") {
			t.Errorf("stop lost a line: %q", got)
		}
	})
}

// waitLog waits until the log holds want: serve writes its log from a
// goroutine of its own.
func waitLog(t *testing.T, logs *lockedBuffer, want string) bool {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(logs.String(), want) {
			return true
		}
	}
	return false
}
