package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Secret is a value never printed: String, YAML and JSON show it redacted.
type Secret string

const redacted = "[redacted]"

// String redacts a set secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// Value returns the secret itself, for the code that must use it.
func (s Secret) Value() string { return string(s) }

// MarshalYAML redacts.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// MarshalJSON redacts.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// SlackEnabled reports whether any Slack key is set.
func (c *Config) SlackEnabled() bool {
	s := c.Slack
	return s.SigningSecret != "" || s.BotToken != "" || s.AppToken != "" || s.Mode != ""
}

// SlackMode is "socket" or "http".
func (c *Config) SlackMode() string {
	if c.Slack.Mode != "" {
		return c.Slack.Mode
	}
	if c.Slack.AppToken != "" {
		return "socket"
	}
	return "http"
}

// DiscordEnabled reports whether any Discord key is set.
func (c *Config) DiscordEnabled() bool {
	d := c.Discord
	return d.BotToken != "" || d.AppID != "" || d.PublicKey != "" || d.Mode != ""
}

// DiscordMode is "gateway" or "http".
func (c *Config) DiscordMode() string {
	if c.Discord.Mode != "" {
		return c.Discord.Mode
	}
	if c.Discord.PublicKey != "" {
		return "http"
	}
	return "gateway"
}

// Validate checks everything at once and names every problem.
func (c *Config) Validate() error { return c.validate(true) }

// validate checks the configuration; without platforms it leaves the Slack
// and Discord sections unchecked.
func (c *Config) validate(platforms bool) error {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		add("addr (BRIEFBOT_ADDR) %q is not host:port", c.Addr)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		add("log.level (BRIEFBOT_LOG_LEVEL) %q: want debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		add("log.format (BRIEFBOT_LOG_FORMAT) %q: want text or json", c.Log.Format)
	}
	if c.DataDir == "" && c.DatabaseURL == "" {
		add("data_dir (BRIEFBOT_DATA_DIR) is empty")
	}
	if u := c.DatabaseURL.Value(); u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		add("database_url (DATABASE_URL) must start with postgres:// or postgresql://")
	}
	if c.Digests.Grace.Duration < 0 {
		add("digests.grace must not be negative")
	}
	if err := checkURL(c.ConsoleURL); err != "" {
		add("console_url (BRIEFBOT_CONSOLE_URL) %s", err)
	}
	errs = append(errs, checkLimit("limits.user", "BRIEFBOT_LIMIT_USER", c.Limits.User)...)
	errs = append(errs, checkLimit("limits.channel", "BRIEFBOT_LIMIT_CHANNEL", c.Limits.Channel)...)
	if msg := checkPrefix(c.Commands.Prefix); msg != "" {
		add("commands.prefix (BRIEFBOT_COMMAND_PREFIX) %q %s", c.Commands.Prefix, msg)
	}
	errs = append(errs, c.envProblems...)
	if platforms {
		errs = append(errs, c.validateSlack()...)
		errs = append(errs, c.validateDiscord()...)
	}
	if len(errs) == 0 {
		return nil
	}
	ps := make(Problems, len(errs))
	for i, e := range errs {
		ps[i] = c.locate(e)
	}
	return ps
}

func (c *Config) validateSlack() []string {
	if !c.SlackEnabled() {
		return nil
	}
	var errs []string
	s := c.Slack
	switch c.SlackMode() {
	case "http":
		if s.SigningSecret == "" {
			errs = append(errs, "slack in http mode needs slack.signing_secret (SLACK_SIGNING_SECRET)")
		}
	case "socket":
		if s.AppToken == "" {
			errs = append(errs, "slack in socket mode needs slack.app_token (SLACK_APP_TOKEN)")
		} else if !strings.HasPrefix(s.AppToken.Value(), "xapp-") {
			errs = append(errs, "slack.app_token (SLACK_APP_TOKEN) must be an app-level token starting with xapp-")
		}
		if s.BotToken == "" {
			errs = append(errs, "slack in socket mode needs slack.bot_token (SLACK_BOT_TOKEN)")
		}
	default:
		errs = append(errs, fmt.Sprintf("slack.mode (SLACK_MODE) %q: want http or socket", s.Mode))
	}
	if s.BotToken != "" && !strings.HasPrefix(s.BotToken.Value(), "xoxb-") {
		errs = append(errs, "slack.bot_token (SLACK_BOT_TOKEN) must be a bot token starting with xoxb-")
	}
	if err := checkURL(s.APIURL); err != "" {
		errs = append(errs, "slack.api_url (SLACK_API_URL) "+err)
	}
	if err := checkRate(s.PostRate, MaxSlackPostRate); err != "" {
		errs = append(errs, "slack.post_rate (SLACK_POST_RATE) "+err)
	}
	return errs
}

// Upper bounds of the posting rates, per second: Slack's documented
// workspace limit is "several hundred per minute"; Discord's is 50 requests
// per second per bot for everything, answers included.
const (
	MaxSlackPostRate   = 20
	MaxDiscordPostRate = 25
)

// MaxDiscordShards bounds discord.shards; Discord asks for one shard per
// 1,000 to 2,500 servers.
const MaxDiscordShards = 4096

// MinDiscordShardRound and MaxDiscordShardRound bound
// discord.shard_round: each round asks PostgreSQL for the replicas up and
// tries a lock per free shard the replica could take.
const (
	MinDiscordShardRound = 100 * time.Millisecond
	MaxDiscordShardRound = time.Minute
)

func checkRate(r, most float64) string {
	if r < 0 || r > most {
		return fmt.Sprintf("%g: want a number of messages per second from 0 (the default) to %g", r, most)
	}
	return ""
}

func (c *Config) validateDiscord() []string {
	if !c.DiscordEnabled() {
		return nil
	}
	var errs []string
	d := c.Discord
	if d.AppID == "" {
		errs = append(errs, "discord needs discord.app_id (DISCORD_APP_ID)")
	}
	switch c.DiscordMode() {
	case "gateway":
		if d.BotToken == "" {
			errs = append(errs, "discord in gateway mode needs discord.bot_token (DISCORD_BOT_TOKEN)")
		}
	case "http":
		if d.PublicKey == "" {
			errs = append(errs, "discord in http mode needs discord.public_key (DISCORD_PUBLIC_KEY)")
		} else if len(d.PublicKey) != 64 || strings.Trim(strings.ToLower(d.PublicKey), "0123456789abcdef") != "" {
			errs = append(errs, "discord.public_key (DISCORD_PUBLIC_KEY) must be 64 hex characters")
		}
	default:
		errs = append(errs, fmt.Sprintf("discord.mode (DISCORD_MODE) %q: want gateway or http", d.Mode))
	}
	if err := checkURL(d.APIURL); err != "" {
		errs = append(errs, "discord.api_url (DISCORD_API_URL) "+err)
	}
	if err := checkRate(d.PostRate, MaxDiscordPostRate); err != "" {
		errs = append(errs, "discord.post_rate (DISCORD_POST_RATE) "+err)
	}
	switch {
	case d.Shards < 0 || d.Shards > MaxDiscordShards:
		errs = append(errs, fmt.Sprintf("discord.shards (DISCORD_SHARDS) %d: want 0 (one connection) to %d", d.Shards, MaxDiscordShards))
	case d.Shards > 1 && c.DiscordMode() != "gateway":
		errs = append(errs, "discord.shards (DISCORD_SHARDS) applies to gateway mode only")
	}
	switch r := d.ShardRound.Duration; {
	case r != 0 && (r < MinDiscordShardRound || r > MaxDiscordShardRound):
		errs = append(errs, fmt.Sprintf("discord.shard_round (DISCORD_SHARD_ROUND) %s: want 0 (5s) or %s to %s", r, MinDiscordShardRound, MaxDiscordShardRound))
	case r != 0 && c.DiscordMode() != "gateway":
		errs = append(errs, "discord.shard_round (DISCORD_SHARD_ROUND) applies to gateway mode only")
	}
	return errs
}

// MaxCommandPrefix bounds the command prefix: Slack allows 32 characters
// in a command with its slash, Discord 32 without, and the longest
// command name has 13; the adapters check every name in full.
const MaxCommandPrefix = 16

// checkPrefix says what is wrong with a command prefix: it may hold what
// both Slack and Discord accept in a command name, lower-case a-z, 0-9,
// - and _, and starts with a letter or digit. Empty means no prefix.
func checkPrefix(p string) string {
	if n := len([]rune(p)); n > MaxCommandPrefix {
		return fmt.Sprintf("is %d characters; the most is %d", n, MaxCommandPrefix)
	}
	for i, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '-' || r == '_') && i > 0:
		case r >= 'A' && r <= 'Z':
			return "has upper case: command names are lower case"
		default:
			return "may hold only a-z, 0-9, - and _, and must start with a letter or digit"
		}
	}
	return ""
}

func checkURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q is not an http(s) URL", raw)
	}
	return ""
}

// Bounds of a command limit: past them a limit protects nothing.
const (
	MaxLimitPerMinute = 6000
	MaxLimitBurst     = 1000
)

func checkLimit(key, env string, r Rate) []string {
	var errs []string
	if r.PerMinute < 0 || r.PerMinute > MaxLimitPerMinute {
		errs = append(errs, fmt.Sprintf("%s.per_minute (%s) %g: want 0 (off) to %d commands a minute", key, env, r.PerMinute, MaxLimitPerMinute))
	}
	if r.PerMinute > 0 && (r.Burst < 1 || r.Burst > MaxLimitBurst) {
		errs = append(errs, fmt.Sprintf("%s.burst (%s) %d: want 1 to %d commands at once", key, env, r.Burst, MaxLimitBurst))
	}
	return errs
}
