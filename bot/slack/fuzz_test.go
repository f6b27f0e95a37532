package slack

import (
	"strings"
	"testing"
)

func FuzzDecodeCommand(f *testing.F) {
	f.Add([]byte(docBody))
	f.Add([]byte(commandBody("/stance", "poland", "U1", "https://hooks.slack.com/commands/T1/1/x")))
	f.Add([]byte("command=%2Fstance&text=%zz"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := decodeCommand(body)
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
