// Package config is briefbot's configuration: one struct, loaded from an
// optional YAML file with the environment overriding it, validated once with
// every problem named, and printed with secrets redacted.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is everything briefbot can be told.
type Config struct {
	// Addr is where the HTTP server listens (BRIEFBOT_ADDR).
	Addr string `yaml:"addr"`
	// CorpusDir, when set, replaces the embedded documents (BRIEFBOT_CORPUS_DIR).
	CorpusDir string `yaml:"corpus_dir"`
	// BriefsDir, when set, replaces the embedded briefs (BRIEFBOT_BRIEFS_DIR).
	BriefsDir string `yaml:"briefs_dir"`
	// DataDir holds the embedded store (BRIEFBOT_DATA_DIR).
	DataDir string `yaml:"data_dir"`
	// DatabaseURL selects PostgreSQL instead of the embedded store (DATABASE_URL).
	DatabaseURL Secret `yaml:"database_url"`

	// Dossiers are served beside the first dossier (corpus_dir and
	// briefs_dir, or the embedded one).
	Dossiers Dossiers `yaml:"dossiers"`
	// ConsoleURL is the web console's public address, if it has one
	// (BRIEFBOT_CONSOLE_URL): an answer cut short links its reader view.
	ConsoleURL string `yaml:"console_url"`
	// Limits bound the commands of each user and each channel.
	Limits Limits `yaml:"limits"`
	// Commands name the chat commands on every platform.
	Commands Commands `yaml:"commands"`

	Log     Log     `yaml:"log"`
	Slack   Slack   `yaml:"slack"`
	Discord Discord `yaml:"discord"`
	Digests Digests `yaml:"digests"`

	envProblems []string // environment values that could not be read
	src         source   // where each key was set, for problems
}

// Dossiers names more dossier folders. A dossier folder holds a corpus
// (documents.yaml and docs/) and its briefs in briefs/.
type Dossiers struct {
	// Folders are dossier folders (BRIEFBOT_DOSSIERS, comma-separated).
	Folders []string `yaml:"folders"`
	// Root is a folder whose every subfolder with a documents.yaml is a
	// dossier (BRIEFBOT_DOSSIERS_ROOT).
	Root string `yaml:"root"`
	// Default is the slug of the dossier channels answer from until bound
	// (BRIEFBOT_DEFAULT_DOSSIER); empty means the first.
	Default string `yaml:"default"`
	// Speak is where mentions and direct messages are answered until a
	// workspace chooses with /dossier speak: everywhere (default), bound
	// or off (BRIEFBOT_SPEAK).
	Speak string `yaml:"speak"`
}

// Commands name the chat commands.
type Commands struct {
	// Prefix starts the name of every command on every platform: with
	// "bb-", /stance is /bb-stance in the Slack manifest, the Discord
	// registration, help and answers (BRIEFBOT_COMMAND_PREFIX).
	Prefix string `yaml:"prefix"`
}

// Log configures log/slog.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error (BRIEFBOT_LOG_LEVEL)
	Format string `yaml:"format"` // text or json (BRIEFBOT_LOG_FORMAT)
}

// Limits are token buckets on the commands of each user and of each
// channel on Slack and Discord, kept in each replica's memory.
type Limits struct {
	User    Rate `yaml:"user"`
	Channel Rate `yaml:"channel"`
}

// Rate is one token bucket: per_minute commands a minute on average, at
// most burst at once. per_minute 0 turns it off.
type Rate struct {
	PerMinute float64 `yaml:"per_minute"`
	Burst     int     `yaml:"burst"`
}

// Slack configures the Slack adapter. It is on when any key is set.
type Slack struct {
	SigningSecret Secret `yaml:"signing_secret"` // SLACK_SIGNING_SECRET
	BotToken      Secret `yaml:"bot_token"`      // SLACK_BOT_TOKEN
	AppToken      Secret `yaml:"app_token"`      // SLACK_APP_TOKEN (Socket Mode)
	APIURL        string `yaml:"api_url"`        // SLACK_API_URL
	// Mode is "http" or "socket"; empty means socket when an app token is set.
	Mode string `yaml:"mode"` // SLACK_MODE
	// Managers are the user ids allowed to change digest subscriptions.
	Managers []string `yaml:"managers"` // SLACK_MANAGERS (comma-separated)
	// PostRate bounds digest messages per second across the workspace;
	// 0 means 5 (Slack allows "several hundred per minute").
	PostRate float64 `yaml:"post_rate"` // SLACK_POST_RATE
}

// Discord configures the Discord adapter. It is on when any key is set.
type Discord struct {
	BotToken  Secret `yaml:"bot_token"`  // DISCORD_BOT_TOKEN
	AppID     string `yaml:"app_id"`     // DISCORD_APP_ID
	PublicKey string `yaml:"public_key"` // DISCORD_PUBLIC_KEY
	APIURL    string `yaml:"api_url"`    // DISCORD_API_URL
	// Mode is "gateway" or "http"; empty means gateway when a bot token is
	// set and no public key, http otherwise.
	Mode string `yaml:"mode"` // DISCORD_MODE
	// PostRate bounds digest requests per second; 0 means 5 (Discord
	// allows 50 per second per bot, for everything it does).
	PostRate float64 `yaml:"post_rate"` // DISCORD_POST_RATE
	// Shards is the number of gateway shards, the same on every replica;
	// 0 or 1 means one connection.
	Shards int `yaml:"shards"` // DISCORD_SHARDS
	// ShardRound is how often a replica takes free gateway shards up to
	// its share and hands over one beyond it; 0 means 5s.
	ShardRound Duration `yaml:"shard_round"` // DISCORD_SHARD_ROUND
}

// Digests configures scheduled digests.
type Digests struct {
	// Grace is how old a missed slot may be and still be posted after downtime.
	Grace     Duration   `yaml:"grace"`
	Schedules []Schedule `yaml:"schedules"`
}

// Schedule is one configured digest.
type Schedule struct {
	Name    string   `yaml:"name"`
	Cron    string   `yaml:"cron"`
	Zone    string   `yaml:"zone"`
	Kind    string   `yaml:"kind"`
	Targets []string `yaml:"targets"`
	// Dossier is the slug of the dossier the digest is made from (empty:
	// the default).
	Dossier string `yaml:"dossier"`
	// SkipUnchanged skips a "changes" digest when nothing changed.
	SkipUnchanged bool `yaml:"skip_unchanged"`
}

// Duration reads "90m", "1h" in YAML.
type Duration struct{ time.Duration }

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration like 30m or 1h", n.Line, n.Value)
	}
	d.Duration = v
	return nil
}

// MarshalYAML prints the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// Defaults returns the configuration used when nothing is set.
func Defaults() Config {
	return Config{
		Addr:    "127.0.0.1:8080",
		DataDir: defaultDataDir(),
		Log:     Log{Level: "info", Format: "text"},
		Limits:  Limits{User: Rate{PerMinute: 20, Burst: 10}, Channel: Rate{}},
		Digests: Digests{Grace: Duration{time.Hour}},
	}
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return d + "/briefbot"
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return h + "/.local/state/briefbot"
	}
	return "briefbot-data"
}

// maxFileSize bounds the config file.
const maxFileSize = 1 << 20

// Load reads the optional file at path (empty: none), applies the
// environment through getenv, and validates the result. The error is
// Problems: every problem, each where it was set (file:line, or the
// environment variable).
func Load(path string, getenv func(string) string) (*Config, error) {
	return load(path, getenv, true)
}

// LoadCore reads like Load but leaves the Slack and Discord sections
// unchecked, for subcommands that talk to neither platform, or that check
// the few keys they use themselves.
func LoadCore(path string, getenv func(string) string) (*Config, error) {
	return load(path, getenv, false)
}

func load(path string, getenv func(string) string, platforms bool) (*Config, error) {
	cfg := Defaults()
	if path != "" {
		if err := cfg.readFile(path); err != nil {
			return nil, err
		}
	}
	cfg.applyEnv(getenv)
	cfg.noteEnv(getenv)
	if err := cfg.validate(platforms); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func (c *Config) readFile(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Problems{{Where: path, Msg: "cannot read the configuration: " + errors.Unwrap(err).Error()}}
	}
	if len(raw) > maxFileSize {
		return Problems{{Where: path, Msg: fmt.Sprintf("larger than %d bytes", maxFileSize)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fileProblems(path, err)
	}
	c.noteLines(path, raw)
	return nil
}

func (c *Config) applyEnv(getenv func(string) string) {
	set := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	set(&c.Addr, "BRIEFBOT_ADDR")
	set(&c.CorpusDir, "BRIEFBOT_CORPUS_DIR")
	set(&c.BriefsDir, "BRIEFBOT_BRIEFS_DIR")
	set(&c.DataDir, "BRIEFBOT_DATA_DIR")
	if v := getenv("BRIEFBOT_DOSSIERS"); v != "" {
		c.Dossiers.Folders = splitList(v)
	}
	set(&c.Dossiers.Root, "BRIEFBOT_DOSSIERS_ROOT")
	set(&c.Dossiers.Default, "BRIEFBOT_DEFAULT_DOSSIER")
	set(&c.Dossiers.Speak, "BRIEFBOT_SPEAK")
	set((*string)(&c.DatabaseURL), "DATABASE_URL")
	set(&c.ConsoleURL, "BRIEFBOT_CONSOLE_URL")
	set(&c.Commands.Prefix, "BRIEFBOT_COMMAND_PREFIX")
	set(&c.Log.Level, "BRIEFBOT_LOG_LEVEL")
	set(&c.Log.Format, "BRIEFBOT_LOG_FORMAT")
	set((*string)(&c.Slack.SigningSecret), "SLACK_SIGNING_SECRET")
	set((*string)(&c.Slack.BotToken), "SLACK_BOT_TOKEN")
	set((*string)(&c.Slack.AppToken), "SLACK_APP_TOKEN")
	set(&c.Slack.APIURL, "SLACK_API_URL")
	set(&c.Slack.Mode, "SLACK_MODE")
	if v := getenv("SLACK_MANAGERS"); v != "" {
		c.Slack.Managers = splitList(v)
	}
	set((*string)(&c.Discord.BotToken), "DISCORD_BOT_TOKEN")
	set(&c.Discord.AppID, "DISCORD_APP_ID")
	set(&c.Discord.PublicKey, "DISCORD_PUBLIC_KEY")
	set(&c.Discord.APIURL, "DISCORD_API_URL")
	set(&c.Discord.Mode, "DISCORD_MODE")
	c.envLimit(&c.Limits.User, getenv, "BRIEFBOT_LIMIT_USER")
	c.envLimit(&c.Limits.Channel, getenv, "BRIEFBOT_LIMIT_CHANNEL")
	c.envRate(&c.Slack.PostRate, getenv, "SLACK_POST_RATE")
	c.envRate(&c.Discord.PostRate, getenv, "DISCORD_POST_RATE")
	if v := getenv("DISCORD_SHARDS"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			c.envProblems = append(c.envProblems, fmt.Sprintf("DISCORD_SHARDS %q is not a whole number", v))
		}
		c.Discord.Shards = n
	}
	if v := getenv("DISCORD_SHARD_ROUND"); v != "" {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			c.envProblems = append(c.envProblems, fmt.Sprintf("DISCORD_SHARD_ROUND %q is not a duration like 5s", v))
		}
		c.Discord.ShardRound = Duration{d}
	}
}

// envRate reads a rate from the environment; a value that is not a number
// is kept as a problem for Validate to name.
func (c *Config) envRate(dst *float64, getenv func(string) string, key string) {
	v := getenv(key)
	if v == "" {
		return
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		c.envProblems = append(c.envProblems, fmt.Sprintf("%s %q is not a number", key, v))
		return
	}
	*dst = f
}

// envLimit reads a limit from the environment as PER_MINUTE/BURST
// ("20/10"), or "0" for off; anything else is kept as a problem.
func (c *Config) envLimit(dst *Rate, getenv func(string) string, key string) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return
	}
	if v == "0" {
		*dst = Rate{}
		return
	}
	rate, burst, ok := strings.Cut(v, "/")
	r, err1 := strconv.ParseFloat(strings.TrimSpace(rate), 64)
	b, err2 := strconv.Atoi(strings.TrimSpace(burst))
	if !ok || err1 != nil || err2 != nil {
		c.envProblems = append(c.envProblems, fmt.Sprintf("%s %q: want PER_MINUTE/BURST, e.g. 20/10, or 0 for off", key, v))
		return
	}
	*dst = Rate{PerMinute: r, Burst: b}
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// String prints the configuration as YAML with secrets redacted.
func (c Config) String() string {
	out, err := yaml.Marshal(c)
	if err != nil {
		return "config: " + err.Error()
	}
	return string(out)
}
