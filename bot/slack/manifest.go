package slack

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
)

// Manifest is a Slack app manifest: the parts briefbot sets. Field names
// follow Slack's manifest schema.
type Manifest struct {
	Metadata    manifestMeta     `yaml:"_metadata" json:"_metadata"`
	Display     manifestDisplay  `yaml:"display_information" json:"display_information"`
	Features    manifestFeatures `yaml:"features" json:"features"`
	OAuthConfig manifestOAuth    `yaml:"oauth_config" json:"oauth_config"`
	Settings    manifestSettings `yaml:"settings" json:"settings"`
}

type manifestMeta struct {
	MajorVersion int `yaml:"major_version" json:"major_version"`
	MinorVersion int `yaml:"minor_version" json:"minor_version"`
}

type manifestDisplay struct {
	Name            string `yaml:"name" json:"name"`
	Description     string `yaml:"description" json:"description"`
	BackgroundColor string `yaml:"background_color" json:"background_color"`
}

type manifestFeatures struct {
	BotUser       manifestBotUser `yaml:"bot_user" json:"bot_user"`
	SlashCommands []SlashCommand  `yaml:"slash_commands" json:"slash_commands"`
	AppHome       manifestAppHome `yaml:"app_home" json:"app_home"`
}

// manifestAppHome opens the app's Messages tab, so people can write to it
// directly.
type manifestAppHome struct {
	HomeTabEnabled             bool `yaml:"home_tab_enabled" json:"home_tab_enabled"`
	MessagesTabEnabled         bool `yaml:"messages_tab_enabled" json:"messages_tab_enabled"`
	MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled" json:"messages_tab_read_only_enabled"`
}

type manifestBotUser struct {
	DisplayName  string `yaml:"display_name" json:"display_name"`
	AlwaysOnline bool   `yaml:"always_online" json:"always_online"`
}

// SlashCommand is one slash command of the manifest.
type SlashCommand struct {
	Command      string `yaml:"command" json:"command"`
	URL          string `yaml:"url,omitempty" json:"url,omitempty"`
	Description  string `yaml:"description" json:"description"`
	UsageHint    string `yaml:"usage_hint" json:"usage_hint"`
	ShouldEscape bool   `yaml:"should_escape" json:"should_escape"`
}

type manifestOAuth struct {
	Scopes struct {
		Bot []string `yaml:"bot" json:"bot"`
	} `yaml:"scopes" json:"scopes"`
}

type manifestSettings struct {
	EventSubscriptions   manifestEvents        `yaml:"event_subscriptions" json:"event_subscriptions"`
	Interactivity        manifestInteractivity `yaml:"interactivity" json:"interactivity"`
	OrgDeployEnabled     bool                  `yaml:"org_deploy_enabled" json:"org_deploy_enabled"`
	SocketModeEnabled    bool                  `yaml:"socket_mode_enabled" json:"socket_mode_enabled"`
	TokenRotationEnabled bool                  `yaml:"token_rotation_enabled" json:"token_rotation_enabled"`
}

// manifestEvents subscribes to the events that carry questions: a mention
// of the app in a channel, and a message in the app's direct messages.
type manifestEvents struct {
	RequestURL string   `yaml:"request_url,omitempty" json:"request_url,omitempty"`
	BotEvents  []string `yaml:"bot_events" json:"bot_events"`
}

type manifestInteractivity struct {
	IsEnabled  bool   `yaml:"is_enabled" json:"is_enabled"`
	RequestURL string `yaml:"request_url,omitempty" json:"request_url,omitempty"`
}

// ManifestOptions choose how the app receives requests.
type ManifestOptions struct {
	Name string // app and bot name; default "briefbot"
	// SocketMode selects Socket Mode; otherwise BaseURL is where Slack
	// sends requests, e.g. https://bot.example.org.
	SocketMode bool
	BaseURL    string
}

// Bot scopes: slash commands, posting where invited, posting digests to
// public channels without being invited first, reading a channel's recent
// messages to find a digest whose post had no clear answer, and reading the
// messages that mention the app or are written to it directly.
var botScopes = []string{"commands", "chat:write", "chat:write.public", "channels:history", "app_mentions:read", "im:history"}

// botEvents are the events the app subscribes to.
var botEvents = []string{"app_mention", "message.im"}

// Limits of the manifest schema.
const (
	maxAppName     = 35
	maxDescription = 140
	maxCmdDesc     = 2000
	maxUsageHint   = 1000
	maxCmdName     = 32
)

// BuildManifest generates the manifest from the command table, each
// command under the name names gives it on Slack.
func BuildManifest(names bot.Naming, o ManifestOptions) (*Manifest, error) {
	if o.Name == "" {
		o.Name = "briefbot"
	}
	base, err := checkBase(o)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Metadata: manifestMeta{MajorVersion: 1, MinorVersion: 1}}
	m.Display = manifestDisplay{Name: o.Name, BackgroundColor: "#1d3b53",
		Description: "Curated, sourced briefs in chat. Every answer cites the documents it rests on."}
	m.Features.BotUser = manifestBotUser{DisplayName: o.Name, AlwaysOnline: true}
	for _, c := range names.Commands() {
		sc := SlashCommand{Command: "/" + names.Name(c), Description: c.Summary, UsageHint: UsageHint(c), ShouldEscape: c.Mentions}
		if base != "" {
			sc.URL = base + "/slack/commands"
		}
		m.Features.SlashCommands = append(m.Features.SlashCommands, sc)
	}
	m.Features.AppHome = manifestAppHome{MessagesTabEnabled: true}
	m.OAuthConfig.Scopes.Bot = botScopes
	m.Settings.EventSubscriptions.BotEvents = botEvents
	m.Settings.Interactivity.IsEnabled = true
	m.Settings.SocketModeEnabled = o.SocketMode
	if base != "" {
		m.Settings.Interactivity.RequestURL = base + "/slack/interactivity"
		m.Settings.EventSubscriptions.RequestURL = base + "/slack/events"
	}
	return m, m.validate()
}

func checkBase(o ManifestOptions) (string, error) {
	if o.SocketMode {
		if o.BaseURL != "" {
			return "", errors.New("slack: manifest: choose socket mode or a URL, not both")
		}
		return "", nil
	}
	u, err := url.Parse(o.BaseURL)
	if o.BaseURL == "" || err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" {
		return "", fmt.Errorf("slack: manifest: %q is not an https://host URL (Slack sends requests only over HTTPS)", o.BaseURL)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// UsageHint is what Slack shows while a command is typed: the arguments
// and an example, since Slack offers no argument completion.
func UsageHint(c bot.Command) string {
	args := strings.TrimSpace(strings.TrimPrefix(c.Usage(), "/"+c.Name))
	var ex string
	for _, e := range c.Examples {
		if rest := strings.TrimSpace(strings.TrimPrefix(e, "/"+c.Name)); rest != "" && rest != e {
			ex = rest
			break
		}
	}
	switch {
	case args == "":
		return "(no arguments)"
	case ex == "":
		return args
	default:
		return args + " — e.g. " + ex
	}
}

// validate checks the manifest against the schema's limits.
func (m *Manifest) validate() error {
	var errs []string
	if n := len([]rune(m.Display.Name)); n == 0 || n > maxAppName {
		errs = append(errs, fmt.Sprintf("app name must be 1 to %d characters", maxAppName))
	}
	if len([]rune(m.Display.Description)) > maxDescription {
		errs = append(errs, "description too long")
	}
	errs = append(errs, checkCommands(m.Features.SlashCommands)...)
	if len(errs) > 0 {
		return errors.New("slack: manifest: " + strings.Join(errs, "; "))
	}
	return nil
}

// CheckNames says whether every command, as names gives it on Slack, is a
// name Slack accepts: what serve checks before it starts.
func CheckNames(names bot.Naming) error {
	var cmds []SlashCommand
	for _, c := range names.Commands() {
		cmds = append(cmds, SlashCommand{Command: "/" + names.Name(c), Description: c.Summary, UsageHint: UsageHint(c)})
	}
	if errs := checkCommands(cmds); len(errs) > 0 {
		return errors.New("slack: commands: " + strings.Join(errs, "; "))
	}
	return nil
}

func checkCommands(cmds []SlashCommand) []string {
	var errs []string
	seen := map[string]bool{}
	for _, c := range cmds {
		switch {
		case len(c.Command) > maxCmdName || strings.ContainsAny(c.Command[1:], " /") || strings.ToLower(c.Command) != c.Command:
			errs = append(errs, fmt.Sprintf("command %q: lower case, no spaces, at most %d characters", c.Command, maxCmdName))
		case reserved(c.Command[1:]):
			errs = append(errs, fmt.Sprintf("command %q is one of Slack's own; give its row of the command table a Slack name", c.Command))
		case seen[c.Command]:
			errs = append(errs, fmt.Sprintf("command %q listed twice", c.Command))
		case c.Description == "" || len([]rune(c.Description)) > maxCmdDesc:
			errs = append(errs, fmt.Sprintf("command %q: description must be 1 to %d characters", c.Command, maxCmdDesc))
		case len([]rune(c.UsageHint)) > maxUsageHint:
			errs = append(errs, fmt.Sprintf("command %q: usage hint too long", c.Command))
		}
		seen[c.Command] = true
	}
	return errs
}

// YAML encodes the manifest as YAML, the form Slack's "Create an app from a
// manifest" dialog takes.
func (m *Manifest) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("slack: manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("slack: manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// JSON encodes the manifest as indented JSON.
func (m *Manifest) JSON() ([]byte, error) {
	b, err := marshal(m)
	if err != nil {
		return nil, fmt.Errorf("slack: manifest: %w", err)
	}
	var buf bytes.Buffer
	if err := jsonIndent(&buf, b); err != nil {
		return nil, fmt.Errorf("slack: manifest: %w", err)
	}
	return buf.Bytes(), nil
}
