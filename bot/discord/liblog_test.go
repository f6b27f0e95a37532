package discord

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// syncBuffer is a bytes.Buffer safe for discordgo's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLibraryLogIsJSON: with the gateway down, discordgo's own complaint
// comes out as a JSON line at error level with where it was logged, not
// as a raw "[DG0] wsapi.go:…" line.
func TestLibraryLogIsJSON(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "ws://" + ln.Addr().String()
	ln.Close() // nothing listens there any more
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		return http.StatusOK, nil, `{"url":"` + down + `"}`
	}
	var out syncBuffer
	RouteLibraryLog(slog.New(slog.NewJSONHandler(&out, nil)))
	t.Cleanup(func() { discordgo.Logger = nil })

	client, err := newHTTPClient(fake.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession("test-token", client)
	if err := s.Open(); err == nil {
		s.Close()
		t.Fatal("opened a session to a gateway that is down")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("discordgo logged nothing about the failed connection")
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		if rec["component"] != "discordgo" || rec["level"] != "ERROR" || !strings.HasPrefix(rec["source"].(string), "wsapi.go:") {
			t.Errorf("line %v: want component discordgo, level ERROR, source wsapi.go:N", rec)
		}
		if !strings.Contains(rec["msg"].(string), "error connecting to gateway") || strings.Contains(l, "test-token") {
			t.Errorf("message %q", rec["msg"])
		}
	}
}

func TestLibraryLevels(t *testing.T) {
	var out bytes.Buffer
	log := libraryLogger(slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn})))
	log(discordgo.LogDebug, 1, "sent %s", "a packet")
	log(discordgo.LogInformational, 1, "connected\n")
	log(discordgo.LogWarning, 1, "unknown op %d\n", 7)
	log(discordgo.LogError, 1, "heartbeat lost")
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		got = append(got, rec["level"].(string)+" "+rec["msg"].(string))
	}
	want := []string{"WARN unknown op 7", "ERROR heartbeat lost"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("logged %q, want %q (below warn dropped, newlines trimmed)", got, want)
	}
}
