package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestMetricsExported(t *testing.T) {
	m := New("v1.2.3")
	m.Command("console", "stance", "ok", 3*time.Millisecond)
	m.Command("console", "stance", "not_found", time.Millisecond)
	m.SignatureFailure("slack")
	m.SignatureFailures("discord")()
	m.Digest("slack", DigestPosted)
	m.Digest("slack", DigestSkipped)
	m.Reload(false)
	out := scrape(t, m)
	for _, want := range []string{
		`briefbot_commands_total{command="stance",outcome="ok",platform="console"} 1`,
		`briefbot_commands_total{command="stance",outcome="not_found",platform="console"} 1`,
		`briefbot_answer_seconds_count{platform="console"} 2`,
		`briefbot_signature_failures_total{platform="slack"} 1`,
		`briefbot_signature_failures_total{platform="discord"} 1`,
		`briefbot_digests_total{platform="slack",result="posted"} 1`,
		`briefbot_digests_total{platform="slack",result="skipped"} 1`,
		`briefbot_reloads_total{result="failed"} 1`,
		`briefbot_reloads_total{result="ok"} 0`,
		`briefbot_reload_last_failed 1`,
		`briefbot_build_info{go_version="`,
		`version="v1.2.3"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	m.Reload(true)
	out = scrape(t, m)
	if !strings.Contains(out, "briefbot_reload_last_failed 0") || !strings.Contains(out, `briefbot_reloads_total{result="ok"} 1`) {
		t.Errorf("after a good reload, metrics still say the last one failed:\n%s", out)
	}
}

func TestRegistriesAreIndependent(t *testing.T) {
	a, b := New("a"), New("b")
	a.SignatureFailure("slack")
	if strings.Contains(scrape(t, b), `briefbot_signature_failures_total{platform="slack"} 1`) {
		t.Error("a count made on one Metrics shows in another: the registry is shared")
	}
}
