package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

type registered struct {
	Name                     string  `json:"name"`
	Description              string  `json:"description"`
	Type                     int     `json:"type"`
	DefaultMemberPermissions *string `json:"default_member_permissions"`
	Contexts                 []int   `json:"contexts"`
	Options                  []struct {
		Name         string `json:"name"`
		Description  string `json:"description"`
		Type         int    `json:"type"`
		Required     bool   `json:"required"`
		Autocomplete bool   `json:"autocomplete"`
		Choices      []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"choices"`
	} `json:"options"`
}

// digestLike are two rows shaped like /digest (for everyone) and
// /digest-manage (for those who manage the channel).
func digestLike() []bot.Command {
	run := func(context.Context, bot.Request, string) *bot.Reply {
		return &bot.Reply{Outcome: bot.OutcomeOK, Title: "ok"}
	}
	return []bot.Command{{Name: "digest", Summary: "Scheduled digests: preview, list",
		Args: []bot.Arg{
			{Name: "action", Kind: bot.ArgText, Required: true, Description: "What to do", Choices: []string{"preview", "list"}},
			{Name: "kind", Kind: bot.ArgText, Description: "Which digest"},
		}, Run: run}, {Name: "digest-manage", Summary: "Change this channel's digests", Manage: true,
		Args: []bot.Arg{
			{Name: "action", Kind: bot.ArgText, Required: true, Description: "What to do", Choices: []string{"subscribe", "unsubscribe", "list"}},
			{Name: "kind", Kind: bot.ArgText, Description: "Which digest"},
		}, Run: run}}
}

func TestRegister(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) { return http.StatusOK, nil, string(c.Body) }
	e := shippedEngine(t, nil, digestLike()...)
	names, err := Register(t.Context(), RegisterOptions{AppID: "100000000000000001", BotToken: "tok", APIURL: fake.srv.URL, GuildID: "400000000000000001"}, e.Naming(bot.PlatformDiscord))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(e.Commands()) {
		t.Errorf("registered %v", names)
	}
	c := fake.all()[0]
	if c.Method != http.MethodPut || c.Path != "/api/v9/applications/100000000000000001/guilds/400000000000000001/commands" {
		t.Errorf("%s %s", c.Method, c.Path)
	}
	if c.Header.Get("Authorization") != "Bot tok" {
		t.Errorf("authorization %q", c.Header.Get("Authorization"))
	}
	var cmds []registered
	if err := json.Unmarshal(c.Body, &cmds); err != nil {
		t.Fatal(err)
	}
	byName := map[string]registered{}
	for _, rc := range cmds {
		byName[rc.Name] = rc
		if rc.Type != 1 || rc.Description == "" || len([]rune(rc.Description)) > 100 {
			t.Errorf("/%s: type %d, description %q", rc.Name, rc.Type, rc.Description)
		}
		for _, o := range rc.Options {
			if o.Type != 3 || o.Description == "" {
				t.Errorf("/%s %s: type %d description %q", rc.Name, o.Name, o.Type, o.Description)
			}
		}
	}
	for _, cmd := range e.Commands() {
		rc, ok := byName[cmd.Name]
		if !ok {
			t.Errorf("/%s not registered", cmd.Name)
			continue
		}
		for _, arg := range cmd.Args {
			for _, o := range rc.Options {
				if o.Name != arg.Name {
					continue
				}
				wantAuto := arg.Kind != bot.ArgText && len(arg.Choices) == 0
				if o.Autocomplete != wantAuto || o.Required != arg.Required {
					t.Errorf("/%s %s: autocomplete %v required %v", cmd.Name, o.Name, o.Autocomplete, o.Required)
				}
			}
		}
	}
	if rc := byName["stance"]; rc.DefaultMemberPermissions != nil || len(rc.Contexts) != 2 {
		t.Errorf("/stance: permissions %v, contexts %v", rc.DefaultMemberPermissions, rc.Contexts)
	}
	if d := byName["digest"]; d.DefaultMemberPermissions != nil || len(d.Contexts) != 2 {
		t.Errorf("/digest: permissions %v, contexts %v; want everyone, everywhere", d.DefaultMemberPermissions, d.Contexts)
	}
	d := byName["digest-manage"]
	if d.DefaultMemberPermissions == nil || *d.DefaultMemberPermissions != "16" || len(d.Contexts) != 1 || d.Contexts[0] != 0 {
		t.Errorf("/digest-manage: permissions %v, contexts %v; want Manage Channels, guild only", d.DefaultMemberPermissions, d.Contexts)
	}
	if len(d.Options) != 2 || len(d.Options[0].Choices) != 3 || d.Options[0].Autocomplete {
		t.Errorf("/digest-manage options %+v", d.Options)
	}
}

func TestRegisterGlobalAndErrors(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(c call, n int) (int, http.Header, string) {
		if n == 1 {
			return http.StatusOK, nil, "[]"
		}
		return http.StatusUnauthorized, nil, `{"message":"401: Unauthorized","code":0}`
	}
	e := shippedEngine(t, nil)
	opts := RegisterOptions{AppID: "100000000000000001", BotToken: "tok", APIURL: fake.srv.URL}
	if _, err := Register(t.Context(), opts, e.Naming(bot.PlatformDiscord)); err != nil {
		t.Fatal(err)
	}
	if p := fake.all()[0].Path; p != "/api/v9/applications/100000000000000001/commands" {
		t.Errorf("global path %s", p)
	}
	_, err := Register(t.Context(), opts, e.Naming(bot.PlatformDiscord))
	if err == nil || !strings.Contains(err.Error(), "register commands globally: HTTP 401") || strings.Contains(err.Error(), "tok") {
		t.Errorf("error %v", err)
	}
	if _, err := Register(t.Context(), RegisterOptions{AppID: "1"}, e.Naming(bot.PlatformDiscord)); err == nil {
		t.Error("no token accepted")
	}
}

func TestRegisterRefusesBadNames(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		table  []bot.Command
		want   string
	}{
		{"", []bot.Command{{Name: "Bad Name", Summary: "x"}}, `"Bad Name"`},
		{"", []bot.Command{{Name: "giphy", Summary: "x"}}, "one of Discord's own"},
		{"bb-", []bot.Command{{Name: "giphy", Summary: "x", Names: map[string]string{bot.PlatformDiscord: "gif"}}, {Name: "gif", Summary: "y"}}, `"bb-gif": registered twice`},
		{"prefix-far-too-long-", []bot.Command{{Name: "guarantees-xyz", Summary: "x"}}, `"prefix-far-too-long-guarantees-xyz"`},
	} {
		_, err := applicationCommands(bot.NewNaming(bot.PlatformDiscord, tc.prefix, tc.table))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %v: error %v, want %s", tc.prefix, tc.table[0].Name, err, tc.want)
		}
		if CheckNames(bot.NewNaming(bot.PlatformDiscord, tc.prefix, tc.table)) == nil {
			t.Errorf("CheckNames passed %v", tc.table[0].Name)
		}
	}
}

// TestRegisterWithPrefix registers every command under the prefix, and an
// interaction for a prefixed command is answered by that command.
func TestRegisterWithPrefix(t *testing.T) {
	e := shippedEngineWith(t, "bb-", digestLike()...)
	raw, err := CommandsJSON(e.Naming(bot.PlatformDiscord))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []registered
	if err := json.Unmarshal(raw, &cmds); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	if len(cmds) != len(e.Commands()) || !slices.Contains(names, "bb-stance") || !slices.Contains(names, "bb-who") ||
		!slices.Contains(names, "bb-digest-manage") || slices.Contains(names, "stance") {
		t.Errorf("registered %v", names)
	}
}

// TestPrefixedInteraction: a prefixed command as Discord sends it is
// answered by that command; help and completions name commands as
// registered; a digest is posted with the registered names.
func TestPrefixedInteraction(t *testing.T) {
	k := newTestKey(t)
	e := shippedEngineWith(t, "bb-", digestLike()...)
	a := newHTTPAdapter(t, e, k, newFakeDiscord(t).srv.URL)
	w := serve(a, k.signed(commandJSON("p1", 2, "bb-stance", 0, opt{Name: "actor", Type: 3, Value: "poland"}), time.Now()))
	if d := decode(t, w.Body.Bytes()); len(d.Data.Embeds) == 0 || !contains(d.Data.Embeds[0], "Poland") {
		t.Fatalf("/bb-stance poland: %s", w.Body)
	}
	w = serve(a, k.signed(commandJSON("p2", 2, "bb-help", 0), time.Now()))
	if body := w.Body.String(); !strings.Contains(body, "/bb-who") || !strings.Contains(body, "/bb-digest-manage") ||
		strings.Contains(body, "/who ") || strings.Contains(body, "whois") {
		t.Errorf("help names commands Discord does not have here:\n%s", body)
	}
	w = serve(a, k.signed(commandJSON("p3", 4, "bb-help", 0, opt{Name: "command", Type: 3, Value: "wh", Focused: true}), time.Now()))
	if d := decode(t, w.Body.Bytes()); len(d.Data.Choices) != 1 || d.Data.Choices[0].Value != "bb-who" || !strings.HasPrefix(d.Data.Choices[0].Name, "/bb-who ") {
		t.Errorf("completions %+v, want bb-who", d.Data.Choices)
	}
	p := newPoster(nil, 0, e.Naming(bot.PlatformDiscord))
	r := &bot.Reply{Title: "Digest", Intro: bot.Plain("Full answers: /matrix, /who.")}
	if msgs := p.rendered.get(r, ""); len(msgs) == 0 || !strings.Contains(msgs[0].Embeds[0].Description, "Full answers: /bb-matrix, /bb-who.") {
		t.Errorf("digest as posted: %+v", msgs)
	}
}
