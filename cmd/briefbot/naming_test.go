package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
)

// registered runs the commands that print what each platform registers
// (`slack manifest`, `discord register --print`) and returns the names
// there, without the slash, by platform.
func registered(t *testing.T, vars map[string]string) map[string][]string {
	t.Helper()
	code, out, errOut := runCLIEnv(vars, "slack", "manifest", "--socket-mode", "--format", "json")
	if code != exitOK {
		t.Fatalf("slack manifest: exit %d: %s", code, errOut)
	}
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command string `json:"command"`
			} `json:"slash_commands"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{}
	for _, c := range m.Features.SlashCommands {
		names[bot.PlatformSlack] = append(names[bot.PlatformSlack], strings.TrimPrefix(c.Command, "/"))
	}
	code, out, errOut = runCLIEnv(vars, "discord", "register", "--print")
	if code != exitOK {
		t.Fatalf("discord register --print: exit %d: %s", code, errOut)
	}
	var cmds []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(out), &cmds); err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		names[bot.PlatformDiscord] = append(names[bot.PlatformDiscord], c.Name)
	}
	return names
}

// servedEngine is the engine serve builds, /digest and /digest-manage
// included, over a store in a temporary directory.
func servedEngine(t *testing.T, prefix string) *bot.Engine {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Commands.Prefix = prefix
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dg, err := openDigests(t.Context(), &cfg, log, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dg.close)
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Fatal(err)
	}
	e := bot.New(set, bot.Options{Extra: dg.commands(), Prefix: prefix})
	if err := dg.use(&cfg, e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// namedCommand finds a command named in our words, as a user would read
// it: a slash after a space or opening punctuation, then a name.
var namedCommand = regexp.MustCompile(`(?:^|[\s(“"'‘«\[])/([\p{L}\p{N}_-]+)`)

// mentioned collects the commands a reply names in our words (not in
// what it echoes of the user, not in the documents' quotes).
func mentioned(r *bot.Reply) []string {
	var out []string
	add := func(s string) {
		for _, m := range namedCommand.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
	}
	addText := func(t bot.Text) {
		for _, sp := range t {
			if !sp.User {
				add(sp.Text)
			}
		}
	}
	add(r.Title)
	addText(r.Intro)
	for _, s := range r.Sections {
		add(s.Heading)
		for _, b := range s.Bullets {
			addText(b.Text)
			for _, n := range b.Notes {
				addText(n)
			}
		}
	}
	return out
}

// askedEverything is what the test asks on a platform: every command's
// examples as the platform names them, help for each, and the answers
// that point elsewhere (unknown names, usage, refusals, digests).
func askedEverything(e *bot.Engine, platform string) []string {
	n := e.Naming(platform)
	asks := []string{"/help", "/stanse poland", "/frobnicate", "/who nobody", "/stance narnia", "/compare", "/sources d999",
		"/sources p21", "/digest", "/digest preview nothing-at-all", "/digest list", "/digest-manage", "/digest-manage subscribe",
		"/digest-manage subscribe overview at 25:00", "/digest-manage unsubscribe zzzzzz", "/digest subscribe overview", "/ask",
		"/ask who would send troops", "/ask what is the weather on mars"}
	for _, c := range e.Commands() {
		asks = append(asks, "/help "+c.Name)
		asks = append(asks, c.Examples...)
	}
	for i, a := range asks {
		asks[i] = n.String(a)
	}
	return asks
}

// TestEachPlatformNamesOnlyWhatItRegistered compares, on Slack and on
// Discord, with and without a prefix, the help text and every command
// named in any answer with what that platform registers.
func TestEachPlatformNamesOnlyWhatItRegistered(t *testing.T) {
	t.Parallel() // beside the tests that wait
	for _, prefix := range []string{"", "bb-"} {
		names := registered(t, map[string]string{"BRIEFBOT_COMMAND_PREFIX": prefix})
		e := servedEngine(t, prefix)
		for _, platform := range []string{bot.PlatformSlack, bot.PlatformDiscord} {
			t.Run(platform+"/"+prefix, func(t *testing.T) {
				checkPlatformNames(t, e, platform, names[platform])
			})
		}
	}
}

func checkPlatformNames(t *testing.T, e *bot.Engine, platform string, regs []string) {
	if len(regs) != len(e.Commands()) {
		t.Fatalf("%d registered for %d commands: %v", len(regs), len(e.Commands()), regs)
	}
	// Help names exactly what is registered.
	help := e.Handle(context.Background(), bot.Request{Platform: platform, Text: e.Naming(platform).String("/help")})
	inHelp := slices.Compact(slices.Sorted(slices.Values(mentioned(help))))
	if want := slices.Sorted(slices.Values(regs)); !slices.Equal(inHelp, want) {
		t.Errorf("help names %v;\nregistered %v", inHelp, want)
	}
	// Every answer names only registered commands.
	seen := 0
	req := bot.Request{Platform: platform, UserID: "U1", ChannelID: "C1"}
	for _, text := range askedEverything(e, platform) {
		req.Text = text
		r := e.Handle(context.Background(), req)
		for _, name := range mentioned(r) {
			seen++
			if !slices.Contains(regs, name) {
				t.Errorf("%s: the answer names /%s, which %s does not have (registered: %v)", text, name, platform, regs)
			}
		}
	}
	for _, kind := range []string{bot.DigestOverview, bot.DigestChanges} {
		r, _, err := e.Digest(kind, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range mentioned(e.Naming(platform).Reply(r)) {
			seen++
			if !slices.Contains(regs, name) {
				t.Errorf("%s digest names /%s, which %s does not have", kind, name, platform)
			}
		}
	}
	if seen < 50 {
		t.Errorf("only %d commands named in all the answers: the sweep misses them", seen)
	}
}

// TestPrefixEndToEnd: one prefix in the environment reaches the manifest,
// the registration and the CLI's answers; a bad one is refused.
func TestPrefixEndToEnd(t *testing.T) {
	vars := map[string]string{"BRIEFBOT_COMMAND_PREFIX": "bb-"}
	names := registered(t, vars)
	for platform, want := range map[string]string{bot.PlatformSlack: "bb-whois", bot.PlatformDiscord: "bb-who"} {
		if !slices.Contains(names[platform], want) {
			t.Errorf("%s registers %v, want %s", platform, names[platform], want)
		}
		for _, n := range names[platform] {
			if !strings.HasPrefix(n, "bb-") {
				t.Errorf("%s registers %s without the prefix", platform, n)
			}
		}
	}
	for _, typed := range []string{"/bb-stance poland", "/stance poland"} {
		code, out, errOut := runCLIEnv(vars, "ask", typed)
		if code != exitOK || !strings.Contains(out, "Poland") {
			t.Errorf("ask %q: exit %d %s", typed, code, errOut)
		}
	}
	_, out, _ := runCLIEnv(vars, "ask", "/help")
	if !strings.Contains(out, "/bb-stance <actor>") || strings.Contains(out, " /stance") {
		t.Errorf("help with a prefix:\n%s", out)
	}
	code, _, errOut := runCLIEnv(map[string]string{"BRIEFBOT_COMMAND_PREFIX": "BB/"}, "ask", "/help")
	if code != exitBadUsage || !strings.Contains(errOut, "BRIEFBOT_COMMAND_PREFIX") {
		t.Errorf("a bad prefix: exit %d, %s", code, errOut)
	}
}
