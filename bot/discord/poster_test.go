package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

func newTestPoster(t *testing.T, fake *fakeDiscord) *Poster {
	t.Helper()
	a, err := New(shippedEngine(t, nil), Options{Mode: ModeGateway, AppID: "1", BotToken: "secret-bot-token", APIURL: fake.srv.URL, PostRate: 25})
	if err != nil {
		t.Fatal(err)
	}
	return a.Poster()
}

var testMark = bot.PostMark{Key: "schedule:daily|discord:300000000000000001|2025-06-02T05:00:00Z", At: time.Date(2025, 6, 2, 5, 0, 0, 0, time.UTC)}

func digestReply() *bot.Reply { return &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"} }

// TestPosterSendsOnceWithNonce: one request per call, with the mark's
// nonce, enforce_nonce, no mentions, and the mark in the custom id of the
// message's Sources button.
func TestPosterSendsOnceWithNonce(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	r := shippedEngine(t, nil).Handle(t.Context(), bot.Request{Text: "/stance poland"})
	id, err := p.Send(t.Context(), "300000000000000001", r, testMark)
	if err != nil || id != "900000000000000001" {
		t.Fatalf("Send: %q, %v", id, err)
	}
	c := fake.all()[0]
	if c.Method != http.MethodPost || c.Path != "/api/v9/channels/300000000000000001/messages" || c.Header.Get("Authorization") != "Bot secret-bot-token" {
		t.Errorf("%s %s", c.Method, c.Path)
	}
	var body struct {
		Nonce           string `json:"nonce"`
		EnforceNonce    bool   `json:"enforce_nonce"`
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
		Embeds []struct {
			Title string `json:"title"`
		} `json:"embeds"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(c.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Nonce != Nonce(testMark) || len(body.Nonce) > 25 || !body.EnforceNonce {
		t.Errorf("nonce %q enforce %v", body.Nonce, body.EnforceNonce)
	}
	if body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed mentions: %s", c.Body)
	}
	if !strings.Contains(body.Embeds[0].Title, "Poland") {
		t.Errorf("embed: %+v", body.Embeds[0])
	}
	if len(body.Components) != 1 || len(body.Components[0].Components) != 1 {
		t.Fatalf("components: %s", c.Body)
	}
	button := body.Components[0].Components[0]
	if button.Type != 2 || button.Label != "Sources" || button.CustomID != digestButtonID(testMark) || len(button.CustomID) > maxCustomID {
		t.Errorf("button: %+v", button)
	}
	other := testMark
	other.Part = 1
	if again := Nonce(testMark); Nonce(other) == again || again != body.Nonce {
		t.Error("nonces do not tell parts apart, or are not stable")
	}
	if len(fake.all()) != 1 {
		t.Errorf("%d requests for one Send", len(fake.all()))
	}
}

// TestPosterErrorsAnswerTheRetryPolicy: each kind of failure is one
// request, classified for the caller's retry policy.
func TestPosterErrorsAnswerTheRetryPolicy(t *testing.T) {
	for _, tc := range []struct {
		status             int
		body               string
		want               string
		permanent, unknown bool
		retryAfter         time.Duration
	}{
		{404, `{"message":"Unknown Channel","code":10003}`, "unknown channel", true, false, 0},
		{403, `{"message":"Missing Access","code":50001}`, "missing access", true, false, 0},
		{403, `{"message":"Missing Permissions","code":50013}`, "missing permissions", true, false, 0},
		{401, `{"message":"401: Unauthorized","code":0}`, "token was refused", true, false, 0},
		{500, `{"message":"oops","code":0}`, "server error", false, true, 0},
		{429, `{"message":"You are being rate limited.","retry_after":2.5,"global":false}`, "rate limited", false, false, 2500 * time.Millisecond},
	} {
		fake := newFakeDiscord(t)
		fake.respond = func(call, int) (int, http.Header, string) { return tc.status, nil, tc.body }
		p := newTestPoster(t, fake)
		_, err := p.Send(t.Context(), "300000000000000009", digestReply(), testMark)
		var pe *PostError
		if !errors.As(err, &pe) || pe.Permanent() != tc.permanent || pe.OutcomeUnknown() != tc.unknown || pe.RetryAfter() != tc.retryAfter ||
			!strings.Contains(err.Error(), "channel 300000000000000009") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d: %v (permanent %v)", tc.status, err, IsPermanent(err))
			continue
		}
		if n := len(fake.all()); n != 1 {
			t.Errorf("%d: %d requests; the poster does not retry", tc.status, n)
		}
		if strings.Contains(err.Error(), "secret-bot-token") {
			t.Errorf("error shows the token: %v", err)
		}
	}
}

func TestPosterUnreachableIsNotUnknown(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	fake.srv.Close() // nothing listens: the request never left
	_, err := p.Send(t.Context(), "300000000000000001", digestReply(), testMark)
	var pe *PostError
	if !errors.As(err, &pe) || pe.OutcomeUnknown() || pe.Permanent() {
		t.Fatalf("refused connection: %v (unknown %v)", err, pe != nil && pe.OutcomeUnknown())
	}
}

func TestPosterBadChannelAndNoToken(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake)
	if _, err := p.Send(t.Context(), "#general", digestReply(), testMark); !IsPermanent(err) {
		t.Errorf("bad channel id: %v", err)
	}
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, nil), k, fake.srv.URL)
	if _, err := a.Poster().Send(t.Context(), "300000000000000001", digestReply(), testMark); !IsPermanent(err) || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") {
		t.Errorf("no token: %v", err)
	}
	if len(fake.all()) != 0 {
		t.Error("requests were sent")
	}
}

// TestPosterFindsMarkedMessages: Find reads the channel's messages since
// the slot and recognises each part by the custom id of its button, only
// from a bot, and not another slot's.
func TestPosterFindsMarkedMessages(t *testing.T) {
	r := stressReply()
	r.Sections, r.Sources = r.Sections[:2], r.Sources[:5]
	n := len(render(r))
	if n < 3 {
		t.Fatalf("%d messages; the test needs a reply of at least 3", n)
	}
	otherSlot := testMark
	otherSlot.Key = "schedule:other|discord:300000000000000001|2025-06-02T05:00:00Z"
	msg := func(id string, isBot bool, m bot.PostMark, part int) map[string]any {
		m.Part = part
		return map[string]any{"id": id, "author": map[string]any{"id": "1", "bot": isBot},
			"embeds": []map[string]any{{"title": "x"}},
			"components": []map[string]any{{"type": 1, "components": []map[string]any{
				{"type": 2, "style": 2, "label": "Sources", "custom_id": digestButtonID(m)}}}}}
	}
	page := []map[string]any{
		msg("900000000000000010", true, testMark, 0),
		msg("900000000000000011", false, testMark, 1), // a person cannot stand in for the bot
		msg("900000000000000012", true, otherSlot, 1),
		msg("900000000000000013", true, testMark, 2),
		{"id": "900000000000000014", "author": map[string]any{"id": "1", "bot": true}, // an answer shared by the bot
			"components": []map[string]any{{"type": 1, "components": []map[string]any{{"type": 2, "custom_id": "share:/stance poland"}}}}},
	}
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		out, _ := json.Marshal(page)
		return http.StatusOK, nil, string(out)
	}
	p := newTestPoster(t, fake)
	ids, err := p.Find(t.Context(), "300000000000000001", r, testMark)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, n)
	want[0], want[2] = "900000000000000010", "900000000000000013"
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("found %q, want %q", ids, want)
	}
	c := fake.all()[0]
	after := fmt.Sprint(snowflake(testMark.At.Add(-time.Minute)))
	if c.Method != http.MethodGet || !strings.HasSuffix(c.Path, "/channels/300000000000000001/messages") {
		t.Errorf("%s %s", c.Method, c.Path)
	}
	if len(fake.all()) != 1 || !strings.Contains(c.Query, "after="+after) {
		t.Errorf("%d requests, query %q; want one page after %s", len(fake.all()), c.Query, after)
	}
	if at, err := discordgo.SnowflakeTimestamp(after); err != nil || !at.Equal(testMark.At.Add(-time.Minute)) {
		t.Errorf("snowflake %s is %v (%v), want a minute before the slot", after, at, err)
	}
}
