package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

func TestHTTPPing(t *testing.T) {
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, newFakeDiscord(t).srv.URL)
	w := serve(a, k.signed(pingJSON("1"), time.Now()))
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"type":1}` {
		t.Fatalf("PING: %d %s, want 200 {\"type\":1}", w.Code, w.Body)
	}
	if c.n.Load() != 0 {
		t.Errorf("PING ran %d commands", c.n.Load())
	}
}

// argsFor maps an example such as "/compare france germany" onto the
// command's arguments, the last taking the remaining words.
func argsFor(cmd bot.Command, example string) []opt {
	words := strings.Fields(example)[1:]
	var out []opt
	for i, a := range cmd.Args {
		if len(words) == 0 {
			break
		}
		v := words[0]
		words = words[1:]
		if i == len(cmd.Args)-1 {
			v = strings.Join(append([]string{v}, words...), " ")
		}
		out = append(out, opt{Name: a.Name, Type: 3, Value: v})
	}
	return out
}

func TestHTTPEveryCommand(t *testing.T) {
	var c counter
	k := newTestKey(t)
	e := shippedEngine(t, &c)
	fake := newFakeDiscord(t)
	a := newHTTPAdapter(t, e, k, fake.srv.URL)
	n := 0
	for _, cmd := range e.Commands() {
		cases := map[string][]opt{"/" + cmd.Name: nil}
		for _, ex := range cmd.Examples {
			cases[ex] = argsFor(cmd, ex)
		}
		for text, opts := range cases {
			n++
			before := c.n.Load()
			calls := len(fake.all())
			w := serve(a, k.signed(commandJSON(fmt.Sprintf("every%d", n), 2, cmd.Name, 0, opts...), time.Now()))
			if w.Code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", text, w.Code, w.Body)
			}
			if got := c.n.Load() - before; got != 1 {
				t.Errorf("%s: engine ran %d times, want 1", text, got)
			}
			d := decode(t, w.Body.Bytes())
			want := render(e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: text}))
			if len(want[0].Files) > 0 {
				// A picture comes with the edit of a deferred response.
				if d.Type != 5 || d.Data.Flags&64 == 0 {
					t.Errorf("%s: type %d, flags %d; want an ephemeral deferral", text, d.Type, d.Data.Flags)
				}
				edit := fake.waitCalls(t, calls+1)[calls]
				if edit.Method != http.MethodPatch || !strings.HasSuffix(edit.Path, "/messages/@original") {
					t.Fatalf("%s: %s %s, want the edit of the original response", text, edit.Method, edit.Path)
				}
				var files map[string][]byte
				d, files = decodeMultipart(t, edit)
				if img := files[want[0].Files[0].Name]; !bytes.HasPrefix(img, []byte("\x89PNG")) {
					t.Errorf("%s: no PNG %q attached (files %d)", text, want[0].Files[0].Name, len(files))
				}
				calls++
			} else if d.Type != 4 || len(d.Data.Embeds) == 0 || d.Data.Flags&64 == 0 {
				t.Errorf("%s: type %d, %d embeds, flags %d; want an ephemeral message", text, d.Type, len(d.Data.Embeds), d.Data.Flags)
			}
			checkNoMentions(t, text, d)
			last := d
			if len(want) > 1 {
				got := fake.waitCalls(t, calls+len(want)-1)[calls:]
				for i, f := range got {
					if f.Method != http.MethodPost || f.Path != "/api/v9/webhooks/100000000000000001/tok-every"+fmt.Sprint(n) {
						t.Errorf("%s: follow-up %d: %s %s", text, i, f.Method, f.Path)
					}
					last = decode(t, []byte(`{"data":`+string(f.Body)+`}`))
					checkNoMentions(t, text+" follow-up", last)
					if last.Data.Flags&64 == 0 {
						t.Errorf("%s: follow-up %d is not ephemeral", text, i)
					}
				}
			}
			r := e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: text})
			if hasButton := len(last.Data.Components) > 0; hasButton != (r.Outcome == bot.OutcomeOK && !cmd.Manage) {
				t.Errorf("%s: outcome %s, Share button %v", text, r.Outcome, hasButton)
			}
		}
	}
}

func checkNoMentions(t *testing.T, what string, d decoded) {
	t.Helper()
	am := d.Data.AllowedMentions
	if am == nil || am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 {
		t.Errorf("%s: allowed_mentions %+v, want an empty parse list", what, am)
	}
}

func TestHTTPCommandOptionsInTableOrder(t *testing.T) {
	k := newTestKey(t)
	e := shippedEngine(t, nil)
	a := newHTTPAdapter(t, e, k, newFakeDiscord(t).srv.URL)
	// Discord may send options in any order; the command line follows the table.
	body := commandJSON("ord1", 2, "compare", 0, opt{Name: "other", Type: 3, Value: "germany"}, opt{Name: "actor", Type: 3, Value: "france"})
	w := serve(a, k.signed(body, time.Now()))
	if !contains(w.Body.Bytes(), "France and Germany compared") {
		t.Errorf("compare answered %s", w.Body)
	}
}

func TestHTTPAutocomplete(t *testing.T) {
	var c counter
	k := newTestKey(t)
	e := shippedEngine(t, &c)
	a := newHTTPAdapter(t, e, k, newFakeDiscord(t).srv.URL)
	for _, tc := range []struct {
		cmd, arg, typed, want string
	}{
		{"stance", "actor", "pol", "poland"},
		{"stance", "actor", "brit", "united-kingdom"},
		{"who", "person", "zelen", ""},
		{"guarantees", "option", "air", ""},
		{"help", "command", "sta", "stance"},
		{"compare", "other", "germ", "germany"},
	} {
		body := commandJSON("ac-"+tc.cmd+tc.typed, 4, tc.cmd, 0, opt{Name: tc.arg, Type: 3, Value: tc.typed, Focused: true})
		w := serve(a, k.signed(body, time.Now()))
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: status %d", tc.cmd, tc.typed, w.Code)
		}
		d := decode(t, w.Body.Bytes())
		if d.Type != 8 || len(d.Data.Choices) == 0 || len(d.Data.Choices) > 25 {
			t.Errorf("%s %q: type %d, %d choices", tc.cmd, tc.typed, d.Type, len(d.Data.Choices))
			continue
		}
		if tc.want != "" && d.Data.Choices[0].Value != tc.want {
			t.Errorf("%s %q: first choice %+v, want %s", tc.cmd, tc.typed, d.Data.Choices[0], tc.want)
		}
		for _, ch := range d.Data.Choices {
			if len(ch.Name) == 0 || size(ch.Name) > 100 || size(ch.Value) > 100 {
				t.Errorf("%s: choice %+v out of Discord's limits", tc.cmd, ch)
			}
		}
	}
	// Nothing matches: an empty list, not a missing one.
	w := serve(a, k.signed(commandJSON("ac-none", 4, "stance", 0, opt{Name: "actor", Type: 3, Value: "zzzzqqq", Focused: true}), time.Now()))
	if !contains(w.Body.Bytes(), `"choices":[]`) {
		t.Errorf("no match: %s", w.Body)
	}
	if c.n.Load() != 0 {
		t.Errorf("autocomplete ran %d commands", c.n.Load())
	}
}

func TestHTTPShareButton(t *testing.T) {
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, newFakeDiscord(t).srv.URL)
	w := serve(a, k.signed(commandJSON("sh1", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "poland"}), time.Now()))
	d := decode(t, w.Body.Bytes())
	customID := shareCustomID(t, d)
	if customID != "share:/stance poland" {
		t.Errorf("custom id %q", customID)
	}
	w = serve(a, k.signed(buttonJSON("sh2", customID), time.Now()))
	if w.Code != http.StatusOK {
		t.Fatalf("share: %d %s", w.Code, w.Body)
	}
	shared := decode(t, w.Body.Bytes())
	if shared.Type != 4 || shared.Data.Flags&64 != 0 {
		t.Errorf("share: type %d flags %d, want a public message", shared.Type, shared.Data.Flags)
	}
	if len(shared.Data.Components) != 0 {
		t.Error("shared message has a button again")
	}
	if shared.Data.Content != "Shared by <@200000000000000002>" {
		t.Errorf("share content %q", shared.Data.Content)
	}
	checkNoMentions(t, "share", shared)
	if string(shared.Data.Embeds[0]) != string(d.Data.Embeds[0]) {
		t.Error("shared answer differs from the private one")
	}
	if c.n.Load() != 2 {
		t.Errorf("engine ran %d times, want 2", c.n.Load())
	}
	// An unknown or expired button answers privately, running nothing.
	w = serve(a, k.signed(buttonJSON("sh3", "sharekey:NOPE"), time.Now()))
	if d := decode(t, w.Body.Bytes()); d.Data.Flags&64 == 0 || c.n.Load() != 2 {
		t.Errorf("expired button: flags %d, %d runs", d.Data.Flags, c.n.Load())
	}
}

func TestHTTPShareLongCommand(t *testing.T) {
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, nil), k, newFakeDiscord(t).srv.URL)
	// Trailing spaces make the text too long for a custom id; the engine
	// ignores them.
	id := shareID(a.shares, "/stance poland"+strings.Repeat(" ", 120), time.Now())
	if len(id) > maxCustomID || !strings.HasPrefix(id, shareKeyMark) {
		t.Fatalf("long share id %q", id)
	}
	w := serve(a, k.signed(buttonJSON("sl1", id), time.Now()))
	if !contains(w.Body.Bytes(), "Poland") {
		t.Errorf("stored share did not answer: %s", w.Body)
	}
}

func TestHTTPRefusals(t *testing.T) {
	var c counter
	k := newTestKey(t)
	other := newTestKey(t)
	failures := 0
	a, err := New(shippedEngine(t, &c), Options{Mode: ModeHTTP, AppID: "1", PublicKey: k.hex(),
		OnSignatureFailure: func() { failures++ }})
	if err != nil {
		t.Fatal(err)
	}
	body := commandJSON("r1", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "poland"})
	now := time.Now()
	for _, tc := range []struct {
		name    string
		req     func() *http.Request
		status  int
		sigFail bool
	}{
		{"bad signature", func() *http.Request { return other.signed(body, now) }, 401, true},
		{"signature for another body", func() *http.Request {
			r := k.signed(pingJSON("x"), now)
			signed := k.signed(body, now)
			signed.Header.Set("X-Signature-Ed25519", r.Header.Get("X-Signature-Ed25519"))
			return signed
		}, 401, true},
		{"missing signature", func() *http.Request {
			r := k.signed(body, now)
			r.Header.Del("X-Signature-Ed25519")
			return r
		}, 401, true},
		{"missing timestamp", func() *http.Request {
			r := k.signed(body, now)
			r.Header.Del("X-Signature-Timestamp")
			return r
		}, 401, true},
		{"signature not hex", func() *http.Request {
			r := k.signed(body, now)
			r.Header.Set("X-Signature-Ed25519", strings.Repeat("zz", 64))
			return r
		}, 401, true},
		{"stale timestamp", func() *http.Request { return k.signed(body, now.Add(-time.Hour)) }, 401, true},
		{"oversized body", func() *http.Request {
			return k.signed(bytes.Repeat([]byte(" "), maxBody+1), now)
		}, 413, false},
		{"malformed JSON", func() *http.Request { return k.signed([]byte(`{"id":"1","type":2,`), now) }, 400, false},
		{"JSON of the wrong shape", func() *http.Request { return k.signed([]byte(`{"id":7,"type":"x"}`), now) }, 400, false},
		{"no id", func() *http.Request { return k.signed([]byte(`{"type":2,"token":"t","data":{"name":"stance"}}`), now) }, 400, false},
		{"data of the wrong shape", func() *http.Request {
			return k.signed([]byte(`{"id":"9","type":2,"token":"t","data":[1,2,3]}`), now)
		}, 400, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := failures
			w := serve(a, tc.req())
			if w.Code != tc.status {
				t.Errorf("status %d, want %d (%s)", w.Code, tc.status, w.Body)
			}
			if c.n.Load() != 0 {
				t.Errorf("a command ran")
			}
			if got := failures - before; tc.sigFail && got != 1 {
				t.Errorf("signature failure reported %d times", got)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Errorf("error body is not JSON: %s", w.Body)
			}
		})
	}
}

func TestHTTPDuplicateAnsweredOnce(t *testing.T) {
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, newFakeDiscord(t).srv.URL)
	body := commandJSON("dup1", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "poland"})
	first := serve(a, k.signed(body, time.Now()))
	second := serve(a, k.signed(body, time.Now()))
	if first.Code != 200 || second.Code != http.StatusConflict {
		t.Errorf("statuses %d then %d, want 200 then 409", first.Code, second.Code)
	}
	if c.n.Load() != 1 {
		t.Errorf("engine ran %d times, want 1", c.n.Load())
	}
}

func TestHTTPManagePermission(t *testing.T) {
	var got []bot.Request
	manage := bot.Command{Name: "settings", Summary: "Change settings", Manage: true,
		Run: func(_ context.Context, req bot.Request, _ string) *bot.Reply {
			got = append(got, req)
			return &bot.Reply{Outcome: bot.OutcomeOK, Title: "ok", Private: true}
		}}
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, nil, manage), k, newFakeDiscord(t).srv.URL)
	serve(a, k.signed(commandJSON("m1", 2, "settings", 0), time.Now()))
	w := serve(a, k.signed(commandJSON("m2", 2, "settings", 1<<4), time.Now()))
	serve(a, k.signed(commandJSON("m3", 2, "settings", 1<<3), time.Now()))
	if len(got) != 3 || got[0].CanManage || !got[1].CanManage || !got[2].CanManage {
		t.Fatalf("CanManage: %+v", got)
	}
	if got[0].ManageHint == "" || got[1].UserID != "200000000000000001" || got[1].ChannelID != "300000000000000001" {
		t.Errorf("request %+v", got[1])
	}
	if d := decode(t, w.Body.Bytes()); len(d.Data.Components) != 0 {
		t.Error("an answer that changes settings offers Share")
	}
}

func shareCustomID(t *testing.T, d decoded) string {
	t.Helper()
	return buttonCustomID(t, d, "Share in channel")
}

// buttonCustomID is the custom id of the button with the given label.
func buttonCustomID(t *testing.T, d decoded, label string) string {
	t.Helper()
	if len(d.Data.Components) == 0 {
		t.Fatalf("no %s button", label)
	}
	var row struct {
		Components []struct {
			CustomID string `json:"custom_id"`
			Label    string `json:"label"`
		} `json:"components"`
	}
	if err := json.Unmarshal(d.Data.Components[len(d.Data.Components)-1], &row); err != nil || len(row.Components) == 0 {
		t.Fatalf("components: %v", err)
	}
	for _, b := range row.Components {
		if b.Label == label {
			return b.CustomID
		}
	}
	t.Fatalf("no %s button among %+v", label, row.Components)
	return ""
}
