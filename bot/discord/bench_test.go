package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/seen"
)

// BenchmarkHTTPStancePoland answers a signed /stance poland through the
// interactions endpoint: read the body, verify the Ed25519 signature,
// check the id is new, decode, run the engine, render the embeds and
// encode the response.
func BenchmarkHTTPStancePoland(b *testing.B) {
	k := newTestKey(b)
	a, err := New(shippedEngine(b, nil), Options{Mode: ModeHTTP, AppID: "100000000000000001", PublicKey: k.hex(), APIURL: "http://127.0.0.1:1"})
	if err != nil {
		b.Fatal(err)
	}
	h := a.Handler()
	// Every delivery needs its own id or it would be answered as a
	// duplicate, so a pool of signed requests is made up front; when it
	// is used up the de-duplication memory starts afresh.
	type signedBody struct {
		body       []byte
		sig, stamp string
	}
	pool := make([]signedBody, 5000)
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	for i := range pool {
		body := commandJSON(fmt.Sprintf("b%d", i), 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "poland"})
		pool[i] = signedBody{body, hex.EncodeToString(ed25519.Sign(k.priv, append([]byte(stamp), body...))), stamp}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(pool) {
			i = 0
			a.seen = seen.New(seenMax, seenTTL)
		}
		p := pool[i]
		i++
		r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(p.body))
		r.Header.Set("X-Signature-Ed25519", p.sig)
		r.Header.Set("X-Signature-Timestamp", p.stamp)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkDecodeInteraction decodes a slash command as Discord sends it
// (testdata/interaction-command.json: a guild member's /stance).
func BenchmarkDecodeInteraction(b *testing.B) {
	body, err := os.ReadFile("testdata/interaction-command.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeInteraction(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeInteractionDiscordgo is the same body decoded whole by
// discordgo, for comparison.
func BenchmarkDecodeInteractionDiscordgo(b *testing.B) {
	body, err := os.ReadFile("testdata/interaction-command.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var in discordgo.Interaction
		if err := json.Unmarshal(body, &in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is the Ed25519 check of one such request.
func BenchmarkVerify(b *testing.B) {
	body, err := os.ReadFile("testdata/interaction-command.json")
	if err != nil {
		b.Fatal(err)
	}
	k := newTestKey(b)
	stamp := "1760000000"
	sig := ed25519.Sign(k.priv, append([]byte(stamp), body...))
	v, err := newVerifier(k.pub)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !v.verify(sig, stamp, body) {
			b.Fatal("does not verify")
		}
	}
}

// BenchmarkVerifyStdlib is the same check with crypto/ed25519, for
// comparison.
func BenchmarkVerifyStdlib(b *testing.B) {
	body, err := os.ReadFile("testdata/interaction-command.json")
	if err != nil {
		b.Fatal(err)
	}
	k := newTestKey(b)
	stamp := "1760000000"
	msg := append([]byte(stamp), body...)
	sig := ed25519.Sign(k.priv, msg)
	for b.Loop() {
		if !ed25519.Verify(k.pub, msg, sig) {
			b.Fatal("does not verify")
		}
	}
}
