package slack

import (
	"encoding/binary"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Slack's example from "Verifying requests from Slack".
const (
	docSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	docTimestamp = 1531420618
	docBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifierDocumentedExample(t *testing.T) {
	clock := newClock(time.Unix(docTimestamp, 0))
	v := NewVerifier(docSecret, clock.Now)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", "1531420618")
	h.Set("X-Slack-Signature", docSignature)
	if err := v.Verify(h, []byte(docBody)); err != nil {
		t.Fatalf("documented example does not verify: %v", err)
	}
	if got := Sign(docSecret, docTimestamp, []byte(docBody)); got != docSignature {
		t.Errorf("Sign = %s, want %s", got, docSignature)
	}
	if err := v.Verify(h, []byte(docBody+"&x=1")); err != errBadSignature {
		t.Errorf("tampered body: err = %v, want %v", err, errBadSignature)
	}
	clock.Advance(5*time.Minute + time.Second)
	if err := v.Verify(h, []byte(docBody)); err != errStale {
		t.Errorf("5m1s later: err = %v, want %v", err, errStale)
	}
}

func TestHandlerDocumentedExample(t *testing.T) {
	clock := newClock(time.Unix(docTimestamp, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a, err := New(eng, Options{SigningSecret: docSecret, Now: clock.Now, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	r := signedRequest("/slack/commands", docBody, clock.Now())
	r.Header.Set("X-Slack-Signature", docSignature)
	w := serve(a, r)
	if w.Code != http.StatusOK || eng.calls.Load() != 1 {
		t.Fatalf("status %d, engine calls %d; want 200 and 1\n%s", w.Code, eng.calls.Load(), w.Body)
	}
	if got := eng.lastRequest(); got.Text != "/webhook-collect" || got.UserID != "U2CERLKJA" || got.ChannelID != "G8PSS9T3V" {
		t.Errorf("engine got %+v", got)
	}
}

func TestHandlerVerification(t *testing.T) {
	now := time.Unix(1_760_000_000, 0)
	good := commandBody("/stance", "poland", "U1", "")
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
		runs   int32
		fails  int32 // OnSignatureFailure calls
	}{
		{"valid", func() *http.Request { return signedRequest("/slack/commands", good, now) }, 200, 1, 0},
		{"bad signature", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Set("X-Slack-Signature", Sign("other secret", now.Unix(), []byte(good)))
			return r
		}, 401, 0, 1},
		{"signature not hex", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("zz", 32))
			return r
		}, 401, 0, 1},
		{"body changed after signing", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			tampered := signedRequest("/slack/commands", commandBody("/stance", "russia", "U1", ""), now)
			tampered.Header = r.Header
			return tampered
		}, 401, 0, 1},
		{"stale timestamp", func() *http.Request {
			return signedRequest("/slack/commands", good, now.Add(-5*time.Minute-time.Second))
		}, 401, 0, 1},
		{"future timestamp", func() *http.Request {
			return signedRequest("/slack/commands", good, now.Add(5*time.Minute+time.Second))
		}, 401, 0, 1},
		{"edge of window", func() *http.Request { return signedRequest("/slack/commands", good, now.Add(-5*time.Minute)) }, 200, 1, 0},
		{"malformed timestamp", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Set("X-Slack-Request-Timestamp", "soon")
			return r
		}, 401, 0, 1},
		{"missing timestamp", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Del("X-Slack-Request-Timestamp")
			return r
		}, 401, 0, 1},
		{"missing signature", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Del("X-Slack-Signature")
			return r
		}, 401, 0, 1},
		{"wrong content type", func() *http.Request {
			r := signedRequest("/slack/commands", good, now)
			r.Header.Set("Content-Type", "application/json")
			return r
		}, 401, 0, 1},
		{"oversized body", func() *http.Request {
			return signedRequest("/slack/commands", commandBody("/stance", strings.Repeat("a", maxCommandBody), "U1", ""), now)
		}, 401, 0, 1},
		{"malformed form", func() *http.Request { return signedRequest("/slack/commands", "command=%2Fstance&text=%zz", now) }, 200, 0, 0},
		{"form without user", func() *http.Request {
			return signedRequest("/slack/commands", "command=%2Fstance&text=poland&channel_id=C1", now)
		}, 200, 0, 0},
		{"interactivity bad signature", func() *http.Request {
			r := signedRequest("/slack/interactivity", "payload=%7B%7D", now)
			r.Header.Set("X-Slack-Signature", Sign("other", now.Unix(), []byte("payload=%7B%7D")))
			return r
		}, 401, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &countingEngine{next: fixtureEngine(t)}
			var fails int32
			a := newTestAdapter(t, eng, newClock(now), Options{OnSignatureFailure: func() { fails++ }})
			w := serve(a, tt.req())
			a.bg.Wait()
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d (%s)", w.Code, tt.status, strings.TrimSpace(w.Body.String()))
			}
			if got := eng.calls.Load(); got != tt.runs {
				t.Errorf("engine ran %d times, want %d", got, tt.runs)
			}
			if fails != tt.fails {
				t.Errorf("OnSignatureFailure called %d times, want %d", fails, tt.fails)
			}
			if tt.status == 200 {
				p := decodeWire(t, w.Body.Bytes())
				if p.ResponseType != ephemeral || p.Text == "" {
					t.Errorf("reply: response_type %q, text %q; want a private reply with text", p.ResponseType, p.Text)
				}
			}
		})
	}
}

// TestReplayWithinWindowRunsOnce: a validly signed command replayed any
// time while its signature is valid does not run again; the memory of
// signatures forgets them once they expire.
func TestReplayWithinWindowRunsOnce(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{})
	body := commandBody("/stance", "poland", "U1", "")
	req := func() *http.Request { return signedRequest("/slack/commands", body, time.Unix(1_760_000_000, 0)) }
	if w := serve(a, req()); w.Code != 200 || w.Body.Len() == 0 {
		t.Fatalf("first: %d", w.Code)
	}
	for _, later := range []time.Duration{7 * time.Second, time.Minute, 4*time.Minute + 59*time.Second} {
		clock.Advance(time.Unix(1_760_000_000, 0).Add(later).Sub(clock.Now()))
		if w := serve(a, req()); w.Code != 200 || w.Body.Len() != 0 {
			t.Fatalf("replayed %v later: %d, %d bytes", later, w.Code, w.Body.Len())
		}
	}
	if n := eng.calls.Load(); n != 1 {
		t.Fatalf("the command ran %d times", n)
	}
	clock.Advance(time.Unix(1_760_000_000, 0).Add(5*time.Minute + 2*time.Second).Sub(clock.Now()))
	if w := serve(a, req()); w.Code != http.StatusUnauthorized {
		t.Fatalf("after the window: %d, want 401 (stale)", w.Code)
	}
}

// TestReplayedEventIgnored: a validly signed event callback replayed
// while its signature is valid gets an empty 200, like a replayed command,
// and is not answered again.
func TestReplayedEventIgnored(t *testing.T) {
	clock := newClock(time.Now())
	api := newFakeChatAPI(t)
	a, eng := newEventsAdapter(t, api, clock, nil)
	at := clock.Now()
	body := `{"token":"x","challenge":"c1","type":"url_verification"}`
	if w := serve(a, signedJSON(body, at, 0)); w.Code != 200 || !strings.Contains(w.Body.String(), "c1") {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	clock.Advance(time.Minute)
	if w := serve(a, signedJSON(body, at, 0)); w.Code != 200 || w.Body.Len() != 0 {
		t.Fatalf("replayed a minute later: %d %q", w.Code, w.Body)
	}
	if n := eng.calls.Load(); n != 0 {
		t.Fatalf("the engine ran %d times", n)
	}
}

// TestReplayMemoryIsBounded: a flood of distinct valid signatures is
// never refused; the memory holds at most maxReplay of them, the newest
// always, and a replay of a recent one is still caught.
func TestReplayMemoryIsBounded(t *testing.T) {
	r := newReplays()
	now := time.Unix(1_760_000_000, 0)
	var sig [32]byte
	for i := range 3 * maxReplay {
		binary.LittleEndian.PutUint64(sig[:], uint64(i)+1)
		if err := r.first(sig, now); err != nil {
			t.Fatalf("request %d refused: %v", i, err)
		}
	}
	if n := r.seen.Len(); n > maxReplay {
		t.Errorf("%d signatures held; want at most %d", n, maxReplay)
	}
	binary.LittleEndian.PutUint64(sig[:], 3*maxReplay)
	if err := r.first(sig, now.Add(4*time.Minute)); !errors.Is(err, errReplayed) {
		t.Errorf("replay of the newest signature: %v", err)
	}
}

func TestRefusalLogIsSampled(t *testing.T) {
	s := &logSampler{interval: time.Minute, burst: 10}
	now := time.Unix(1_760_000_000, 0)
	logged := 0
	for i := range 50_000 {
		if ok, _ := s.allow(now.Add(time.Duration(i) * time.Millisecond)); ok {
			logged++
		}
	}
	if logged != 10 {
		t.Fatalf("%d lines for 50,000 refusals in 50s, want 10", logged)
	}
	ok, suppressed := s.allow(now.Add(time.Minute))
	if !ok || suppressed != 49_990 {
		t.Fatalf("next minute: %v, says %d not logged", ok, suppressed)
	}
}
