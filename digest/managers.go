package digest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// ManagerStore keeps the managers of each channel named from chat, beside
// the global list of the platform's configuration; *store.DB is one.
type ManagerStore interface {
	AddManager(ctx context.Context, platform, channel, user, by string, now time.Time) (bool, error)
	RemoveManager(ctx context.Context, platform, channel, user string) (bool, error)
	Managers(ctx context.Context, platform, channel string) ([]string, error)
}

// maxManagersPerChannel bounds the managers one channel may name.
const maxManagersPerChannel = 50

// mayManage says whether req may change t's digests and managers: the
// adapter says so (Discord: the channel's permissions; Slack: the global
// list), or, on Slack, the user is one of the channel's own managers.
// When not, it returns the refusal, which says who can grant the right.
func (s *command) mayManage(ctx context.Context, req bot.Request, t Target) (bool, *bot.Reply) {
	if req.CanManage {
		return true, nil
	}
	var own []string
	if s.managers != nil && req.Platform == bot.PlatformSlack {
		var err error
		if own, err = s.managers.Managers(ctx, t.Platform, t.Channel); err != nil {
			return false, s.storeError(err)
		}
		if slices.Contains(own, req.UserID) {
			return true, nil
		}
	}
	return false, s.denied(req, own)
}

// managersCmd is /digest managers (who manages the channel) and
// /digest-manage managers add|remove <user>.
func (s *command) managersCmd(ctx context.Context, req bot.Request, args string) *bot.Reply {
	t, ok := requestTarget(req)
	if !ok {
		return message(bot.OutcomeUsage, "Managers are per channel", "Run /digest managers in the channel whose managers you want to see or change.")
	}
	if req.Platform != bot.PlatformSlack {
		return message(bot.OutcomeOK, "Who manages this channel's digests", "Here, that follows the channel's permissions: members with Manage Channels (or Administrator) may subscribe and unsubscribe. "+
			"The server's owner or an administrator grants it in the channel's settings, under Permissions.")
	}
	if s.managers == nil {
		return message(bot.OutcomeError, "Channel managers are not available", "This bot runs without a store for channel managers; only its global managers may change digests.")
	}
	verb, who, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(verb) {
	case "", "list":
		return s.listManagers(ctx, t)
	case "add", "remove":
	default:
		return manageUsage("Unknown managers action.")
	}
	user, ok := slackUser(who)
	if !ok {
		r := manageMessage(bot.OutcomeUsage, "Whom?", "")
		r.Intro = bot.Text{{Text: "I could not tell who “"}, {Text: echoArg(who), User: true},
			{Text: "” is. Mention them (/digest-manage managers " + strings.ToLower(verb) + " @name) or give their member id, e.g. U0123ABCD (their profile → ⋮ → Copy member ID)."}}
		return r
	}
	if ok, refusal := s.mayManage(ctx, req, t); !ok {
		return refusal
	}
	if strings.EqualFold(verb, "add") {
		return s.addManager(ctx, req, t, user)
	}
	return s.removeManager(ctx, req, t, user)
}

func (s *command) listManagers(ctx context.Context, t Target) *bot.Reply {
	own, err := s.managers.Managers(ctx, t.Platform, t.Channel)
	if err != nil {
		return s.storeError(err)
	}
	text := "This channel has no managers of its own; the bot's global managers (SLACK_MANAGERS) may change its digests. They can name some with /digest-manage managers add @name."
	if len(own) > 0 {
		text = "Managers of this channel: " + mentions(own) + ". They, and the bot's global managers (SLACK_MANAGERS), may change its digests and its managers."
	}
	return message(bot.OutcomeOK, "Who manages this channel's digests", text)
}

func (s *command) addManager(ctx context.Context, req bot.Request, t Target, user string) *bot.Reply {
	own, err := s.managers.Managers(ctx, t.Platform, t.Channel)
	if err != nil {
		return s.storeError(err)
	}
	if len(own) >= maxManagersPerChannel && !slices.Contains(own, user) {
		return manageMessage(bot.OutcomeUsage, "Too many managers", fmt.Sprintf("This channel has %d managers, the most allowed. Remove one with /digest-manage managers remove @name.", len(own)))
	}
	added, err := s.managers.AddManager(ctx, t.Platform, t.Channel, user, req.UserID, s.clock.Now().UTC())
	if err != nil {
		return s.storeError(err)
	}
	if !added {
		return manageMessage(bot.OutcomeOK, "Already a manager", user+" already manages this channel's digests.")
	}
	s.log.Info("digest: channel manager added", "target", t.String(), "manager", user, "user", req.UserID)
	return manageMessage(bot.OutcomeOK, "Manager added", user+" may now subscribe this channel to digests, unsubscribe it, and add or remove its managers.")
}

func (s *command) removeManager(ctx context.Context, req bot.Request, t Target, user string) *bot.Reply {
	removed, err := s.managers.RemoveManager(ctx, t.Platform, t.Channel, user)
	if err != nil {
		return s.storeError(err)
	}
	if !removed {
		return manageMessage(bot.OutcomeNotFound, "Not a manager here", user+" is not one of this channel's own managers (/digest managers lists them; the global ones are set in SLACK_MANAGERS).")
	}
	s.log.Info("digest: channel manager removed", "target", t.String(), "manager", user, "user", req.UserID)
	return manageMessage(bot.OutcomeOK, "Manager removed", user+" no longer manages this channel's digests.")
}

// slackUser reads a Slack user as a mention (<@U0123|name>, <@U0123>) or
// a member id (U0123ABCD, W0123ABCD).
func slackUser(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s, _, _ = strings.Cut(s[2:len(s)-1], "|")
	}
	if len(s) < 3 || len(s) > 24 || (s[0] != 'U' && s[0] != 'W') {
		return "", false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return "", false
		}
	}
	return s, true
}

// mentions lists member ids. They are shown as typed, not as mentions:
// a refusal or a list should not notify anyone.
func mentions(ids []string) string { return strings.Join(ids, ", ") }

// echoArg shortens what a user typed for quoting it back.
func echoArg(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
