package slack

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestManifestFromCommandTable(t *testing.T) {
	cmds := fixtureEngine(t).Commands()
	m, err := BuildManifest(cmds, ManifestOptions{BaseURL: "https://bot.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := m.YAML()
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"display_information", "features", "oauth_config", "settings"} {
		if doc[key] == nil {
			t.Errorf("manifest has no %s", key)
		}
	}
	if len(m.Features.SlashCommands) != len(cmds) {
		t.Fatalf("%d slash commands for %d commands", len(m.Features.SlashCommands), len(cmds))
	}
	for i, c := range cmds {
		sc := m.Features.SlashCommands[i]
		if engineName(sc.Command) != c.Name || sc.Description != c.Summary || sc.UsageHint == "" {
			t.Errorf("command %s: got %+v", c.Name, sc)
		}
		if reserved(strings.TrimPrefix(sc.Command, "/")) {
			t.Errorf("%s is reserved by Slack", sc.Command)
		}
		if sc.URL != "https://bot.example.org/slack/commands" || sc.ShouldEscape != c.Mentions {
			t.Errorf("%s: url %q, should_escape %v", sc.Command, sc.URL, sc.ShouldEscape)
		}
	}
	if m.Settings.Interactivity.RequestURL != "https://bot.example.org/slack/interactivity" || m.Settings.SocketModeEnabled {
		t.Errorf("settings %+v", m.Settings)
	}
	if ev := m.Settings.EventSubscriptions; ev.RequestURL != "https://bot.example.org/slack/events" || strings.Join(ev.BotEvents, ",") != "app_mention,message.im" {
		t.Errorf("event subscriptions %+v", ev)
	}
	if !m.Features.AppHome.MessagesTabEnabled || m.Features.AppHome.MessagesTabReadOnlyEnabled {
		t.Errorf("the Messages tab must be open for direct messages: %+v", m.Features.AppHome)
	}
	if strings.Join(m.OAuthConfig.Scopes.Bot, ",") != "commands,chat:write,chat:write.public,channels:history,app_mentions:read,im:history" {
		t.Errorf("scopes %v", m.OAuthConfig.Scopes.Bot)
	}
}

func TestManifestOptionsChecked(t *testing.T) {
	cmds := fixtureEngine(t).Commands()
	for _, o := range []ManifestOptions{
		{},
		{BaseURL: "http://insecure.example.org"},
		{BaseURL: "https://"},
		{SocketMode: true, BaseURL: "https://both.example.org"},
		{SocketMode: true, Name: strings.Repeat("n", 36)},
	} {
		if _, err := BuildManifest(cmds, o); err == nil {
			t.Errorf("BuildManifest(%+v) accepted", o)
		}
	}
}

func TestSlackNames(t *testing.T) {
	for name, want := range map[string]string{"stance": "stance", "who": "whois", "status": "brief-status"} {
		if got := SlackName(name); got != want {
			t.Errorf("SlackName(%q) = %q, want %q", name, got, want)
		}
		if back := engineName("/" + SlackName(name)); back != name {
			t.Errorf("engineName(/%s) = %q, want %q", SlackName(name), back, name)
		}
	}
}
