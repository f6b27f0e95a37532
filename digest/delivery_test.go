package digest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// realPosters builds the Slack and Discord adapters' posters against fake
// APIs served in memory.
func realPosters(t testing.TB, e *bot.Engine, slackAPI, discordAPI *fakeAPI, slackRate, discordRate float64) (digest.Poster, digest.Poster) {
	t.Helper()
	sa, err := slack.New(e, slack.Options{BotToken: "xoxb-test", SigningSecret: "test-secret", APIURL: "http://slack.fake/api/", PostRate: slackRate, Log: quietLog(),
		HTTPClient: &http.Client{Transport: inMemory{slackServer(slackAPI)}}})
	if err != nil {
		t.Fatal(err)
	}
	da, err := discord.New(e, discord.Options{Mode: discord.ModeGateway, AppID: "1", BotToken: "test",
		APIURL: "http://discord.fake", PostRate: discordRate, Log: quietLog(), HTTPClient: &http.Client{Transport: inMemory{discordServer(discordAPI)}}})
	if err != nil {
		t.Fatal(err)
	}
	return sa.Poster(), da.Poster()
}

// fanOut posts one overview digest to n Slack and m Discord channels
// through the real posters and the fake APIs, with the system clock.
func fanOut(t *testing.T, nSlack, nDiscord int, slackRate, discordRate float64) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		slackAPI, discordAPI := newFakeAPI(), newFakeAPI()
		sp, dp := realPosters(t, e, slackAPI, discordAPI, slackRate, discordRate)
		var targets, slackChans, discordChans []string
		for i := range nSlack {
			ch := fmt.Sprintf("C%06d", i)
			slackChans = append(slackChans, ch)
			targets = append(targets, "slack:"+ch)
		}
		for i := range nDiscord {
			ch := fmt.Sprint(100000 + i)
			discordChans = append(discordChans, ch)
			targets = append(targets, "discord:"+ch)
		}
		// A few 429s on the way; they must not cause loss or duplicates.
		for i := 0; i < nSlack; i += 100 {
			slackAPI.limited[slackChans[i]] = true
		}
		for i := 0; i < nDiscord; i += 100 {
			discordAPI.limited[discordChans[i]] = true
		}
		st := sqliteStore(t)
		now := time.Now()
		jobs := schedule(t, e, now.Add(-30*time.Second), config.Schedule{Name: "fanout", Cron: "* * * * *", Zone: "UTC", Kind: "overview", Targets: targets})
		s := digest.New(digest.Options{Store: st, Schedules: jobs, Grace: time.Hour, Log: quietLog(), Workers: 64, Builder: func() digest.Builder { return e }})
		s.AddPoster("slack", sp)
		s.AddPoster("discord", dp)
		start := time.Now()
		s.Tick(context.Background(), now.Truncate(time.Minute).Add(time.Second))
		took := time.Since(start)
		slackGap, slackRate2 := slackAPI.check(t, slackChans, slackMessages(t, e))
		_, discordRate2 := discordAPI.check(t, discordChans, discordMessages(t, e))
		t.Logf("fan-out of one overview digest to %d Slack + %d Discord channels: %v; Slack busiest second %d requests, min gap per channel %v; Discord busiest second %d requests",
			nSlack, nDiscord, took.Round(time.Millisecond), slackRate2, slackGap, discordRate2)
		if slackGap < time.Second-50*time.Millisecond {
			t.Errorf("two Slack messages to one channel %v apart; want ≥ 1s", slackGap)
		}
		if float64(slackRate2) > slackRate+1 {
			t.Errorf("%d Slack messages within one second; want at most %g", slackRate2, slackRate)
		}
		if discordRate2 >= 50 {
			t.Errorf("%d Discord requests within one second; want < 50", discordRate2)
		}
		recs, err := st.Latest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		posted := 0
		for _, r := range recs {
			if r.Status == digest.StatusPosted {
				posted++
			}
		}
		if posted != len(targets) || len(recs) != len(targets) {
			t.Errorf("ledger: %d records, %d posted; want %d posted", len(recs), posted, len(targets))
		}
	})
}

func slackMessages(t *testing.T, e *bot.Engine) int {
	r, _, _ := e.Digest("overview", nil)
	return len(slack.Render(r, ""))
}

func discordMessages(t *testing.T, e *bot.Engine) int {
	r, _, _ := e.Digest("overview", nil)
	raw, err := discord.Preview(r)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []json.RawMessage
	json.Unmarshal(raw, &msgs)
	return len(msgs)
}

// TestFanOutSlack1000 lifts the workspace rate (5 a second by default,
// which would make this take minutes) to test the rest at scale: a second
// between messages to one channel, 429s, no loss and no duplicates.
// TestFanOutMixedSmall keeps to a real rate.
func TestFanOutSlack1000(t *testing.T) {
	fanOut(t, 1000, 0, 2000, 0)
}

// TestFanOutDiscord1000: 1,000 posts under 50 requests per second, on the
// fake clock (the 22 seconds they take pass in a bubble).
func TestFanOutDiscord1000(t *testing.T) {
	fanOut(t, 0, 1000, 0, 45)
}

func TestFanOutMixedSmall(t *testing.T) {
	fanOut(t, 20, 50, 20, 45)
}

func TestRealPostersPermanentErrors(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		slackAPI, discordAPI := newFakeAPI(), newFakeAPI()
		slackAPI.gone["CGONE"] = true
		discordAPI.gone["404"] = true
		sp, dp := realPosters(t, e, slackAPI, discordAPI, 20, 45)
		st := sqliteStore(t)
		now := time.Now()
		jobs := schedule(t, e, now.Add(-30*time.Second), config.Schedule{Name: "gone", Cron: "* * * * *", Zone: "UTC", Kind: "poland",
			Targets: []string{"slack:CGONE", "discord:404", "slack:COK"}})
		s := digest.New(digest.Options{Store: st, Schedules: jobs, Grace: time.Hour, Log: quietLog(), Builder: func() digest.Builder { return e }})
		s.AddPoster("slack", sp)
		s.AddPoster("discord", dp)
		s.Tick(context.Background(), now)
		got := map[string]digest.Record{}
		recs, _ := st.Latest(context.Background())
		for _, r := range recs {
			got[r.Target] = r
		}
		for _, tg := range []string{"slack:CGONE", "discord:404"} {
			if r := got[tg]; r.Status != digest.StatusFailed || r.Rounds != 1 {
				t.Errorf("%s: %+v; want failed after one round", tg, r)
			}
		}
		if !strings.Contains(got["slack:CGONE"].Error, "channel_not_found") || !strings.Contains(got["discord:404"].Error, "Unknown Channel") && !strings.Contains(strings.ToLower(got["discord:404"].Error), "unknown channel") {
			t.Errorf("errors not recorded: %q / %q", got["slack:CGONE"].Error, got["discord:404"].Error)
		}
		if len(slackAPI.requests) != 2 { // CGONE once (not retried), COK once
			t.Errorf("slack requests: %d, want 2", len(slackAPI.requests))
		}
		if r := got["slack:COK"]; r.Status != digest.StatusPosted {
			t.Errorf("slack:COK: %+v", r)
		}
	})
}
