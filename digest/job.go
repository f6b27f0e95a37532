package digest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/bot"
)

// Target is one place a digest goes: a platform and a channel there.
type Target struct {
	Platform string
	Channel  string
}

// String is the form used in config and the ledger: "slack:C123".
func (t Target) String() string { return t.Platform + ":" + t.Channel }

var (
	platformRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,19}$`)
	channelRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,80}$`)
)

// ParseTarget reads "platform:channel", or "console" for the console's
// main channel. Whether the channel id has the platform's form is for the
// platform's adapter to say (see the configuration's checks).
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == bot.PlatformConsole {
		return Target{Platform: bot.PlatformConsole, Channel: "main"}, nil
	}
	platform, channel, ok := strings.Cut(s, ":")
	if !ok || !platformRE.MatchString(platform) || !channelRE.MatchString(channel) {
		return Target{}, fmt.Errorf("target %q: want platform:channel", s)
	}
	return Target{Platform: platform, Channel: channel}, nil
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
	// SkipUnchanged skips a "changes" digest that has nothing to list:
	// the slot is recorded as skipped and nothing is posted.
	SkipUnchanged bool

	sched cron.Schedule
}

// NewJob makes a job from a cron spec (see ParseSpec); the other fields
// are taken as they are.
func NewJob(j Job) (*Job, error) {
	sched, err := ParseSpec(j.Spec)
	if err != nil {
		return nil, err
	}
	if j.Zone == nil {
		j.Zone = time.UTC
	}
	j.sched = sched
	return &j, nil
}

// Next returns the job's first slot after t.
func (j *Job) Next(t time.Time) time.Time { return nextSlot(j.sched, j.Zone, t) }

// LoadZone loads an IANA time zone; empty means UTC. "Local" is refused:
// a schedule must not depend on the host's settings.
func LoadZone(name string) (*time.Location, error) {
	switch name {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, errors.New(`zone "Local": name an IANA zone such as Europe/Paris`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("zone %q is not a known IANA time zone (e.g. Europe/Paris, America/New_York)", name)
	}
	return loc, nil
}
