package main

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
)

func testEngine(t *testing.T) *bot.Engine {
	t.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(set, bot.Options{})
}

func TestSchedulesNameEveryProblem(t *testing.T) {
	e := testEngine(t)
	_, err := scheduleJobs([]config.Schedule{
		{Name: "a", Cron: "CRON_TZ=UTC 0 8 * * *", Zone: "Mars/Base", Kind: "atlantis", Targets: []string{"discord:123", "slack:c-bad", "irc:#x"}},
		{Name: "a", Cron: "@every 1m", Zone: "Local", Kind: "overview", Targets: []string{"slack:C1"}},
		{Name: "", Cron: "0 8 * * *", Kind: "overview"},
	}, map[string]bool{"slack": true}, e.DigestKind, time.Now())
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		`schedules[0] (a): cron spec "CRON_TZ=UTC 0 8 * * *": put the time zone in the zone setting`,
		`zone "Mars/Base" is not a known IANA time zone`,
		`kind: unknown digest kind "atlantis"`,
		`target "discord:123": discord is not configured`,
		`"c-bad" is not a slack channel id`,
		`unknown platform "irc"`,
		`schedules[1] (a): name is used by another schedule`,
		`@every is not supported`,
		`zone "Local"`,
		`schedules[2]: name "": want letters`,
		`schedules[2]: no targets`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestSchedulesConsoleWithoutPlatforms(t *testing.T) {
	e := testEngine(t)
	jobs, err := scheduleJobs([]config.Schedule{{Name: "m", Cron: "@daily", Zone: "Europe/Kyiv", Kind: "uk"}}, nil, e.DigestKind, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if j := jobs[0]; j.Kind != "united-kingdom" || len(j.Targets) != 1 || j.Targets[0].String() != "console:main" || j.ID != "schedule:m" {
		t.Fatalf("job: %+v", j)
	}
}

// TestScheduleSkipUnchanged: skip_unchanged reaches the job of a changes
// schedule and is a problem on any other kind.
func TestScheduleSkipUnchanged(t *testing.T) {
	e := testEngine(t)
	jobs, err := scheduleJobs([]config.Schedule{{Name: "c", Cron: "@daily", Kind: "changes", SkipUnchanged: true},
		{Name: "o", Cron: "@daily", Kind: "overview"}}, nil, e.DigestKind, time.Now())
	if err != nil || !jobs[0].SkipUnchanged || jobs[1].SkipUnchanged {
		t.Fatalf("jobs %+v, %v", jobs, err)
	}
	_, err = scheduleJobs([]config.Schedule{{Name: "o", Cron: "@daily", Kind: "overview", SkipUnchanged: true}}, nil, e.DigestKind, time.Now())
	if err == nil || !strings.Contains(err.Error(), `schedules[0] (o): skip_unchanged applies to kind changes only, not "overview"`) {
		t.Fatalf("err = %v", err)
	}
}
