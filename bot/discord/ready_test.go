package discord

import (
	"strings"
	"testing"
)

// TestReadiness: over HTTP nothing connects and the adapter says it takes
// signed interactions (and, without a bot token, that digests cannot be
// posted); over the gateway it is ready once the session is up.
func TestReadiness(t *testing.T) {
	e := fixtureEngine(t, nil)
	h := newHTTPAdapter(t, e, newTestKey(t), "")
	if d, err := h.Readiness(); err != nil || !strings.HasPrefix(d, "http: accepting signed interactions") || !strings.Contains(d, "no bot token") {
		t.Errorf("http mode: %q, %v", d, err)
	}
	g := newGatewayAdapter(t, e, "")
	if _, err := g.Readiness(); err == nil || !strings.Contains(err.Error(), "gateway: not connected") {
		t.Errorf("gateway before connecting: %v", err)
	}
	markConnected(g)
	if d, err := g.Readiness(); err != nil || d != "gateway: connected" {
		t.Errorf("gateway connected: %q, %v", d, err)
	}
}
