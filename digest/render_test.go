package digest_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefs"
)

// digests returns every digest the shipped briefs can produce: overview,
// changes against an empty history, and each actor and option.
func allDigests(t *testing.T) map[string]*bot.Reply {
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Fatal(err)
	}
	e := bot.New(set, bot.Options{})
	out := map[string]*bot.Reply{}
	kinds := []string{"overview"}
	for _, b := range append(set.OfKind(briefs.KindActor), set.OfKind(briefs.KindOption)...) {
		kinds = append(kinds, b.ID)
	}
	for _, k := range kinds {
		r, _, err := e.Digest(k, nil)
		if err != nil {
			t.Fatal(k, err)
		}
		out[k] = r
	}
	empty := bot.Snapshot{Claims: map[string]bot.ClaimPrint{"gone": {Brief: "poland", Hash: "x"}}}
	r, _, _ := e.Digest("changes", &empty) // everything is new: the longest changes digest
	out["changes"] = r
	return out
}

// TestDigestsWithinSlackLimits renders through the Slack adapter: at most
// 50 blocks a message, 3,000 characters a section, 150 a header; and an
// overview fits one message.
func TestDigestsWithinSlackLimits(t *testing.T) {
	for kind, r := range allDigests(t) {
		raw, err := slack.Preview(r)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []struct {
			Blocks []struct {
				Type string `json:"type"`
				Text *struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"blocks"`
		}
		if err := json.Unmarshal(raw, &msgs); err != nil {
			t.Fatal(err)
		}
		if kind == "overview" && len(msgs) != 1 {
			t.Errorf("overview takes %d Slack messages", len(msgs))
		}
		for _, m := range msgs {
			if len(m.Blocks) > 50 {
				t.Errorf("%s: %d blocks", kind, len(m.Blocks))
			}
			for _, b := range m.Blocks {
				if b.Text == nil {
					continue
				}
				n := utf8.RuneCountInString(b.Text.Text)
				if b.Type == "header" && n > 150 || n > 3000 {
					t.Errorf("%s: %s block of %d characters", kind, b.Type, n)
				}
			}
		}
		t.Logf("%s: %d Slack message(s)", kind, len(msgs))
	}
}

// TestDigestsWithinDiscordLimits renders through the Discord adapter:
// content 2,000, description 4,096, 25 fields of 1,024, 10 embeds and 6,000
// characters a message; an overview fits one message.
func TestDigestsWithinDiscordLimits(t *testing.T) {
	for kind, r := range allDigests(t) {
		raw, err := discord.Preview(r)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []struct {
			Content string `json:"content"`
			Embeds  []struct {
				Title       string `json:"title"`
				Description string `json:"description"`
				Fields      []struct{ Name, Value string }
				Footer      *struct {
					Text string `json:"text"`
				} `json:"footer"`
			} `json:"embeds"`
		}
		if err := json.Unmarshal(raw, &msgs); err != nil {
			t.Fatal(err)
		}
		if kind == "overview" && len(msgs) != 1 {
			t.Errorf("overview takes %d Discord messages", len(msgs))
		}
		for _, m := range msgs {
			n := utf8.RuneCountInString
			total := 0
			if n(m.Content) > 2000 || len(m.Embeds) > 10 {
				t.Errorf("%s: content %d, %d embeds", kind, n(m.Content), len(m.Embeds))
			}
			for _, e := range m.Embeds {
				total += n(e.Title) + n(e.Description)
				if n(e.Description) > 4096 || len(e.Fields) > 25 {
					t.Errorf("%s: description %d, %d fields", kind, n(e.Description), len(e.Fields))
				}
				for _, f := range e.Fields {
					total += n(f.Name) + n(f.Value)
					if n(f.Value) > 1024 {
						t.Errorf("%s: field of %d", kind, n(f.Value))
					}
				}
				if e.Footer != nil {
					total += n(e.Footer.Text)
				}
			}
			if total > 6000 {
				t.Errorf("%s: message of %d characters", kind, total)
			}
		}
		t.Logf("%s: %d Discord message(s)", kind, len(msgs))
	}
}
