package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/store"
)

func TestAuditSubcommand(t *testing.T) {
	dir := t.TempDir()
	st, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, e := range []bot.AuditEntry{
		{At: now.Add(-48 * time.Hour), Action: bot.AuditShare, Platform: "slack", Channel: "C1", User: "U1", Command: "/stance poland"},
		{At: now.Add(-time.Hour), Action: bot.AuditShare, Platform: "discord", Channel: "300", User: "200", Command: "/timeline", MessageID: "900"},
		{At: now.Add(-time.Minute), Action: bot.AuditShare, Platform: "slack", Channel: "C2", User: "U2", Command: "/matrix"},
	} {
		if err := st.Audit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	audit := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"audit"}, args...), env{stdout: &out, stderr: &errb,
			getenv: func(k string) string {
				if k == "BRIEFBOT_DATA_DIR" {
					return dir
				}
				return ""
			}})
		return code, out.String(), errb.String()
	}
	code, out, errs := audit("--since", "24h")
	if code != exitOK || strings.Contains(out, "/stance poland") || !strings.Contains(out, "discord:300") || !strings.Contains(out, "/matrix") {
		t.Errorf("--since 24h: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "ASKED BY") || !strings.Contains(out, "900") {
		t.Errorf("no header or message id:\n%s", out)
	}
	code, out, _ = audit("--since", now.Add(-72*time.Hour).Format("2006-01-02"), "--channel", "slack:C1", "--format", "json")
	if code != exitOK || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"user":"U1"`) || !strings.Contains(out, `"command":"/stance poland"`) {
		t.Errorf("--channel slack:C1 --format json: exit %d\n%s", code, out)
	}
	if code, _, errs := audit("--since", "last tuesday"); code != exitBadUsage || !strings.Contains(errs, "--since") {
		t.Errorf("a bad --since: exit %d, %q", code, errs)
	}
}
