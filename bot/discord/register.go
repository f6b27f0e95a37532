package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Limits of application commands.
const (
	maxCommandDescription = 100
	maxOptions            = 25
)

// maxNameRunes is the most characters a Discord command or option name has.
const maxNameRunes = 32

// validName is Discord's rule for command and option names: 1 to 32 lower
// case letters (or letters without case), digits, - and _. A loop, not a
// regular expression: compiled, that one would keep about a megabyte of
// Unicode tables for the life of the process.
func validName(name string) bool {
	n := 0
	for _, r := range name {
		n++
		if n > maxNameRunes || !(r == '-' || r == '_' || unicode.In(r, unicode.Ll, unicode.Lo, unicode.N)) {
			return false
		}
	}
	return n > 0
}

// applicationCommands generates Discord's command definitions from the
// command table: one chat command per row with typed string options.
// Arguments that name actors, options, people, documents or commands get
// autocomplete; fixed choices become Discord choices (autocomplete when
// there are more than 25). Commands marked Manage are limited to members
// with Manage Channels by default and are not offered in DMs. Each is
// registered under the name names gives it on Discord.
func applicationCommands(names bot.Naming) ([]*discordgo.ApplicationCommand, error) {
	table := names.Commands()
	out := make([]*discordgo.ApplicationCommand, 0, len(table))
	var errs []error
	seen := map[string]bool{}
	for _, c := range table {
		ac, err := applicationCommand(c, names.Name(c))
		if err == nil && seen[ac.Name] {
			err = fmt.Errorf("discord: command %q: registered twice", ac.Name)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		seen[ac.Name] = true
		out = append(out, ac)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func applicationCommand(c bot.Command, name string) (*discordgo.ApplicationCommand, error) {
	switch {
	case !validName(name):
		return nil, fmt.Errorf("discord: command %q: not a valid Discord command name (1 to 32 lower-case letters, digits, - or _)", name)
	case builtin(name):
		return nil, fmt.Errorf("discord: command %q is one of Discord's own; give its row of the command table a Discord name", name)
	}
	if len(c.Args) > maxOptions {
		return nil, fmt.Errorf("discord: command %q: %d arguments, Discord allows %d", c.Name, len(c.Args), maxOptions)
	}
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	ac := &discordgo.ApplicationCommand{
		Type:             discordgo.ChatApplicationCommand,
		Name:             name,
		Description:      describe(c.Summary, name),
		IntegrationTypes: &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
	}
	if c.Manage {
		perm := int64(discordgo.PermissionManageChannels)
		ac.DefaultMemberPermissions = &perm
		contexts = contexts[:1]
	}
	ac.Contexts = &contexts
	args := c.Args
	if c.Scoped() && len(args) < maxOptions && !slices.ContainsFunc(args, func(a bot.Arg) bool { return a.Name == bot.DossierArg.Name }) {
		args = append(slices.Clone(args), bot.DossierArg)
	}
	for _, a := range args {
		o, err := commandOption(name, a)
		if err != nil {
			return nil, err
		}
		ac.Options = append(ac.Options, o)
	}
	// Discord wants required options first; values are put back in table
	// order by name when a command arrives.
	slices.SortStableFunc(ac.Options, func(x, y *discordgo.ApplicationCommandOption) int {
		switch {
		case x.Required == y.Required:
			return 0
		case x.Required:
			return -1
		}
		return 1
	})
	return ac, nil
}

func commandOption(cmd string, a bot.Arg) (*discordgo.ApplicationCommandOption, error) {
	if !validName(a.Name) {
		return nil, fmt.Errorf("discord: command %q: argument %q is not a valid Discord option name", cmd, a.Name)
	}
	o := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionString,
		Name:        a.Name,
		Description: describe(a.Description, a.Name),
		Required:    a.Required,
		MaxLength:   maxChoiceChars * 2,
	}
	switch {
	case len(a.Choices) > maxChoices:
		o.Autocomplete = true
	case len(a.Choices) > 0:
		for _, ch := range a.Choices {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(ch, maxChoiceChars), Value: ch})
		}
	case a.Kind != bot.ArgText && a.Kind != "":
		o.Autocomplete = true
	}
	return o, nil
}

// builtin reports whether Discord's client offers name as a command of its
// own; an application command of that name sits beside it in the list,
// and people pick the wrong one.
func builtin(name string) bool {
	switch name {
	case "giphy", "tenor", "tts", "me", "spoiler", "shrug", "tableflip", "unflip",
		"nick", "thread", "kick", "ban", "timeout", "msg":
		return true
	}
	return false
}

// describe returns a description Discord accepts: 1 to 100 characters.
func describe(s, fallback string) string {
	if s == "" {
		s = fallback
	}
	return truncate(s, maxCommandDescription)
}

// CheckNames says whether every command, as names gives it on Discord, can
// be registered: what serve checks before it starts.
func CheckNames(names bot.Naming) error {
	_, err := applicationCommands(names)
	return err
}

// CommandsJSON returns the application commands generated from the table,
// as the JSON body that registration sends.
func CommandsJSON(names bot.Naming) ([]byte, error) {
	cmds, err := applicationCommands(names)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(cmds, "", "  ")
}

// RegisterOptions say where to register commands.
type RegisterOptions struct {
	AppID    string
	BotToken string
	APIURL   string
	// GuildID registers the commands in one server, where they appear at
	// once; empty registers them globally.
	GuildID string
}

// Register replaces the application's commands with those generated from
// the table (bulk overwrite) and returns the names Discord confirmed.
func Register(ctx context.Context, opts RegisterOptions, names bot.Naming) ([]string, error) {
	var missing []string
	if opts.AppID == "" {
		missing = append(missing, "the application id (discord.app_id, DISCORD_APP_ID)")
	}
	if opts.BotToken == "" {
		missing = append(missing, "the bot token (discord.bot_token, DISCORD_BOT_TOKEN)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("discord: register needs %s", strings.Join(missing, " and "))
	}
	cmds, err := applicationCommands(names)
	if err != nil {
		return nil, err
	}
	client, err := newHTTPClient(opts.APIURL, nil)
	if err != nil {
		return nil, err
	}
	s := newSession(opts.BotToken, client)
	got, err := s.ApplicationCommandBulkOverwrite(opts.AppID, opts.GuildID, cmds, discordgo.WithContext(ctx))
	if err != nil {
		return nil, registerError(opts, err)
	}
	confirmed := make([]string, len(got))
	for i, c := range got {
		confirmed[i] = c.Name
	}
	return confirmed, nil
}

func registerError(opts RegisterOptions, err error) error {
	where := "globally"
	if opts.GuildID != "" {
		where = "in guild " + opts.GuildID
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		reason := "refused"
		if re.Message != nil && re.Message.Message != "" {
			reason = fmt.Sprintf("%s (code %d)", re.Message.Message, re.Message.Code)
		}
		return fmt.Errorf("discord: register commands %s: HTTP %d: %s", where, re.Response.StatusCode, reason)
	}
	return fmt.Errorf("discord: register commands %s: %w", where, err)
}
