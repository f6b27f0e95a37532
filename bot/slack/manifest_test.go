package slack

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
)

func TestManifestFromCommandTable(t *testing.T) {
	e := fixtureEngine(t)
	cmds := e.Commands()
	m, err := BuildManifest(e.Naming(bot.PlatformSlack), ManifestOptions{BaseURL: "https://bot.example.org/"})
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
		if got, ok := e.Command(sc.Command); !ok || got.Name != c.Name || sc.Description != c.Summary || sc.UsageHint == "" {
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
	names := fixtureEngine(t).Naming(bot.PlatformSlack)
	for _, o := range []ManifestOptions{
		{},
		{BaseURL: "http://insecure.example.org"},
		{BaseURL: "https://"},
		{SocketMode: true, BaseURL: "https://both.example.org"},
		{SocketMode: true, Name: strings.Repeat("n", 36)},
	} {
		if _, err := BuildManifest(names, o); err == nil {
			t.Errorf("BuildManifest(%+v) accepted", o)
		}
	}
}

func TestSlackNames(t *testing.T) {
	e := fixtureEngine(t)
	m, err := BuildManifest(e.Naming(bot.PlatformSlack), ManifestOptions{SocketMode: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range m.Features.SlashCommands {
		got = append(got, sc.Command)
	}
	if !slices.Contains(got, "/whois") || slices.Contains(got, "/who") || !slices.Contains(got, "/stance") {
		t.Errorf("slash commands %v: want /whois for who, no /who", got)
	}
	// A row named like one of Slack's own commands, with no Slack name of
	// its own, is refused, naming the command.
	status := bot.Command{Name: "status", Summary: "x"}
	for _, names := range []bot.Naming{
		bot.NewNaming(bot.PlatformSlack, "", []bot.Command{status}),
		bot.NewNaming(bot.PlatformSlack, "", []bot.Command{{Name: "who", Summary: "x", Names: map[string]string{bot.PlatformDiscord: "whois"}}}),
	} {
		_, err := BuildManifest(names, ManifestOptions{SocketMode: true})
		if err == nil || !strings.Contains(err.Error(), "one of Slack's own") {
			t.Errorf("reserved name: %v", err)
		}
		if CheckNames(names) == nil {
			t.Error("CheckNames passed a reserved name")
		}
	}
	// With a prefix the same row is no clash; a name too long is refused.
	if err := CheckNames(bot.NewNaming(bot.PlatformSlack, "bb-", []bot.Command{status})); err != nil {
		t.Errorf("/bb-status: %v", err)
	}
	long := bot.NewNaming(bot.PlatformSlack, "a-prefix-of-sixteen-", []bot.Command{{Name: "digest-manage", Summary: "x"}})
	if err := CheckNames(long); err == nil || !strings.Contains(err.Error(), "at most 32") {
		t.Errorf("33-character command: %v", err)
	}
}

// TestManifestWithPrefix registers every command under the prefix, and
// a prefixed command from Slack is answered by that command, with its
// answer naming commands as registered.
func TestManifestWithPrefix(t *testing.T) {
	e := prefixedEngine(t, "bb-")
	m, err := BuildManifest(e.Naming(bot.PlatformSlack), ManifestOptions{SocketMode: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range m.Features.SlashCommands {
		got = append(got, sc.Command)
	}
	if len(got) != len(e.Commands()) || !slices.Contains(got, "/bb-whois") || !slices.Contains(got, "/bb-stance") || slices.Contains(got, "/stance") {
		t.Errorf("slash commands %v", got)
	}
}

// TestPrefixedCommandOverHTTP sends a prefixed command as Slack posts it:
// it is answered by that command, and help names every command as the
// manifest registers it.
func TestPrefixedCommandOverHTTP(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	e := prefixedEngine(t, "bb-")
	a := newTestAdapter(t, e, clock, Options{Naming: e.Naming(bot.PlatformSlack)})
	w := serve(a, signedRequest("/slack/commands", commandBody("/bb-whois", "kosiniak-kamysz", "U1", ""), clock.Now()))
	if m := decodeWire(t, w.Body.Bytes()); w.Code != 200 || len(m.Blocks) == 0 || !strings.Contains(m.Blocks[0].Text.Text, "Kosiniak") {
		t.Fatalf("/bb-whois: %d %s", w.Code, w.Body)
	}
	w = serve(a, signedRequest("/slack/commands", commandBody("/bb-help", "", "U1", ""), clock.Now()))
	body := w.Body.String()
	for _, want := range []string{"/bb-whois", "/bb-stance", "/bb-help"} {
		if !strings.Contains(body, want) {
			t.Errorf("help lacks %s:\n%s", want, body)
		}
	}
	for _, bad := range []string{"/who ", "/stance ", "/whois "} {
		if strings.Contains(body, bad) {
			t.Errorf("help names %q, which Slack does not have here", bad)
		}
	}
}
