package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// opPerms is what historyReadable asks Discord.
const opPerms = "read the bot's permissions in"

// historyReadable checks that the bot may read the channel's message
// history. Without Read Message History, Discord answers GET channel
// messages with an empty list rather than an error, so a check that found
// no message at all asks before it trusts that: Discord's REST API gives
// the channel's overwrites, the guild's roles and the bot's own roles,
// from which discordgo computes the bot's permissions in the channel.
func (p *Poster) historyReadable(ctx context.Context, channel string) error {
	opts := []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0)}
	me, err := p.botUser(opts)
	if err != nil {
		return classify(opPerms, channel, err)
	}
	perms, err := p.session.UserChannelPermissions(me, channel, opts...)
	if err != nil {
		return classify(opPerms, channel, err)
	}
	if perms&discordgo.PermissionReadMessageHistory == 0 {
		return &PostError{Op: opRead, Channel: channel, permanent: true,
			Reason: "the bot lacks Read Message History here, so Discord shows it no messages and the check before a retry cannot tell; grant it"}
	}
	return nil
}

// botUser returns the bot's user id, asking Discord once.
func (p *Poster) botUser(opts []discordgo.RequestOption) (string, error) {
	p.mu.Lock()
	me := p.me
	p.mu.Unlock()
	if me != "" {
		return me, nil
	}
	u, err := p.session.User("@me", opts...)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.me = u.ID
	p.mu.Unlock()
	return u.ID, nil
}
