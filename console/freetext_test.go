package console

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFreeTextIsAsked: text that does not start with a slash is a
// question for /ask; commands still run as commands.
func TestFreeTextIsAsked(t *testing.T) {
	srv := newServer(t, Options{})
	for _, tc := range []struct{ text, command, says string }{
		{"will poland send troops?", "ask", "See /stance poland"},
		{"  what is the capital of australia", "ask", "Not covered"},
		{"/stance poland", "stance", "Poland"},
	} {
		body, _ := json.Marshal(map[string]string{"command": tc.text})
		_, raw := post(t, srv.URL+"/api/ask", "application/json", string(body))
		var r askReply
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if r.Command != tc.command || !strings.Contains(r.Text, tc.says) {
			t.Errorf("%q: command %q, text %.300s", tc.text, r.Command, r.Text)
		}
	}
}
