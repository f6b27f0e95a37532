package discord

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Limits of what Discord accepts in autocomplete results.
const (
	maxChoices     = 25
	maxChoiceChars = 100
)

// Hints shown when a command needs Manage Channels.
const (
	manageHint   = "You need the Manage Channels permission in this channel; the server's owner or an administrator grants it in the channel's settings, under Permissions."
	manageHintDM = "Channel settings can only be changed in a server channel, by members with Manage Channels."
)

// manageBits are the permissions that allow changing channel settings.
const manageBits = discordgo.PermissionManageChannels | discordgo.PermissionAdministrator

// answer is what to do for one interaction: the immediate response, and
// work to do once it has been delivered (more messages, or completing a
// deferred response).
type answer struct {
	body  any
	after func(ctx context.Context) error
}

// interactionResponse is a response without data (PONG, deferrals).
type interactionResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data any                               `json:"data,omitempty"`
}

// choicesData always carries a choices list, empty when nothing matches.
type choicesData struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

// interact decides the answer to one decoded interaction. It does no I/O
// itself; the returned after function does.
func (a *Adapter) interact(ctx context.Context, in *discordgo.Interaction) answer {
	switch in.Type {
	case discordgo.InteractionPing:
		return answer{body: interactionResponse{Type: discordgo.InteractionResponsePong}}
	case discordgo.InteractionApplicationCommand:
		if data, ok := in.Data.(discordgo.ApplicationCommandInteractionData); ok {
			return a.command(ctx, in, data)
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		if data, ok := in.Data.(discordgo.ApplicationCommandInteractionData); ok {
			return a.autocomplete(ctx, in, data)
		}
	case discordgo.InteractionMessageComponent:
		if data, ok := in.Data.(discordgo.MessageComponentInteractionData); ok {
			return a.component(ctx, in, data)
		}
	}
	return a.notice("Not supported", "briefbot does not handle this kind of interaction.")
}

// command answers a slash command, ephemeral by default, with a Share in
// channel button when the answer is worth sharing.
func (a *Adapter) command(ctx context.Context, in *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) answer {
	text := a.commandText(data)
	req := a.request(in, text)
	return a.reply(ctx, in, req, func(r *bot.Reply) ([]message, bool) {
		msgs := a.rendered.get(r, text)
		if a.shareable(r, text) {
			last := &msgs[len(msgs)-1]
			var src string
			if r.CitesParagraphs() {
				src = sourcesID(a.shares, text, a.now())
			}
			last.Components = shareButton(shareID(a.shares, text, a.now()), src)
		}
		return msgs, r.Private
	}, true, responseKey(text))
}

// component answers a press of a button: a digest's Sources button, Show
// sources, which answers the presser alone with the cited paragraphs, or
// Share in channel, which runs the same command for the presser and posts
// its answer publicly.
func (a *Adapter) component(ctx context.Context, in *discordgo.Interaction, data discordgo.MessageComponentInteractionData) answer {
	if _, _, ok := parseDigestButtonID(data.CustomID); ok {
		return a.digestSources(ctx, in)
	}
	if text, ok := sourcesText(a.shares, data.CustomID, a.now()); ok {
		req := a.request(in, text)
		req.Sources = true
		return a.reply(ctx, in, req, func(r *bot.Reply) ([]message, bool) { return a.rendered.get(r, text), true }, true, "")
	}
	if strings.HasPrefix(data.CustomID, sourcesPrefix) || strings.HasPrefix(data.CustomID, sourcesKeyMark) {
		return a.notice("This button has expired", "Run the command again, then press Show sources.")
	}
	text, ok := shareText(a.shares, data.CustomID, a.now())
	if !ok {
		return a.notice("This button has expired", "Run the command again to get a fresh answer to share.")
	}
	if a.managed(text) {
		return a.notice("Not shareable", "Answers that change settings cannot be shared.")
	}
	req := a.request(in, text)
	by := req.UserID
	shared := false
	ans := a.reply(ctx, in, req, func(r *bot.Reply) ([]message, bool) {
		msgs := a.rendered.get(r, text)
		if r.Outcome != bot.OutcomeOK {
			return msgs, true
		}
		if isSnowflake(by) {
			msgs[0].Content = "Shared by <@" + by + ">"
		}
		shared = true
		return msgs, false
	}, false, "")
	return a.audited(ans, in, bot.AuditEntry{Action: bot.AuditShare, Channel: in.ChannelID, User: by, Command: text}, &shared)
}

// digestSources answers a press of a digest's Sources button, for the
// presser only, with the documents behind the briefs (/sources).
func (a *Adapter) digestSources(ctx context.Context, in *discordgo.Interaction) answer {
	return a.reply(ctx, in, a.request(in, "/sources"), func(r *bot.Reply) ([]message, bool) {
		return a.rendered.get(r, "/sources"), true
	}, true, "")
}

// defaultDeferAfter is how long a command may take before the response is
// deferred and completed later; Discord allows 3 seconds.
const defaultDeferAfter = 2 * time.Second

// reply runs req and answers with its rendering. If the engine is not done
// within the deferral time, Discord is told to wait and the answer is
// completed when it is ready. With a key (see responseKey), a one-message
// answer is encoded once per reply and key and reused.
func (a *Adapter) reply(ctx context.Context, in *discordgo.Interaction, req bot.Request,
	view func(*bot.Reply) ([]message, bool), deferEphemeral bool, key string) answer {
	r, late := a.run(ctx, req)
	if r != nil {
		if raw, ok := a.responses.get(r, key); ok {
			return answer{body: raw}
		}
		msgs, ephemeral := view(r)
		if len(msgs[0].Files) == 0 {
			ans := answer{body: discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: msgs[0].responseData(ephemeral),
			}}
			if len(msgs) > 1 {
				ans.after = func(ctx context.Context) error { return a.followups(ctx, in, msgs[1:], ephemeral) }
			} else if key != "" {
				ans.body = a.responses.put(r, key, ans.body)
			}
			return ans
		}
		// A picture goes up with the edit that completes a deferred
		// response, the same way over the gateway and over HTTP.
		ready := make(chan *bot.Reply, 1)
		ready <- r
		late = ready
	}
	deferred := interactionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if deferEphemeral {
		deferred.Data = map[string]any{"flags": discordgo.MessageFlagsEphemeral}
	}
	return answer{body: deferred, after: func(ctx context.Context) error {
		var r *bot.Reply
		select {
		case r = <-late:
		case <-ctx.Done():
			return ctx.Err()
		}
		msgs, ephemeral := view(r)
		if err := a.hooks.editOriginal(ctx, in, msgs[0].webhookEdit()); err != nil {
			return err
		}
		return a.followups(ctx, in, msgs[1:], ephemeral)
	}}
}

// run answers req, giving up waiting after the deferral time; the reply
// then arrives on the returned channel.
func (a *Adapter) run(ctx context.Context, req bot.Request) (*bot.Reply, <-chan *bot.Reply) {
	if a.engine.Immediate(req) {
		return a.engine.Handle(context.WithoutCancel(ctx), req), nil
	}
	done := make(chan *bot.Reply, 1)
	go func() { done <- a.engine.Handle(context.WithoutCancel(ctx), req) }()
	t := time.NewTimer(a.deferAfter)
	defer t.Stop()
	select {
	case r := <-done:
		return r, nil
	case <-t.C:
		return nil, done
	}
}

// followups sends the messages after the first, in order.
func (a *Adapter) followups(ctx context.Context, in *discordgo.Interaction, msgs []message, ephemeral bool) error {
	for _, m := range msgs {
		if err := a.hooks.followup(ctx, in, m.webhookParams(ephemeral)); err != nil {
			return err
		}
	}
	return nil
}

// notice is a short ephemeral reply of our own.
func (a *Adapter) notice(title, text string) answer {
	msgs := render(&bot.Reply{Outcome: bot.OutcomeUsage, Title: title, Intro: bot.Plain(text), Private: true})
	return answer{body: discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: msgs[0].responseData(true),
	}}
}

// request builds the engine request: who asked, where, and whether they may
// manage the channel (Manage Channels or Administrator in the member's
// permissions, which Discord computes for the channel).
func (a *Adapter) request(in *discordgo.Interaction, text string) bot.Request {
	req := bot.Request{Platform: bot.PlatformDiscord, ChannelID: in.ChannelID, Text: text, ManageHint: manageHintDM,
		Workspace: in.GuildID, DM: in.GuildID == ""}
	switch {
	case in.Member != nil:
		req.CanManage = in.Member.Permissions&manageBits != 0
		req.ManageHint = manageHint
		if in.Member.User != nil {
			req.UserID = in.Member.User.ID
		}
	case in.User != nil:
		req.UserID = in.User.ID
	}
	return req
}

// commandText rebuilds the command line, "/compare france germany", from
// the options in the order of the command table.
func (a *Adapter) commandText(data discordgo.ApplicationCommandInteractionData) string {
	opts := flatten(nil, data.Options)
	words := []string{"/" + data.Name}
	cmd, ok := a.engine.Command(data.Name)
	if !ok {
		for _, o := range opts {
			words = append(words, o.value)
		}
		return strings.Join(words, " ")
	}
	for _, o := range opts {
		if o.name == bot.DossierArg.Name && o.value != "" && !hasArg(cmd, o.name) {
			words = append(words, "in:"+strings.Join(strings.Fields(o.value), "-"))
		}
	}
	for _, arg := range cmd.Args {
		for _, o := range opts {
			if o.name == arg.Name && o.value != "" {
				words = append(words, o.value)
			}
		}
	}
	return strings.Join(words, " ")
}

// hasArg says whether the command has an argument of that name.
func hasArg(cmd bot.Command, name string) bool {
	return slices.ContainsFunc(cmd.Args, func(a bot.Arg) bool { return a.Name == name })
}

// option is one option as typed: subcommands become words of their own.
type option struct {
	name, value string
	focused     bool
}

func flatten(out []option, opts []*discordgo.ApplicationCommandInteractionDataOption) []option {
	for _, o := range opts {
		if o == nil {
			continue
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			out = append(out, option{name: o.Name, value: o.Name})
			out = flatten(out, o.Options)
		default:
			out = append(out, option{name: o.Name, value: optionValue(o.Value), focused: o.Focused})
		}
	}
	return out
}

func optionValue(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// autocomplete suggests values for the focused option from the engine's
// names and aliases, or from the argument's fixed choices.
func (a *Adapter) autocomplete(ctx context.Context, in *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) answer {
	res := choicesData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}
	cmd, ok := a.engine.Command(data.Name)
	req := a.request(in, "")
	opts := flatten(nil, data.Options)
	for _, o := range opts {
		if o.name == bot.DossierArg.Name && !o.focused && ok && !hasArg(cmd, o.name) {
			req.Dossier = o.value // complete names from the dossier asked
		}
	}
	for _, o := range opts {
		if !ok || !o.focused {
			continue
		}
		args := cmd.Args
		if cmd.Scoped() && !hasArg(cmd, bot.DossierArg.Name) {
			args = append(slices.Clone(args), bot.DossierArg)
		}
		for _, arg := range args {
			if arg.Name == o.name {
				res.Choices = a.suggest(ctx, req, arg, o.value)
			}
		}
		break
	}
	return answer{body: interactionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: res}}
}

func (a *Adapter) suggest(ctx context.Context, req bot.Request, arg bot.Arg, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = truncate(typed, maxChoiceChars)
	var found []bot.Choice
	switch {
	case len(arg.Choices) > 0:
		found = filterChoices(arg.Choices, typed)
	case arg.Kind == bot.ArgCommand && len(a.names.Commands()) > 0:
		found = a.commandChoices(typed)
	default:
		found = a.engine.CompleteIn(ctx, req, arg.Kind, typed, maxChoices)
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(found))
	for _, c := range found {
		if c.Value == "" || size(c.Value) > maxChoiceChars || len(out) == maxChoices {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(c.Name, maxChoiceChars), Value: c.Value})
	}
	return out
}

// commandChoices offers the commands as registered on Discord whose
// registered name starts with what was typed (the prefix may be left off).
func (a *Adapter) commandChoices(typed string) []bot.Choice {
	k := strings.ToLower(strings.TrimLeft(strings.TrimSpace(typed), "/"))
	var out []bot.Choice
	for _, c := range a.names.Commands() {
		name := a.names.Name(c)
		if strings.HasPrefix(name, k) || strings.HasPrefix(strings.TrimPrefix(name, a.names.Prefix()), k) {
			out = append(out, bot.Choice{Name: a.names.Usage(c), Value: name})
		}
	}
	return out
}

func filterChoices(choices []string, typed string) []bot.Choice {
	typed = strings.ToLower(typed)
	var out []bot.Choice
	for _, c := range choices {
		if strings.Contains(strings.ToLower(c), typed) {
			out = append(out, bot.Choice{Name: c, Value: c})
		}
	}
	return out
}

// shareable says whether an answer gets the Share in channel button: a
// successful, private answer to a command that changes nothing.
func (a *Adapter) shareable(r *bot.Reply, text string) bool {
	return r.Outcome == bot.OutcomeOK && r.Private && !r.Settings && !a.managed(text)
}

// managed says whether the command in text changes channel settings.
func (a *Adapter) managed(text string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, ok := a.engine.Command(strings.ToLower(strings.TrimLeft(name, "/")))
	return ok && cmd.Manage
}

// isSnowflake reports whether s looks like a Discord id.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
