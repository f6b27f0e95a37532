package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestAskExitCodes(t *testing.T) {
	t.Parallel() // beside the tests that wait
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"ask", "/stance poland"}, exitOK, "Poland"},
		{[]string{"ask", "/stance", "poland"}, exitOK, "Sources"},
		{[]string{"ask", "/stance narnia"}, exitOK, "No actor by that name"},
		{[]string{"ask", "/frobnicate"}, exitOK, "What I can do"},
		{[]string{"ask", "--format", "json", "/stance uk"}, exitOK, `"outcome": "ok"`},
		{[]string{"ask"}, exitBadUsage, ""},
		{[]string{"ask", "--format", "xml", "/help"}, exitBadUsage, ""},
		{[]string{"ask", "--nope", "/help"}, exitBadUsage, ""},
		{[]string{"ask", "--briefs", "../../briefs/testdata/broken/empty-brief", "/help"}, exitFailure, ""},
		{[]string{"frobnicate"}, exitBadUsage, ""},
		{[]string{}, exitBadUsage, ""},
		{[]string{"version"}, exitOK, "briefbot"},
	} {
		code, out, errOut := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%q: exit %d (want %d), stdout %.200q, stderr %.300q", tc.args, code, tc.code, out, errOut)
		}
	}
}

func TestAskJSON(t *testing.T) {
	code, out, _ := runCLI("ask", "--format", "json", "/stance poland")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var r struct {
		Title    string `json:"title"`
		Sources  []any  `json:"sources"`
		Sections []any  `json:"sections"`
		AsOf     string `json:"as_of"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Title == "" || len(r.Sources) == 0 || len(r.Sections) == 0 || r.AsOf == "" {
		t.Errorf("incomplete JSON reply: %+v", r)
	}
}

func TestCheck(t *testing.T) {
	if code, out, errOut := runCLI("check", "--coverage"); code != exitOK || !strings.Contains(out, "coverage:") {
		t.Fatalf("shipped briefs: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut := runCLI("check", "--briefs", "../../briefs/testdata/broken/quote-not-verbatim")
	if code != exitFailure || !strings.Contains(errOut, "quote-not-verbatim/actors/poland.yaml:10: claim \"poland-no-troops\": quote does not appear verbatim") {
		t.Fatalf("broken brief: exit %d, stderr %s", code, errOut)
	}
	// Briefs citing a document the embedded corpus lacks: one problem,
	// and one hint to name the corpus.
	code, _, errOut = runCLI("check", "--briefs", "../../briefs/testdata/broken/missing-document-cited-twice")
	if code != exitFailure || strings.Count(errOut, "d999") != 2 || strings.Count(errOut, "--corpus DIR") != 1 {
		t.Errorf("missing document: exit %d, stderr:\n%s", code, errOut)
	}
}

// TestDiscordRegistrationHasDigest: registration carries the whole table;
// /digest (preview, list) is for every member, /digest-manage (subscribe,
// unsubscribe) only for members who can manage channels, and nothing else
// is limited.
func TestDiscordRegistrationHasDigest(t *testing.T) {
	code, out, errOut := runCLI("discord", "register", "--print")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var cmds []struct {
		Name        string  `json:"name"`
		Permissions *string `json:"default_member_permissions"`
		Options     []struct {
			Name    string `json:"name"`
			Choices []struct {
				Value string `json:"value"`
			} `json:"choices"`
		} `json:"options"`
	}
	if err := json.Unmarshal([]byte(out), &cmds); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]string{"digest": "preview list managers", "digest-manage": "subscribe unsubscribe managers"}
	for _, c := range cmds {
		var actions []string
		for _, o := range c.Options {
			if o.Name == "action" {
				for _, ch := range o.Choices {
					actions = append(actions, ch.Value)
				}
			}
		}
		switch perm := c.Permissions; {
		case c.Name == "digest-manage" && (perm == nil || *perm != "16"):
			t.Errorf("/digest-manage default_member_permissions = %v, want Manage Channels (16)", perm)
		case c.Name != "digest-manage" && perm != nil:
			t.Errorf("/%s default_member_permissions = %s: hidden from members", c.Name, *perm)
		}
		if w, ok := want[c.Name]; ok {
			if got := strings.Join(actions, " "); got != w {
				t.Errorf("/%s actions %q, want %q", c.Name, got, w)
			}
			delete(want, c.Name)
		}
	}
	if len(want) != 0 {
		t.Errorf("not registered: %v\n%s", want, out)
	}
}
