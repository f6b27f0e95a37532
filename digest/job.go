package digest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/config"
)

// PlatformConsole is the target platform used when no chat platform is
// configured: digests are logged and kept for the web console.
const PlatformConsole = "console"

// Target is one place a digest goes: a platform and a channel there.
type Target struct {
	Platform string
	Channel  string
}

// String is the form used in config and the ledger: "slack:C123".
func (t Target) String() string { return t.Platform + ":" + t.Channel }

var (
	slackChannelRE   = regexp.MustCompile(`^[A-Z0-9]{2,40}$`)
	discordChannelRE = regexp.MustCompile(`^[0-9]{1,20}$`)
	consoleChannelRE = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
)

// ParseTarget reads "slack:C123", "discord:123456" or "console[:name]".
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == PlatformConsole {
		return Target{Platform: PlatformConsole, Channel: "main"}, nil
	}
	platform, channel, ok := strings.Cut(s, ":")
	if !ok {
		return Target{}, fmt.Errorf("target %q: want platform:channel, e.g. slack:C0123ABCD or discord:123456789012345678", s)
	}
	t := Target{Platform: platform, Channel: channel}
	var re *regexp.Regexp
	switch platform {
	case "slack":
		re = slackChannelRE
	case "discord":
		re = discordChannelRE
	case PlatformConsole:
		re = consoleChannelRE
	default:
		return Target{}, fmt.Errorf("target %q: unknown platform %q (want slack, discord or console)", s, platform)
	}
	if !re.MatchString(channel) {
		return Target{}, fmt.Errorf("target %q: %q is not a %s channel id", s, channel, platform)
	}
	return t, nil
}

// Job is one digest schedule: from config, or a subscription made in chat.
type Job struct {
	ID      string // "schedule:<name>" or "sub:<id>"; the ledger key
	Name    string // as shown to people
	Spec    string
	Zone    *time.Location
	Kind    string // canonical kind
	Targets []Target
	// Since is when the job began; no slot before it is ever posted.
	Since time.Time

	sched cron.Schedule
}

// Next returns the job's first slot after t.
func (j *Job) Next(t time.Time) time.Time { return nextSlot(j.sched, j.Zone, t) }

// KindResolver checks a kind and returns its canonical form (bot.Engine's
// DigestKind does this).
type KindResolver func(kind string) (string, error)

// Schedules turns the configured schedules into jobs, checking everything
// and naming every problem: bad spec, unknown zone, unknown kind, a bad
// target, or a target for a platform that is not configured (platforms lists
// those that are). With no chat platform, a schedule without targets posts to
// the console.
func Schedules(cfg []config.Schedule, platforms map[string]bool, resolve KindResolver, since time.Time) ([]*Job, error) {
	var jobs []*Job
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

func scheduleJob(s config.Schedule, platforms map[string]bool, resolve KindResolver, since time.Time) (*Job, []string) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	j := &Job{ID: "schedule:" + s.Name, Name: s.Name, Spec: s.Cron, Since: since}
	if !scheduleNameRE.MatchString(s.Name) {
		add("name %q: want letters, digits, '-', '_' or '.', at most 64", s.Name)
	}
	var err error
	if j.sched, err = ParseSpec(s.Cron); err != nil {
		add("%v", err)
	}
	if j.Zone, err = LoadZone(s.Zone); err != nil {
		add("%v", err)
	}
	if j.Kind, err = resolve(s.Kind); err != nil {
		add("kind: %v", err)
	}
	j.Targets, problems = scheduleTargets(s.Targets, platforms, problems)
	return j, problems
}

func scheduleTargets(raw []string, platforms map[string]bool, problems []string) ([]Target, []string) {
	if len(raw) == 0 {
		if len(platforms) == 0 {
			return []Target{{Platform: PlatformConsole, Channel: "main"}}, problems
		}
		return nil, append(problems, "no targets: list channels such as slack:C0123ABCD or discord:123456789012345678")
	}
	var out []Target
	seen := map[Target]bool{}
	for _, r := range raw {
		t, err := ParseTarget(r)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case t.Platform != PlatformConsole && !platforms[t.Platform]:
			problems = append(problems, fmt.Sprintf("target %q: %s is not configured", r, t.Platform))
		case !seen[t]:
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, problems
}

// LoadZone loads an IANA time zone; empty means UTC. "Local" is refused:
// a schedule must not depend on the host's settings.
func LoadZone(name string) (*time.Location, error) {
	switch name {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, errors.New(`zone "Local": name an IANA zone such as Europe/Kyiv`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("zone %q is not a known IANA time zone (e.g. Europe/Kyiv, America/New_York)", name)
	}
	return loc, nil
}
