package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakePlatform stands in for Slack's or Discord's API on 127.0.0.1: it
// records every request and answers with what respond returns.
type fakePlatform struct {
	srv     *httptest.Server
	mu      sync.Mutex
	got     []fakeRequest
	respond func(path string) string
}

type fakeRequest struct {
	Path string
	Body string
}

func newFakePlatform(t *testing.T, respond func(path string) string) *fakePlatform {
	f := &fakePlatform{respond: respond}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.got = append(f.got, fakeRequest{Path: r.URL.Path, Body: string(body)})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, f.respond(r.URL.Path))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// to returns the requests made to a path.
func (f *fakePlatform) to(path string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.got {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// post sends a signed request to serve and returns the status and body.
func post(t *testing.T, url, ctype, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSlackAsInstalled runs `briefbot serve` configured as the README's
// "Connect to Slack" (HTTP) leaves it, against a fake Slack: a slash
// command answers privately with a Share button, a double submit answers
// once, Share posts the answer to the channel once, and `briefbot digest`
// posts through the bot token.
func TestSlackAsInstalled(t *testing.T) {
	t.Parallel() // beside the tests that wait
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	fake := newFakePlatform(t, func(string) string { return `{"ok":true,"channel":"C0DIGEST","ts":"1700000000.000100"}` })
	vars := map[string]string{"SLACK_SIGNING_SECRET": secret, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": fake.srv.URL + "/api/"}
	base, logs := startServeEnv(t, vars)
	if !waitLog(t, logs, "msg=platforms slack=http discord=off console=off") {
		t.Errorf("start-up does not log the platforms and modes:\n%s", logs)
	}
	sign := func(body string) map[string]string {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		io.WriteString(mac, "v0:"+ts+":"+body)
		return map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + hex.EncodeToString(mac.Sum(nil))}
	}
	const form = "application/x-www-form-urlencoded"

	cmd := "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fstance&text=poland&response_url=" + url.QueryEscape(fake.srv.URL+"/response/1")
	status, body := post(t, base+"/slack/commands", form, cmd, sign(cmd))
	var answer struct {
		ResponseType string            `json:"response_type"`
		Text         string            `json:"text"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &answer); status != 200 || err != nil {
		t.Fatalf("/stance poland: %d %v\n%.300s", status, err, body)
	}
	if answer.ResponseType != "ephemeral" || !strings.Contains(answer.Text, "Poland") || !strings.Contains(body, `"action_id":"share_in_channel"`) {
		t.Fatalf("answer is not a private reply about Poland with a Share button:\n%.500s", body)
	}
	if _, ready := getBody(t, base+"/readyz"); !strings.Contains(ready, `"detail": "http: accepting signed requests`) || strings.Contains(ready, "connected") {
		t.Errorf("/readyz in HTTP mode: %s", ready)
	}
	if status, again := post(t, base+"/slack/commands", form, cmd, sign(cmd)); status != 200 || again != "" {
		t.Errorf("double submit: %d %.100q; want an empty 200", status, again)
	}

	press := url.Values{"payload": {`{"type":"block_actions","user":{"id":"U1"},"team":{"id":"T1"},"channel":{"id":"C1"},` +
		`"container":{"type":"message","message_ts":"1700000000.000200","channel_id":"C1","is_ephemeral":true},` +
		`"response_url":"` + fake.srv.URL + `/response/2","actions":[{"type":"button","action_id":"share_in_channel","block_id":"briefbot_share","value":"/stance poland"}]}`}}.Encode()
	for range 2 { // pressed twice: shared once
		if status, _ := post(t, base+"/slack/interactivity", form, press, sign(press)); status != 200 {
			t.Fatalf("Share: %d", status)
		}
	}
	eventually(t, "the shared answer reaches the channel", func() bool {
		for _, r := range fake.to("/response/2") {
			if strings.Contains(r.Body, `"response_type":"in_channel"`) && strings.Contains(r.Body, "Poland") {
				return true
			}
		}
		return false
	})
	time.Sleep(200 * time.Millisecond) // room for a second, wrong post
	public := 0
	for _, r := range fake.to("/response/2") {
		if strings.Contains(r.Body, `"in_channel"`) {
			public++
		}
	}
	if public != 1 {
		t.Errorf("the answer was shared %d times, want once", public)
	}

	vars["BRIEFBOT_DATA_DIR"] = t.TempDir()
	code, out, errOut := runCLIEnv(vars, "digest", "--kind", "overview", "--target", "slack:C0DIGEST")
	posts := fake.to("/api/chat.postMessage")
	if code != exitOK || len(posts) == 0 || !strings.Contains(posts[0].Body, "channel=C0DIGEST") {
		t.Fatalf("digest post: exit %d, %d posts\n%s%s", code, len(posts), out, errOut)
	}
	if !strings.Contains(out, "posted overview digest to slack:C0DIGEST: message 1700000000.000100") {
		t.Errorf("digest post does not say where it went: %q", out)
	}

	// The matrix digest is the table block /matrix is. (A fresh ledger:
	// one manual post a second per target.)
	vars["BRIEFBOT_DATA_DIR"] = t.TempDir()
	code, out, errOut = runCLIEnv(vars, "digest", "--kind", "matrix", "--target", "slack:C0DIGEST")
	posts = fake.to("/api/chat.postMessage")
	if body, _ := url.QueryUnescape(posts[len(posts)-1].Body); code != exitOK || !strings.Contains(body, `"type":"table"`) {
		t.Errorf("matrix digest: exit %d\n%s%s\n%.300s", code, out, errOut, body)
	}
}

// TestDiscordAsInstalled runs `briefbot serve` configured as the README's
// "Connect to Discord" (HTTP endpoint) leaves it, against a fake Discord:
// Discord's endpoint check (PING, and a bad signature), a command answered
// privately with a Share button, autocomplete, Share posting publicly, and
// `briefbot digest` posting through the bot token with no mentions parsed.
func TestDiscordAsInstalled(t *testing.T) {
	t.Parallel() // beside the tests that wait
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFakePlatform(t, func(string) string { return `{"id":"900000000000000001","channel_id":"300000000000000009"}` })
	vars := map[string]string{"DISCORD_APP_ID": "100000000000000001", "DISCORD_PUBLIC_KEY": hex.EncodeToString(pub),
		"DISCORD_BOT_TOKEN": "test-token", "DISCORD_API_URL": fake.srv.URL}
	base, logs := startServeEnv(t, vars, "--console", "on")
	if !waitLog(t, logs, "msg=platforms slack=off discord=http console=on") {
		t.Errorf("start-up does not log the platforms and modes:\n%s", logs)
	}
	send := func(body string, sign bool) (int, string) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		sig := ed25519.Sign(priv, []byte(ts+body))
		if !sign {
			sig[0] ^= 1
		}
		return post(t, base+"/discord/interactions", "application/json", body,
			map[string]string{"X-Signature-Timestamp": ts, "X-Signature-Ed25519": hex.EncodeToString(sig)})
	}
	interaction := func(id string, typ int, data string) string {
		return `{"id":"` + id + `","application_id":"100000000000000001","type":` + strconv.Itoa(typ) + `,"token":"tok-` + id + `",` +
			`"channel_id":"300000000000000001","guild_id":"400000000000000001","version":1,` +
			`"member":{"permissions":"0","user":{"id":"200000000000000001","username":"tester"}},"data":` + data + `}`
	}

	if status, body := send(`{"id":"1","application_id":"100000000000000001","type":1,"token":"t","version":1}`, true); status != 200 || strings.TrimSpace(body) != `{"type":1}` {
		t.Fatalf("PING: %d %s", status, body)
	}
	if status, _ := send(`{"id":"1","application_id":"100000000000000001","type":1,"token":"t","version":1}`, false); status != 401 {
		t.Fatalf("badly signed PING: %d, want 401", status)
	}

	status, body := send(interaction("600000000000000001", 2, `{"id":"500000000000000001","name":"stance","type":1,"options":[{"name":"actor","type":3,"value":"poland"}]}`), true)
	var answer struct {
		Type int `json:"type"`
		Data struct {
			Flags           int               `json:"flags"`
			Embeds          []json.RawMessage `json:"embeds"`
			AllowedMentions struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
			Components []struct {
				Components []struct {
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &answer); status != 200 || err != nil {
		t.Fatalf("/stance poland: %d %v\n%.300s", status, err, body)
	}
	if answer.Type != 4 || answer.Data.Flags&64 == 0 || len(answer.Data.Embeds) == 0 || !strings.Contains(body, "Poland") ||
		!strings.Contains(body, `"parse":[]`) || len(answer.Data.Components) == 0 || len(answer.Data.Components[0].Components) == 0 {
		t.Fatalf("answer is not a private embed about Poland with a Share button and no mentions:\n%.600s", body)
	}

	if _, ready := getBody(t, base+"/readyz"); !strings.Contains(ready, `"detail": "http: accepting signed interactions`) || strings.Contains(ready, "connected") {
		t.Errorf("/readyz in HTTP mode: %s", ready)
	}

	// /matrix answers with its picture: a private deferral, then the
	// original response edited with the PNG attached.
	status, body = send(interaction("600000000000000005", 2, `{"id":"500000000000000002","name":"matrix","type":1}`), true)
	if status != 200 || !strings.Contains(body, `"type":5`) || !strings.Contains(body, `"flags":64`) {
		t.Fatalf("/matrix: %d; want a private deferral:\n%.300s", status, body)
	}
	eventually(t, "the picture of /matrix to be sent", func() bool {
		for _, r := range fake.to("/api/v9/webhooks/100000000000000001/tok-600000000000000005/messages/@original") {
			if strings.Contains(r.Body, `name="payload_json"`) && strings.Contains(r.Body, "attachment://table.png") && strings.Contains(r.Body, "\x89PNG") {
				return true
			}
		}
		return false
	})

	status, body = send(interaction("600000000000000002", 4, `{"id":"500000000000000001","name":"stance","type":1,"options":[{"name":"actor","type":3,"value":"pol","focused":true}]}`), true)
	if status != 200 || !strings.Contains(body, `"type":8`) || !strings.Contains(body, `"value":"poland"`) {
		t.Fatalf("autocomplete for \"pol\": %d %.300s", status, body)
	}

	row := answer.Data.Components[0].Components
	share := row[len(row)-1].CustomID
	status, body = send(interaction("600000000000000003", 3, `{"custom_id":"`+share+`","component_type":2}`), true)
	if status != 200 || !strings.Contains(body, `"type":4`) || strings.Contains(body, `"flags":64`) || !strings.Contains(body, "Poland") {
		t.Fatalf("Share: %d; want a public answer about Poland:\n%.400s", status, body)
	}
	status, body = send(interaction("600000000000000004", 3, `{"custom_id":"`+row[0].CustomID+`","component_type":2}`), true)
	if status != 200 || !strings.Contains(body, `"flags":64`) || !strings.Contains(body, "We will not send Polish soldiers to Ukraine.") {
		t.Fatalf("Show sources: %d; want the cited paragraphs, privately:\n%.400s", status, body)
	}

	vars["BRIEFBOT_DATA_DIR"] = t.TempDir()
	code, out, errOut := runCLIEnv(vars, "digest", "--kind", "poland", "--target", "discord:300000000000000009")
	posts := fake.to("/api/v9/channels/300000000000000009/messages")
	if code != exitOK || len(posts) == 0 || !strings.Contains(posts[0].Body, `"parse":[]`) || !strings.Contains(posts[0].Body, "Poland") {
		t.Fatalf("digest post: exit %d, %d posts\n%s%s", code, len(posts), out, errOut)
	}

	// The matrix digest carries the picture /matrix does.
	vars["BRIEFBOT_DATA_DIR"] = t.TempDir()
	code, out, errOut = runCLIEnv(vars, "digest", "--kind", "matrix", "--target", "discord:300000000000000009")
	posts = fake.to("/api/v9/channels/300000000000000009/messages")
	if last := posts[len(posts)-1].Body; code != exitOK || !strings.Contains(last, `name="payload_json"`) ||
		!strings.Contains(last, "attachment://table.png") || !strings.Contains(last, "\x89PNG") {
		t.Errorf("matrix digest: exit %d, %d posts\n%s%s", code, len(posts), out, errOut)
	}
}

// runCLIEnv runs the command line with the given environment.
func runCLIEnv(vars map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errb.String()
}
