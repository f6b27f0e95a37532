package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// channelChecks say whether a channel id has its platform's form; the
// adapters know the forms.
var channelChecks = map[string]func(string) bool{
	bot.PlatformSlack:   slack.ValidChannelID,
	bot.PlatformDiscord: discord.ValidChannelID,
	bot.PlatformConsole: regexp.MustCompile(`^[a-z0-9_-]{1,40}$`).MatchString,
}

// scheduleJobs turns the configured schedules into digest jobs, checking
// everything and naming every problem: bad spec, unknown zone, unknown
// kind, a bad target, or a target for a platform that is not configured
// (platforms lists those that are). With no chat platform, a schedule
// without targets posts to the console.
func scheduleJobs(cfg []config.Schedule, platforms map[string]bool, resolve func(string) (string, error), since time.Time) ([]*digest.Job, error) {
	var jobs []*digest.Job
	var errs []error
	names := map[string]bool{}
	for i, s := range cfg {
		j, problems := scheduleJob(s, platforms, resolve, since)
		where := fmt.Sprintf("digests.schedules[%d]", i)
		if s.Name != "" {
			where += " (" + s.Name + ")"
		}
		if names[s.Name] && s.Name != "" {
			problems = append(problems, "name is used by another schedule")
		}
		names[s.Name] = true
		for _, p := range problems {
			errs = append(errs, fmt.Errorf("%s: %s", where, p))
		}
		if len(problems) == 0 {
			jobs = append(jobs, j)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return jobs, nil
}

var scheduleNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

func scheduleJob(s config.Schedule, platforms map[string]bool, resolve func(string) (string, error), since time.Time) (*digest.Job, []string) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !scheduleNameRE.MatchString(s.Name) {
		add("name %q: want letters, digits, '-', '_' or '.', at most 64", s.Name)
	}
	// The problems come in the order of the schedule's keys.
	_, specErr := digest.ParseSpec(s.Cron)
	if specErr != nil {
		add("%v", specErr)
	}
	zone, err := digest.LoadZone(s.Zone)
	if err != nil {
		add("%v", err)
	}
	kind, err := resolve(bot.WithDossier(s.Kind, s.Dossier))
	if err != nil {
		add("kind: %v", err)
	} else if s.SkipUnchanged && !bot.IsChangesDigest(kind) {
		add("skip_unchanged applies to kind changes only, not %q", kind)
	}
	targets, problems := scheduleTargets(s.Targets, platforms, problems)
	if specErr != nil {
		return nil, problems
	}
	j, err := digest.NewJob(digest.Job{ID: "schedule:" + s.Name, Name: s.Name, Spec: s.Cron, Zone: zone, Kind: kind, Targets: targets, Since: since,
		SkipUnchanged: s.SkipUnchanged})
	if err != nil {
		problems = append(problems, err.Error())
	}
	return j, problems
}

func scheduleTargets(raw []string, platforms map[string]bool, problems []string) ([]digest.Target, []string) {
	if len(raw) == 0 {
		if len(platforms) == 0 {
			return []digest.Target{{Platform: bot.PlatformConsole, Channel: "main"}}, problems
		}
		return nil, append(problems, "no targets: list channels such as slack:C0123ABCD or discord:123456789012345678")
	}
	var out []digest.Target
	seen := map[digest.Target]bool{}
	for _, r := range raw {
		t, err := parseTarget(r)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case t.Platform != bot.PlatformConsole && !platforms[t.Platform]:
			problems = append(problems, fmt.Sprintf("target %q: %s is not configured", r, t.Platform))
		case !seen[t]:
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, problems
}

// parseTarget reads a target and checks its channel id with the
// platform's adapter.
func parseTarget(s string) (digest.Target, error) {
	if platform, _, ok := strings.Cut(strings.TrimSpace(s), ":"); ok && channelChecks[platform] == nil {
		return digest.Target{}, fmt.Errorf("target %q: unknown platform %q (want slack, discord or console)", s, platform)
	}
	t, err := digest.ParseTarget(s)
	if err != nil {
		return t, err
	}
	valid, ok := channelChecks[t.Platform]
	switch {
	case !ok:
		return digest.Target{}, fmt.Errorf("target %q: unknown platform %q (want slack, discord or console)", s, t.Platform)
	case !valid(t.Channel):
		return digest.Target{}, fmt.Errorf("target %q: %q is not a %s channel id", s, t.Channel, t.Platform)
	}
	return t, nil
}
