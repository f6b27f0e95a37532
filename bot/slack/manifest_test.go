package slack

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/seeds"
)

// The checked-in manifests are what `briefbot slack manifest` prints.
var manifests = []struct {
	file string
	opts ManifestOptions
}{
	{"manifest.yaml", ManifestOptions{SocketMode: true}},
	{"manifest-http.yaml", ManifestOptions{BaseURL: "https://briefbot.example.com"}},
}

func TestManifestGolden(t *testing.T) {
	// The whole table, as serve builds it: the core commands and /digest.
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	set, problems := briefs.Load(os.DirFS("../testdata/briefs"), "bot/testdata/briefs", corpus)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cmds := bot.New(set, bot.Options{Extra: []bot.Command{digest.CommandSpec()}}).Commands()
	for _, mf := range manifests {
		m, err := BuildManifest(cmds, mf.opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(mf.file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(mf.file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale; run go test ./bot/slack -run TestManifestGolden -update\ngot:\n%s", mf.file, got)
		}
	}
}

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
		if sc.URL != "https://bot.example.org/slack/commands" || sc.ShouldEscape {
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
	if strings.Join(m.OAuthConfig.Scopes.Bot, ",") != "commands,chat:write,chat:write.public,app_mentions:read,im:history" {
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
