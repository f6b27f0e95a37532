package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

// AuditStore keeps the audit log and each channel's managers beside the
// ledger; *store.DB is one.
type AuditStore interface {
	digest.Store
	Audit(ctx context.Context, e bot.AuditEntry) error
	AuditLog(ctx context.Context, since time.Time, channel string, limit int) ([]bot.AuditEntry, error)
	AddManager(ctx context.Context, platform, channel, user, by string, now time.Time) (bool, error)
	RemoveManager(ctx context.Context, platform, channel, user string) (bool, error)
	Managers(ctx context.Context, platform, channel string) ([]string, error)
}

// RunAudit runs the audit-log and channel-manager tests against the
// stores open makes (each empty).
func RunAudit(t *testing.T, open func(t *testing.T) AuditStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s AuditStore)
	}{
		{"AuditShares", testAuditShares},
		{"AuditDigestPosts", testAuditDigestPosts},
		{"AuditPrunedWithLedger", testAuditPruned},
		{"ChannelManagers", testChannelManagers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

func mustAudit(t *testing.T, s AuditStore, e bot.AuditEntry) {
	t.Helper()
	if err := s.Audit(ctx, e); err != nil {
		t.Fatalf("Audit(%+v): %v", e, err)
	}
}

func auditLog(t *testing.T, s AuditStore, since time.Time, channel string, limit int) []bot.AuditEntry {
	t.Helper()
	es, err := s.AuditLog(ctx, since, channel, limit)
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	return es
}

func testAuditShares(t *testing.T, s AuditStore) {
	for i, e := range []bot.AuditEntry{
		{Platform: "slack", Channel: "C1", User: "U1", Command: "/stance acme"},
		{Platform: "discord", Channel: "300", User: "200", Command: "/timeline", MessageID: "900"},
		{Platform: "slack", Channel: "C2", User: "U2", Command: "/matrix"},
	} {
		e.At, e.Action = base.Add(time.Duration(i)*time.Minute), bot.AuditShare
		mustAudit(t, s, e)
	}
	all := auditLog(t, s, time.Time{}, "", 100)
	if len(all) != 3 || all[0].Command != "/stance acme" || all[2].Channel != "C2" {
		t.Fatalf("log %+v, want the three shares oldest first", all)
	}
	if d := all[1]; d.Platform != "discord" || d.User != "200" || d.MessageID != "900" || !d.At.Equal(base.Add(time.Minute)) || d.Action != bot.AuditShare {
		t.Errorf("entry read back as %+v", d)
	}
	if got := auditLog(t, s, base.Add(time.Minute), "", 100); len(got) != 2 {
		t.Errorf("since: %d entries, want 2", len(got))
	}
	if got := auditLog(t, s, time.Time{}, "slack:C1", 100); len(got) != 1 || got[0].User != "U1" {
		t.Errorf("channel slack:C1: %+v", got)
	}
	if got := auditLog(t, s, time.Time{}, "300", 100); len(got) != 1 || got[0].Platform != "discord" {
		t.Errorf("channel 300 on any platform: %+v", got)
	}
	if got := auditLog(t, s, time.Time{}, "discord:C1", 100); len(got) != 0 {
		t.Errorf("channel discord:C1: %+v, want none", got)
	}
	if got := auditLog(t, s, time.Time{}, "", 2); len(got) != 2 || got[1].Channel != "C2" {
		t.Errorf("limit 2: %+v, want the two newest, oldest first", got)
	}
}

func testAuditDigestPosts(t *testing.T, s AuditStore) {
	sub := digest.Subscription{ID: "k7m2qa", Platform: "slack", Channel: "C9", Kind: "overview", At: "08:30", Zone: "UTC", CreatedBy: "U7", Created: base}
	if err := s.AddSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	for _, k := range []digest.SlotKey{key("sub:k7m2qa", "slack:C9", base), key("schedule:morning", "discord:300", base)} {
		mustClaim(t, s, k, "a", base)
		if err := s.Posted(ctx, k, "a", "ts-"+k.Job, base.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	// A post by an instance that lost the slot is not recorded.
	k := key("schedule:evening", "slack:C9", base)
	mustClaim(t, s, k, "a", base)
	if err := s.Posted(ctx, k, "b", "ts-x", base); err == nil {
		t.Fatal("Posted by a non-owner succeeded")
	}
	got := auditLog(t, s, time.Time{}, "", 100)
	if len(got) != 2 {
		t.Fatalf("%d audit entries, want 2: %+v", len(got), got)
	}
	for _, e := range got {
		if e.Action != bot.AuditDigest || !e.At.Equal(base.Add(time.Second)) {
			t.Errorf("entry %+v", e)
		}
		switch e.Command {
		case "sub:k7m2qa":
			if e.Platform != "slack" || e.Channel != "C9" || e.User != "U7" || e.MessageID != "ts-sub:k7m2qa" {
				t.Errorf("subscription post %+v, want who subscribed (U7) and the message", e)
			}
		case "schedule:morning":
			if e.Platform != "discord" || e.Channel != "300" || e.User != "" || e.MessageID != "ts-schedule:morning" {
				t.Errorf("scheduled post %+v", e)
			}
		default:
			t.Errorf("unexpected entry %+v", e)
		}
	}
}

func testAuditPruned(t *testing.T, s AuditStore) {
	for d := range 4 {
		mustAudit(t, s, bot.AuditEntry{At: base.Add(time.Duration(d) * 24 * time.Hour), Action: bot.AuditShare, Platform: "slack", Channel: "C1", User: "U1", Command: "/help"})
	}
	if _, err := s.Prune(ctx, base.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := auditLog(t, s, time.Time{}, "", 100); len(got) != 2 || !got[0].At.Equal(base.Add(48*time.Hour)) {
		t.Errorf("after pruning: %+v, want the two newest", got)
	}
}

func testChannelManagers(t *testing.T, s AuditStore) {
	for _, u := range []string{"U1", "U2", "U1"} {
		if _, err := s.AddManager(ctx, "slack", "C1", u, "U0", base); err != nil {
			t.Fatal(err)
		}
	}
	if added, _ := s.AddManager(ctx, "slack", "C1", "U2", "U0", base); added {
		t.Error("adding a manager twice reported a new one")
	}
	if _, err := s.AddManager(ctx, "slack", "C2", "U3", "U0", base); err != nil {
		t.Fatal(err)
	}
	got, err := s.Managers(ctx, "slack", "C1")
	if err != nil || len(got) != 2 || got[0] != "U1" || got[1] != "U2" {
		t.Fatalf("Managers(C1) = %v, %v; want [U1 U2]", got, err)
	}
	if got, _ := s.Managers(ctx, "discord", "C1"); len(got) != 0 {
		t.Errorf("another platform's channel has managers %v", got)
	}
	if removed, err := s.RemoveManager(ctx, "slack", "C1", "U1"); err != nil || !removed {
		t.Fatalf("RemoveManager = %v, %v", removed, err)
	}
	if removed, _ := s.RemoveManager(ctx, "slack", "C1", "U1"); removed {
		t.Error("removed a manager twice")
	}
	if got, _ := s.Managers(ctx, "slack", "C1"); len(got) != 1 || got[0] != "U2" {
		t.Errorf("after removal: %v", got)
	}
}
