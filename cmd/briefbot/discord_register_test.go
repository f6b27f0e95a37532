package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDiscordRegister runs `briefbot discord register` against a fake
// Discord API on loopback.
func TestDiscordRegister(t *testing.T) {
	var gotPath, gotAuth string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		gotPath, gotAuth = r.Method+" "+r.URL.Path, r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.Write(body) // Discord echoes the commands it stored
	}))
	defer api.Close()
	vars := map[string]string{"DISCORD_APP_ID": "100000000000000001", "DISCORD_BOT_TOKEN": "secret-token", "DISCORD_API_URL": api.URL}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"discord", "register", "--guild", "400000000000000001"},
		env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if gotPath != "PUT /api/v9/applications/100000000000000001/guilds/400000000000000001/commands" || gotAuth != "Bot secret-token" {
		t.Errorf("request %s (auth %q)", gotPath, gotAuth)
	}
	if !strings.Contains(out.String(), "in server 400000000000000001") || !strings.Contains(out.String(), "/stance") {
		t.Errorf("stdout %q", out.String())
	}
	if strings.Contains(out.String()+errb.String(), "secret-token") {
		t.Error("the token was printed")
	}
}

func TestDiscordRegisterUsage(t *testing.T) {
	if code, _, _ := runCLI("discord"); code != exitBadUsage {
		t.Errorf("discord: exit %d", code)
	}
	if code, _, errOut := runCLI("discord", "register"); code != exitFailure || !strings.Contains(errOut, "DISCORD_APP_ID") {
		t.Errorf("register without keys: exit %d, %s", code, errOut)
	}
	if code, out, _ := runCLI("discord", "register", "--print"); code != exitOK || !strings.Contains(out, `"autocomplete": true`) {
		t.Errorf("--print: exit %d", code)
	}
}

// TestPlatformToolsAskOnlyWhatTheyNeed: printing the Discord commands or
// the Slack manifest talks to nobody, so a half-set platform section does
// not stop them; registering names the keys it lacks, and only those.
func TestPlatformToolsAskOnlyWhatTheyNeed(t *testing.T) {
	half := map[string]string{
		"DISCORD_APP_ID": "100000000000000001", "DISCORD_PUBLIC_KEY": "not-hex",
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_MODE": "socket",
	}
	if code, out, errOut := runCLIEnv(half, "discord", "register", "--print"); code != exitOK || !strings.Contains(out, `"name": "stance"`) {
		t.Errorf("discord register --print with a half-set Discord section: exit %d, %s", code, errOut)
	}
	if code, out, errOut := runCLIEnv(half, "slack", "manifest", "--socket-mode"); code != exitOK || !strings.Contains(out, "/stance") {
		t.Errorf("slack manifest with a half-set Slack section: exit %d, %s", code, errOut)
	}
	code, _, errOut := runCLIEnv(half, "discord", "register")
	if code != exitFailure || !strings.Contains(errOut, "DISCORD_BOT_TOKEN") || strings.Contains(errOut, "DISCORD_APP_ID") || strings.Contains(errOut, "PUBLIC_KEY") {
		t.Errorf("register without a token: exit %d, %s", code, errOut)
	}
	// A broken core setting is still a problem of the configuration.
	if code, _, errOut := runCLIEnv(map[string]string{"BRIEFBOT_LOG_LEVEL": "loud"}, "discord", "register", "--print"); code != exitBadUsage || !strings.Contains(errOut, "BRIEFBOT_LOG_LEVEL") {
		t.Errorf("bad log level: exit %d, %s", code, errOut)
	}
}
