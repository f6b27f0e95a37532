package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// TestDigestButtonIDs: one custom id per slot and part, stable, within
// Discord's 100 characters however long the key, and read back only when
// it is well formed.
func TestDigestButtonIDs(t *testing.T) {
	long := testMark
	long.Key = "schedule:" + strings.Repeat("n", 64) + "|discord:30000000000000000001|2025-06-02T05:00:00Z"
	seen := map[string]bot.PostMark{}
	for _, m := range []bot.PostMark{testMark, long} {
		for part := range 12 {
			m.Part = part
			id := digestButtonID(m)
			if len(id) > maxCustomID || id != digestButtonID(m) {
				t.Errorf("%q: too long or not stable", id)
			}
			if other, dup := seen[id]; dup {
				t.Errorf("%q marks both %+v and %+v", id, other, m)
			}
			seen[id] = m
			hash, got, ok := parseDigestButtonID(id)
			if !ok || got != part || hash != keyHash(m.Key) {
				t.Errorf("parse %q = %q %d %v", id, hash, got, ok)
			}
		}
	}
	good := digestButtonID(testMark)
	for _, bad := range []string{"", "digest:", "share:/stance poland", strings.TrimSuffix(good, ":0"),
		strings.Replace(good, ":0", ":-1", 1), strings.Replace(good, ":0", ":x", 1), good[:20] + ":0"} {
		if _, _, ok := parseDigestButtonID(bad); ok {
			t.Errorf("%q read as a digest button", bad)
		}
	}
}

// TestDigestSourcesButton: the Sources button a posted digest carries
// answers whoever presses it privately with the documents, runs /sources
// once, and offers no button of its own.
func TestDigestSourcesButton(t *testing.T) {
	fake := newFakeDiscord(t)
	if _, err := newTestPoster(t, fake).Send(t.Context(), "300000000000000001", digestReply(), testMark); err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Components []struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(fake.all()[0].Body, &sent); err != nil || len(sent.Components) != 1 {
		t.Fatalf("posted %s (%v)", fake.all()[0].Body, err)
	}
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, fake.srv.URL)
	w := serve(a, k.signed(buttonJSON("ds1", sent.Components[0].Components[0].CustomID), time.Now()))
	if w.Code != http.StatusOK {
		t.Fatalf("press: %d %s", w.Code, w.Body)
	}
	d := decode(t, w.Body.Bytes())
	if d.Type != 4 || d.Data.Flags&64 == 0 || len(d.Data.Components) != 0 {
		t.Errorf("press: type %d flags %d, %d components; want a private answer without buttons", d.Type, d.Data.Flags, len(d.Data.Components))
	}
	if !contains(w.Body.Bytes(), "The documents") || !contains(w.Body.Bytes(), "d004") {
		t.Errorf("press did not answer with the sources: %s", w.Body)
	}
	checkNoMentions(t, "sources", d)
	if c.n.Load() != 1 {
		t.Errorf("engine ran %d times, want 1", c.n.Load())
	}
}

// TestPosterTrustsAnEmptyCheckOnlyWithHistory: Discord hides a channel's
// messages from a bot without Read Message History behind an empty list,
// so an empty check asks for the bot's permissions in the channel, and
// fails, for good, when the bot may not read the history.
func TestPosterTrustsAnEmptyCheckOnlyWithHistory(t *testing.T) {
	const everyone = 1024 | 2048 | 16384 // View Channel, Send Messages, Embed Links
	for _, tc := range []struct {
		name    string
		allow   int // the bot's role in the channel's overwrites
		wantErr string
	}{
		{"granted", 65536, ""},
		{"missing", 0, "Read Message History"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFakeDiscord(t)
			fake.respond = func(c call, _ int) (int, http.Header, string) {
				switch {
				case strings.HasSuffix(c.Path, "/channels/300000000000000001/messages"):
					return http.StatusOK, nil, `[]`
				case strings.HasSuffix(c.Path, "/users/@me"):
					return http.StatusOK, nil, `{"id":"100000000000000001","bot":true}`
				case strings.HasSuffix(c.Path, "/channels/300000000000000001"):
					return http.StatusOK, nil, `{"id":"300000000000000001","guild_id":"400000000000000001","type":0,
						"permission_overwrites":[{"id":"500000000000000001","type":0,"allow":"` + fmt.Sprint(tc.allow) + `","deny":"0"}]}`
				case strings.HasSuffix(c.Path, "/guilds/400000000000000001"):
					return http.StatusOK, nil, `{"id":"400000000000000001","owner_id":"200000000000000009",
						"roles":[{"id":"400000000000000001","permissions":"` + fmt.Sprint(everyone) + `"},{"id":"500000000000000001","permissions":"0"}]}`
				case strings.HasSuffix(c.Path, "/guilds/400000000000000001/members/100000000000000001"):
					return http.StatusOK, nil, `{"user":{"id":"100000000000000001"},"roles":["500000000000000001"]}`
				}
				return http.StatusNotFound, nil, `{"message":"Unknown","code":0}`
			}
			p := newTestPoster(t, fake)
			ids, err := p.Find(t.Context(), "300000000000000001", digestReply(), testMark)
			switch {
			case tc.wantErr == "" && (err != nil || len(ids) != 1 || ids[0] != ""):
				t.Errorf("Find = %q, %v; want nothing found", ids, err)
			case tc.wantErr != "" && (err == nil || !IsPermanent(err) || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Find: %v; want a permanent error naming %s", err, tc.wantErr)
			}
			// The bot's id is asked once.
			if _, err := p.Find(t.Context(), "300000000000000001", digestReply(), testMark); (err == nil) != (tc.wantErr == "") {
				t.Errorf("second Find: %v", err)
			}
			n := 0
			for _, c := range fake.all() {
				if strings.HasSuffix(c.Path, "/users/@me") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("asked for the bot's id %d times", n)
			}
		})
	}
}
