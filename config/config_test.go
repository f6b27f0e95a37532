package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "briefbot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	cfg, err := config.Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.SlackEnabled() || cfg.DiscordEnabled() || cfg.Digests.Grace.Hours() != 1 {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
}

func TestExampleFileLoads(t *testing.T) {
	if _, err := config.Load("briefbot.example.yaml", env(nil)); err != nil {
		t.Fatalf("the example config does not load: %v", err)
	}
}

func TestEnvOverridesFile(t *testing.T) {
	p := write(t, "addr: 127.0.0.1:9000\nslack:\n  signing_secret: fromfile\n")
	cfg, err := config.Load(p, env(map[string]string{"BRIEFBOT_ADDR": "127.0.0.1:9100", "SLACK_SIGNING_SECRET": "fromenv", "SLACK_MANAGERS": "U1, U2"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9100" || cfg.Slack.SigningSecret.Value() != "fromenv" || len(cfg.Slack.Managers) != 2 {
		t.Errorf("env did not override: %+v", cfg)
	}
}

func TestEveryProblemNamed(t *testing.T) {
	p := write(t, "addr: nowhere\nlog: {level: loud, format: xml}\ndiscord: {mode: http}\nslack: {mode: socket, bot_token: nope}\ndigests: {grace: -1h}\n")
	_, err := config.Load(p, env(nil))
	if err == nil {
		t.Fatal("broken config accepted")
	}
	for _, want := range []string{"addr (BRIEFBOT_ADDR)", "log.level", "log.format", "discord needs discord.app_id (DISCORD_APP_ID)",
		"discord.public_key (DISCORD_PUBLIC_KEY)", "slack.app_token (SLACK_APP_TOKEN)", "xoxb-", "digests.grace"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestProblemsLocated: each problem is on its own line, at the line of the
// file that set the key, or naming the environment variable that did.
func TestProblemsLocated(t *testing.T) {
	p := write(t, "addr: nowhere\nlog:\n  level: loud\n  format: text\nslack:\n  mode: socket\n  bot_token: xoxb-1\n  app_token: xapp-1\ndiscord:\n  bot_token: t\n")
	_, err := config.Load(p, env(map[string]string{"DISCORD_POST_RATE": "fast", "SLACK_MODE": "carrier-pigeon"}))
	if err == nil {
		t.Fatal("broken config accepted")
	}
	got := strings.Split(err.Error(), "\n")
	for _, want := range []string{
		p + ":1: addr (BRIEFBOT_ADDR) \"nowhere\" is not host:port",
		p + ":3: log.level (BRIEFBOT_LOG_LEVEL) \"loud\": want debug, info, warn or error",
		"environment variable DISCORD_POST_RATE: DISCORD_POST_RATE \"fast\" is not a number",
		"environment variable SLACK_MODE: slack.mode (SLACK_MODE) \"carrier-pigeon\": want http or socket",
		p + ":9: discord needs discord.app_id (DISCORD_APP_ID)",
	} {
		found := false
		for _, line := range got {
			found = found || line == want
		}
		if !found {
			t.Errorf("no line %q in:\n%v", want, err)
		}
	}
	_, err = config.Load("", env(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}))
	if err == nil || err.Error() != "environment variable SLACK_BOT_TOKEN: slack in http mode needs slack.signing_secret (SLACK_SIGNING_SECRET)" {
		t.Errorf("a section turned on by the environment: %v", err)
	}
	if ps := config.AsProblems(err); len(ps) != 1 {
		t.Errorf("%d problems for %d lines", len(ps), len(got))
	}
	_, err = config.Load(write(t, "addr: 127.0.0.1:1\nlogg: {}\nslack:\n  signing_secrett: x\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), ":2: field logg not found") || !strings.Contains(err.Error(), ":4: field signing_secrett not found") {
		t.Errorf("unknown keys: %v", err)
	}
}

func TestPostRates(t *testing.T) {
	base := map[string]string{"SLACK_SIGNING_SECRET": "s", "DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cfg, err := config.Load(write(t, "slack: {post_rate: 12}\ndiscord: {post_rate: 2.5}\n"), env(with("SLACK_POST_RATE", "8")))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Slack.PostRate != 8 || cfg.Discord.PostRate != 2.5 {
		t.Errorf("rates %v and %v; want 8 from the environment and 2.5 from the file", cfg.Slack.PostRate, cfg.Discord.PostRate)
	}
	_, err = config.Load(write(t, "slack: {post_rate: 500}\n"), env(with("DISCORD_POST_RATE", "fast")))
	if err == nil {
		t.Fatal("bad rates accepted")
	}
	for _, want := range []string{`DISCORD_POST_RATE "fast" is not a number`, "slack.post_rate (SLACK_POST_RATE) 500: want a number of messages per second from 0 (the default) to 20"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := config.Load("", env(with("DISCORD_POST_RATE", "-1"))); err == nil || !strings.Contains(err.Error(), "discord.post_rate") {
		t.Errorf("a negative rate: %v", err)
	}
}

func TestUnknownKeyNamed(t *testing.T) {
	p := write(t, "addr: 127.0.0.1:8080\nslack:\n  signing_secrett: x\n")
	_, err := config.Load(p, env(nil))
	if err == nil || !strings.Contains(err.Error(), "signing_secrett") {
		t.Fatalf("unknown key not named: %v", err)
	}
}

func TestBrokenFiles(t *testing.T) {
	for name, body := range map[string]string{"not yaml": "addr: [", "wrong type": "addr: {a: b}", "bad duration": "digests: {grace: soon}"} {
		if _, err := config.Load(write(t, body), env(nil)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml"), env(nil)); err == nil {
		t.Error("missing file accepted")
	}
	if _, err := config.Load(write(t, ""), env(nil)); err != nil {
		t.Errorf("an empty file is no settings, got %v", err)
	}
}

func TestSecretsRedacted(t *testing.T) {
	cfg, err := config.Load("", env(map[string]string{"SLACK_SIGNING_SECRET": "s3cret-signing", "SLACK_BOT_TOKEN": "xoxb-s3cret", "DATABASE_URL": "postgres://u:pw-s3cret@h/db", "DISCORD_BOT_TOKEN": "d1sc0rd-s3cret", "DISCORD_APP_ID": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	out := cfg.String()
	if strings.Contains(out, "s3cret") {
		t.Errorf("secret printed:\n%s", out)
	}
	if !strings.Contains(out, "[redacted]") {
		t.Errorf("no redaction marker:\n%s", out)
	}
}

func TestLimitsAndConsoleURL(t *testing.T) {
	cfg, err := config.Load(write(t, "limits: {user: {per_minute: 5, burst: 2}, channel: {per_minute: 0}}\n"),
		env(map[string]string{"BRIEFBOT_CONSOLE_URL": "https://briefs.example.org"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Limits.User != (config.Rate{PerMinute: 5, Burst: 2}) || cfg.Limits.Channel.PerMinute != 0 || cfg.ConsoleURL != "https://briefs.example.org" {
		t.Errorf("limits %+v, console_url %q", cfg.Limits, cfg.ConsoleURL)
	}
	def, _ := config.Load("", env(nil))
	if def.Limits.User.PerMinute != 20 || def.Limits.User.Burst != 10 || def.Limits.Channel.PerMinute != 0 {
		t.Errorf("default limits %+v", def.Limits)
	}
	_, err = config.Load(write(t, "console_url: ftp://x\nlimits: {user: {per_minute: -1, burst: 3}, channel: {per_minute: 10, burst: 0}}\n"), env(nil))
	if err == nil {
		t.Fatal("bad limits accepted")
	}
	for _, want := range []string{"console_url (BRIEFBOT_CONSOLE_URL)", "limits.user.per_minute (BRIEFBOT_LIMIT_USER) -1", "limits.channel.burst (BRIEFBOT_LIMIT_CHANNEL) 0: want 1 to 1000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	cfg, err = config.Load("", env(map[string]string{"BRIEFBOT_LIMIT_USER": "30/5", "BRIEFBOT_LIMIT_CHANNEL": "0"}))
	if err != nil || cfg.Limits.User != (config.Rate{PerMinute: 30, Burst: 5}) || cfg.Limits.Channel != (config.Rate{}) {
		t.Errorf("limits from the environment: %+v, %v", cfg, err)
	}
	if _, err := config.Load("", env(map[string]string{"BRIEFBOT_LIMIT_USER": "fast"})); err == nil || !strings.Contains(err.Error(), `BRIEFBOT_LIMIT_USER "fast": want PER_MINUTE/BURST`) {
		t.Errorf("a bad limit in the environment: %v", err)
	}
}

func TestCommandPrefix(t *testing.T) {
	cfg, err := config.Load(write(t, "commands:\n  prefix: bb-\n"), env(nil))
	if err != nil || cfg.Commands.Prefix != "bb-" {
		t.Fatalf("prefix from the file: %v %+v", err, cfg)
	}
	cfg, err = config.Load(write(t, "commands:\n  prefix: bb-\n"), env(map[string]string{"BRIEFBOT_COMMAND_PREFIX": "team_"}))
	if err != nil || cfg.Commands.Prefix != "team_" {
		t.Fatalf("the environment overrides the file: %v %+v", err, cfg)
	}
	p := write(t, "addr: 127.0.0.1:1\ncommands:\n  prefix: bb/\n")
	for _, tc := range []struct {
		path, env, want string
	}{
		{p, "", p + ":3: commands.prefix (BRIEFBOT_COMMAND_PREFIX) \"bb/\" may hold only a-z, 0-9, - and _"},
		{"", "BB-", "environment variable BRIEFBOT_COMMAND_PREFIX: commands.prefix (BRIEFBOT_COMMAND_PREFIX) \"BB-\" has upper case"},
		{"", "-bb", "must start with a letter or digit"},
		{"", "équipe-", "may hold only a-z"},
		{"", "a-prefix-too-long-", "is 18 characters; the most is 16"},
	} {
		_, err := config.Load(tc.path, env(map[string]string{"BRIEFBOT_COMMAND_PREFIX": tc.env}))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: %v, want %s", tc.path, tc.env, err, tc.want)
		}
	}
}

// TestDiscordShards: the shard count and the shards' round are read from
// the file or the environment, and a bad one is named.
func TestDiscordShards(t *testing.T) {
	gateway := map[string]string{"DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for k, v := range gateway {
			m[k] = v
		}
		return m
	}
	cfg, err := config.Load(write(t, "discord: {shards: 4}\n"), env(gateway))
	if err != nil || cfg.Discord.Shards != 4 {
		t.Fatalf("shards from the file: %v, %v", cfg, err)
	}
	if cfg, err := config.Load("", env(with("DISCORD_SHARDS", "16"))); err != nil || cfg.Discord.Shards != 16 {
		t.Fatalf("shards from the environment: %v", err)
	}
	for v, want := range map[string]string{
		"many": `DISCORD_SHARDS "many" is not a whole number`,
		"-1":   "discord.shards (DISCORD_SHARDS) -1: want 0 (one connection) to 4096",
		"5000": "discord.shards (DISCORD_SHARDS) 5000: want 0 (one connection) to 4096",
	} {
		if _, err := config.Load("", env(with("DISCORD_SHARDS", v))); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DISCORD_SHARDS=%s: %v; want %q", v, err, want)
		}
	}
	httpMode := with("DISCORD_SHARDS", "2")
	httpMode["DISCORD_MODE"], httpMode["DISCORD_PUBLIC_KEY"] = "http", strings.Repeat("ab", 32)
	if _, err := config.Load("", env(httpMode)); err == nil || !strings.Contains(err.Error(), "applies to gateway mode only") {
		t.Errorf("shards in http mode: %v", err)
	}

	cfg, err = config.Load(write(t, "discord: {shard_round: 2s}\n"), env(gateway))
	if err != nil || cfg.Discord.ShardRound.Duration != 2*time.Second {
		t.Fatalf("shard round from the file: %v, %v", cfg, err)
	}
	if cfg, err := config.Load("", env(with("DISCORD_SHARD_ROUND", "250ms"))); err != nil || cfg.Discord.ShardRound.Duration != 250*time.Millisecond {
		t.Fatalf("shard round from the environment: %v", err)
	}
	for v, want := range map[string]string{
		"often": `DISCORD_SHARD_ROUND "often" is not a duration like 5s`,
		"10ms":  "discord.shard_round (DISCORD_SHARD_ROUND) 10ms: want 0 (5s) or 100ms to 1m0s",
		"2m":    "discord.shard_round (DISCORD_SHARD_ROUND) 2m0s: want 0 (5s) or 100ms to 1m0s",
	} {
		if _, err := config.Load("", env(with("DISCORD_SHARD_ROUND", v))); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DISCORD_SHARD_ROUND=%s: %v; want %q", v, err, want)
		}
	}
	httpRound := with("DISCORD_SHARD_ROUND", "1s")
	httpRound["DISCORD_MODE"], httpRound["DISCORD_PUBLIC_KEY"] = "http", strings.Repeat("ab", 32)
	if _, err := config.Load("", env(httpRound)); err == nil || !strings.Contains(err.Error(), "shard_round (DISCORD_SHARD_ROUND) applies to gateway mode only") {
		t.Errorf("shard round in http mode: %v", err)
	}
}
