package slack

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzDecodeCommand(f *testing.F) {
	f.Add([]byte(docBody))
	f.Add([]byte(commandBody("/stance", "poland", "U1", "https://hooks.slack.com/commands/T1/1/x")))
	f.Add([]byte("command=%2Fstance&text=%zz"))
	f.Add([]byte(""))
	f.Add([]byte("command=%2Fstance&command=%2Fother&user_id=U1&channel_id=C1&x=%zz"))
	f.Add([]byte("command=%2Fstance&user_id=U1;&channel_id=C1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := decodeCommand(body)
		sameAsParseQuery(t, body, c, err)
		if err != nil {
			return
		}
		if !strings.HasPrefix(c.Command, "/") || c.UserID == "" || c.ChannelID == "" {
			t.Fatalf("accepted an incomplete command: %+v", c)
		}
		if c.ResponseURL != "" && !validURL(c.ResponseURL) {
			t.Fatalf("accepted response_url %q", c.ResponseURL)
		}
		if line := c.line(); !strings.HasPrefix(line, "/") {
			t.Fatalf("line %q does not start with /", line)
		}
	})
}

func FuzzDecodeInteraction(f *testing.F) {
	f.Add([]byte(shareBody("U1", "C1", "1.2", "/stance poland", "https://hooks.slack.com/actions/T1/1/x")))
	f.Add([]byte("payload=%7B%7D"))
	f.Fuzz(func(t *testing.T, body []byte) {
		s, ok, err := decodeInteraction(body)
		if err != nil || !ok {
			return
		}
		if s.UserID == "" || s.Command == "" || !validURL(s.ResponseURL) {
			t.Fatalf("accepted an incomplete share: %+v", s)
		}
	})
}

// sameAsParseQuery checks decodeCommand against url.ParseQuery: the same
// bodies refused, the same fields read.
func sameAsParseQuery(t *testing.T, body []byte, c command, err error) {
	t.Helper()
	v, perr := url.ParseQuery(string(body))
	if perr != nil {
		if err == nil {
			t.Fatalf("url.ParseQuery refuses %q (%v); decodeCommand accepted it", body, perr)
		}
		return
	}
	want := command{Command: v.Get("command"), Text: v.Get("text"), UserID: v.Get("user_id"),
		ChannelID: v.Get("channel_id"), TeamID: v.Get("team_id"), ResponseURL: v.Get("response_url")}
	if err == nil && c != want {
		t.Fatalf("decodeCommand(%q) = %+v; url.ParseQuery reads %+v", body, c, want)
	}
	if err != nil && want.check() == nil {
		t.Fatalf("decodeCommand(%q) refused a command url.ParseQuery reads: %v", body, err)
	}
}
