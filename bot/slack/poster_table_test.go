package slack

import (
	"encoding/json"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// TestPosterSendsTableBlockWithMetadata: the matrix digest goes out with
// its table block, as /matrix does, and each of its messages carries the
// mark as metadata.
func TestPosterSendsTableBlockWithMetadata(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p := testPoster(t, api)
	r, _, err := shippedEngine(t).Digest(bot.DigestMatrix, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts := p.Parts(r)
	for part := range parts {
		m := testMark
		m.Part = part
		if _, err := p.Send(t.Context(), "C1", r, m); err != nil {
			t.Fatalf("part %d: %v", part, err)
		}
	}
	calls := api.calls()
	if len(calls) != parts {
		t.Fatalf("%d requests for %d messages", len(calls), parts)
	}
	tables := 0
	for i, c := range calls {
		for _, b := range c.Blocks {
			if b.Type == "table" {
				tables++
				if len(b.Rows) < 2 || b.Rows[0][0].text() == "" {
					t.Errorf("message %d: a table block of %d rows", i, len(b.Rows))
				}
			}
		}
		var md struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		if err := json.Unmarshal([]byte(api.meta[i]), &md); err != nil || md.EventType != markEventType ||
			md.EventPayload["key"] != testMark.Key || md.EventPayload["part"] != float64(i) {
			t.Errorf("message %d: metadata %s (%v)", i, api.meta[i], err)
		}
	}
	if tables != 1 {
		t.Errorf("%d table blocks in the matrix digest, want 1", tables)
	}
}
