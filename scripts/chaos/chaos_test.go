package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
)

func newTestFake(t *testing.T) (*fake, *httptest.Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "posts.jsonl")
	rec, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	f := &fake{nonceWindow: time.Minute, rec: rec, slack: map[string][]*slackMessage{}, discord: map[string][]*discordMessage{},
		nonces: map[string]*discordMessage{}, bucket: map[string][]time.Time{}, stats: map[string]int{}}
	srv := httptest.NewServer(f.routes())
	t.Cleanup(srv.Close)
	return f, srv, path
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func discordReq(t *testing.T, method, url, body string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot x")
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestFakeDiscordLikeDiscord: a repeated nonce with enforce_nonce returns
// the first message and posts nothing; GET returns messages newest first,
// with their components and without the nonce; limits are Discord's.
func TestFakeDiscordLikeDiscord(t *testing.T) {
	_, srv, path := newTestFake(t)
	base := srv.URL + "/api/v9/channels/300000000000000001/messages"
	body := `{"content":"x","nonce":"N1","enforce_nonce":true,"components":[{"type":1,"components":[{"type":2,"style":2,"label":"Sources","custom_id":"digest:abc:0"}]}]}`
	_, first := do(t, discordReq(t, "POST", base, body))
	_, again := do(t, discordReq(t, "POST", base, body))
	var m1, m2 struct{ ID, Nonce string }
	json.Unmarshal(first, &m1)
	json.Unmarshal(again, &m2)
	if m1.ID == "" || m1.ID != m2.ID || m1.Nonce != "N1" {
		t.Fatalf("repeat with the nonce: %s then %s", first, again)
	}
	do(t, discordReq(t, "POST", base, `{"content":"y","nonce":"N2","enforce_nonce":true}`))
	code, list := do(t, discordReq(t, "GET", base+"?limit=100&after=0", ""))
	var got []map[string]any
	if err := json.Unmarshal(list, &got); code != 200 || err != nil || len(got) != 2 {
		t.Fatalf("GET: %d %s", code, list)
	}
	if got[0]["content"] != "y" || got[1]["content"] != "x" || got[0]["nonce"] != nil || got[1]["nonce"] != nil {
		t.Errorf("GET is not newest first without nonces: %s", list)
	}
	if !strings.Contains(string(list), `"custom_id":"digest:abc:0"`) {
		t.Errorf("GET lost the components: %s", list)
	}
	if code, _ := do(t, discordReq(t, "POST", base, `{"nonce":"`+strings.Repeat("n", 26)+`"}`)); code != 400 {
		t.Errorf("a 26-character nonce: %d", code)
	}
	recs, _ := readRecords(path)
	if len(recs) != 2 || recs[0].Nonce != "N1" || recs[0].CustomID != "digest:abc:0" {
		t.Errorf("recorded %+v", recs)
	}
}

// TestFakeSlackHistory: metadata comes back only with
// include_all_metadata, newest first, in pages behind a cursor.
func TestFakeSlackHistory(t *testing.T) {
	_, srv, _ := newTestFake(t)
	post := func(i int) {
		md := fmt.Sprintf(`{"event_type":"briefbot_digest","event_payload":{"key":"k%d","part":0}}`, i)
		do(t, formReq(t, srv.URL+"/api/chat.postMessage", url.Values{"channel": {"C1"}, "text": {"t"}, "metadata": {md}}))
	}
	for i := range 5 {
		post(i)
	}
	var keys []string
	cursor := ""
	for range 5 {
		_, raw := do(t, formReq(t, srv.URL+"/api/conversations.history", url.Values{"channel": {"C1"}, "limit": {"2"},
			"include_all_metadata": {"1"}, "cursor": {cursor}, "oldest": {"0"}}))
		var page struct {
			Messages []struct {
				Metadata struct {
					EventPayload map[string]any `json:"event_payload"`
				} `json:"metadata"`
			} `json:"messages"`
			HasMore          bool `json:"has_more"`
			ResponseMetadata struct {
				NextCursor string `json:"next_cursor"`
			} `json:"response_metadata"`
		}
		json.Unmarshal(raw, &page)
		for _, m := range page.Messages {
			keys = append(keys, fmt.Sprint(m.Metadata.EventPayload["key"]))
		}
		if !page.HasMore {
			break
		}
		cursor = page.ResponseMetadata.NextCursor
	}
	if strings.Join(keys, " ") != "k4 k3 k2 k1 k0" {
		t.Errorf("pages gave %v", keys)
	}
	_, raw := do(t, formReq(t, srv.URL+"/api/conversations.history", url.Values{"channel": {"C1"}}))
	if strings.Contains(string(raw), "briefbot_digest") {
		t.Errorf("metadata without include_all_metadata: %s", raw)
	}
}

func formReq(t *testing.T, u string, v url.Values) *http.Request {
	req, err := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer xoxb-test")
	return req
}

// TestReport counts what went wrong per phase: a pair posted twice, one
// never posted, one late; Discord's messages are told apart by nonce.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	phases := fmt.Sprintf("one\t%d\t%d\ntwo\t%d\t%d\n", start.Unix(), start.Add(2*time.Minute).Unix(), start.Add(2*time.Minute).Unix(), start.Add(3*time.Minute).Unix())
	os.WriteFile(filepath.Join(dir, "phases.tsv"), []byte(phases), 0o644)
	key := func(target string, slot time.Time) string {
		return "schedule:c|" + target + "|" + slot.Format(time.RFC3339)
	}
	nonce := func(slot time.Time) string {
		return discord.Nonce(bot.PostMark{Key: key("discord:300000000000000001", slot), At: slot})
	}
	at := func(slot time.Time, d time.Duration) time.Time { return slot.Add(d) }
	s0, s1, s2 := start, start.Add(time.Minute), start.Add(2*time.Minute)
	recs := []record{
		{Platform: "slack", Channel: "C1", Key: key("slack:C1", s0), At: at(s0, time.Second)},
		{Platform: "slack", Channel: "C1", Key: key("slack:C1", s0), At: at(s0, time.Minute)},   // duplicate
		{Platform: "slack", Channel: "C1", Key: key("slack:C1", s1), At: at(s1, 3*time.Minute)}, // late
		{Platform: "discord", Channel: "300000000000000001", Nonce: nonce(s0), At: at(s0, time.Second)},
		{Platform: "discord", Channel: "300000000000000001", Nonce: nonce(s1), At: at(s1, time.Second)},
		{Platform: "discord", Channel: "300000000000000001", Nonce: nonce(s2), At: at(s2, time.Second)},
		// slack:C1 at s2 is missing
	}
	var lines []string
	for _, r := range recs {
		b, _ := json.Marshal(r)
		lines = append(lines, string(b))
	}
	os.WriteFile(filepath.Join(dir, "posts.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	var out bytes.Buffer
	ok, err := runReport([]string{"-record", filepath.Join(dir, "posts.jsonl"), "-phases", filepath.Join(dir, "phases.tsv"),
		"-job", "schedule:c", "-targets", "slack:C1,discord:300000000000000001"}, &out)
	if err != nil || ok {
		t.Fatalf("report: ok %v, %v\n%s", ok, err, &out)
	}
	for _, want := range []string{
		"one      2                      4           1        0            1",
		"two      1                      2           0        1            0",
		"slack:C1 10:00: duplicate",
		"slack:C1 10:01: late 3m0s",
		"slack:C1 10:02: missing",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, &out)
		}
	}
}
