package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

// TestSubscribeNamesWhatIsWrong: a mistake in a subscription is named by
// the part of the input that is wrong, quoting it, and nothing is stored.
func TestSubscribeNamesWhatIsWrong(t *testing.T) {
	bubble(t, func(t *testing.T) {
		r, e := chat(t)
		manager := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", CanManage: true}
		for _, tc := range []struct{ in, want string }{
			{"overview at 08:00 kyiv", "Unknown time zone 'kyiv'"},
			{"overview kyiv", "Unknown time zone 'kyiv'"},
			{"overview at 08:00 Mars/Olympus", "Unknown time zone 'Mars/Olympus'"},
			{"overview at 25:00", "Time '25:00'"},
			{"overview at", "Nothing after 'at'"},
			{"overview at 08:00 weekly", "Nothing after 'weekly'"},
			{"overview at 08:00 weekly someday", "Unknown day 'someday'"},
			{"overview at 08:00 on mon,funday", "Unknown day 'mon,funday'"},
			{"nobody at 08:00 Europe/Kyiv", "Unknown digest kind 'nobody'"},
			{"narnia council at 08:00", "Unknown digest kind 'narnia council'"},
			{"overview at 08:00 UTC Europe/Kyiv", "Unexpected 'Europe/Kyiv'"},
		} {
			got := ask(e, manager, "/digest subscribe "+tc.in)
			if got.Outcome != bot.OutcomeUsage || !strings.HasPrefix(got.Intro.String(), tc.want) {
				t.Errorf("subscribe %s: %s %q; want it to start with %q", tc.in, got.Outcome, got.Intro.String(), tc.want)
			}
			if strings.Contains(got.Intro.String(), "Unknown kind") && !strings.Contains(tc.want, "kind") {
				t.Errorf("subscribe %s: blamed the kind", tc.in)
			}
		}
		if subs, _ := r.store.Subscriptions(context.Background()); len(subs) != 0 {
			t.Fatalf("a refused subscription was stored: %+v", subs)
		}
	})
}

// TestSubscribeDays: weekdays and weekly subscriptions post on their days
// only, and say so when made and in /digest list.
func TestSubscribeDays(t *testing.T) {
	for _, tc := range []struct {
		in, says string
		days     string
		posts    []time.Weekday
	}{
		{"overview at 08:00 Europe/Kyiv", "daily at 08:00", "", []time.Weekday{1, 2, 3, 4, 5, 6, 0}},
		{"overview at 08:00 Europe/Kyiv weekdays", "weekdays (Mon–Fri) at 08:00", "weekdays", []time.Weekday{1, 2, 3, 4, 5}},
		{"overview weekly mon at 08:00 Europe/Kyiv", "weekly on Mon at 08:00", "mon", []time.Weekday{1}},
		{"overview at 08:00 europe/kyiv", "", "", nil}, // zones are case-sensitive names
		{"uk at 08:00 Europe/Kyiv on Thursday,tue", "on Tue, Thu at 08:00", "tue,thu", []time.Weekday{2, 4}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				r, e := chat(t)
				manager := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", CanManage: true}
				got := ask(e, manager, "/digest subscribe "+tc.in)
				if tc.says == "" {
					if got.Outcome != bot.OutcomeUsage {
						t.Fatalf("accepted: %q", got.Intro.String())
					}
					return
				}
				if got.Outcome != bot.OutcomeOK || !strings.Contains(got.Intro.String(), tc.says) {
					t.Fatalf("subscribe: %s %q; want %q", got.Outcome, got.Intro.String(), tc.says)
				}
				subs, _ := r.store.Subscriptions(context.Background())
				if len(subs) != 1 || subs[0].Days != tc.days {
					t.Fatalf("stored %+v, want days %q", subs, tc.days)
				}
				// Monday 2 June 2025 to Sunday 8 June, 08:00 in Kyiv (05:00 UTC).
				var posted []time.Weekday
				for d := range 7 {
					at := time.Date(2025, 6, 2+d, 5, 0, 0, 0, time.UTC)
					before := r.slack.count("C1")
					r.tick(at.Add(time.Second))
					if r.slack.count("C1") > before {
						posted = append(posted, at.Weekday())
					}
				}
				if len(posted) != len(tc.posts) || !sameDays(posted, tc.posts) {
					t.Fatalf("posted on %v, want %v", posted, tc.posts)
				}
				list := bot.RenderText(ask(e, manager, "/digest list"))
				if !strings.Contains(list, tc.says) {
					t.Errorf("list does not say %q:\n%s", tc.says, list)
				}
			})
		})
	}
}

func sameDays(a, b []time.Weekday) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestChangesSkippedWhenNothingChanged: a new "changes" subscription
// posts its first digest, then skips the days when nothing changed, and
// records them as skipped; one made with "always" posts every day.
func TestChangesSkippedWhenNothingChanged(t *testing.T) {
	for _, tc := range []struct {
		in    string
		posts int
	}{
		{"changes at 08:00 UTC", 1},
		{"changes at 08:00 UTC always", 3},
	} {
		t.Run(tc.in, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				r, e := chat(t)
				manager := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", CanManage: true}
				if got := ask(e, manager, "/digest subscribe "+tc.in); got.Outcome != bot.OutcomeOK {
					t.Fatalf("subscribe: %q", got.Intro.String())
				}
				for d := range 3 {
					r.tick(time.Date(2025, 6, 2+d, 8, 0, 1, 0, time.UTC))
				}
				if got := r.slack.count("C1"); got != tc.posts {
					t.Fatalf("%d posts in 3 days, want %d", got, tc.posts)
				}
				subs, _ := r.store.Subscriptions(context.Background())
				rec := latestRecord(t, r.store, "sub:"+subs[0].ID, "slack:C1")
				list := bot.RenderText(ask(e, manager, "/digest list"))
				if tc.posts == 1 {
					if rec.Status != digest.StatusSkipped || !strings.Contains(list, "skipped Wed 4 Jun 2025 08:00 UTC (nothing changed") {
						t.Fatalf("ledger %+v; list:\n%s", rec, list)
					}
				} else if rec.Status != digest.StatusPosted || !strings.Contains(r.slack.posts[2].title, "changed") {
					t.Fatalf("ledger %+v; posts %+v", rec, r.slack.posts)
				}
			})
		})
	}
}
