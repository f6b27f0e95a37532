package slack

import (
	"strings"
	"testing"
	"time"
)

// TestReadiness: in HTTP mode nothing connects and the adapter says it
// takes signed requests; in Socket Mode it is ready once connected; without
// a bot token it says digests cannot be posted.
func TestReadiness(t *testing.T) {
	eng := fixtureEngine(t)
	a := newTestAdapter(t, eng, newClock(time.Now()), Options{})
	if d, err := a.Readiness(); err != nil || !strings.HasPrefix(d, "http: accepting signed requests") || !strings.Contains(d, "no bot token") || strings.Contains(d, "connected") {
		t.Errorf("http mode: %q, %v", d, err)
	}
	s, err := New(eng, Options{Mode: ModeSocket, BotToken: "xoxb-test", AppToken: "xapp-test", Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Readiness(); err == nil || !strings.Contains(err.Error(), "socket mode: not connected") {
		t.Errorf("socket mode before connecting: %v", err)
	}
	s.connected.Store(true)
	if d, err := s.Readiness(); err != nil || d != "socket mode: connected" {
		t.Errorf("socket mode connected: %q, %v", d, err)
	}
}
