package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefs"
)

func TestServeRefusesBadFlagsAndConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("addr: 127.0.0.1:0\nlogg:\n  level: info\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--watch"}, "--watch needs --briefs"},
		{[]string{"serve", "--console", "maybe"}, `--console "maybe"`},
		{[]string{"serve", "--config", bad}, "field logg not found"},
	} {
		code, _, stderr := runCLI(tc.args...)
		if code != exitBadUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d naming %q", tc.args, code, stderr, exitBadUsage, tc.want)
		}
	}
}

// askAPI posts a command to the console API and returns the outcome and title.
func askAPI(t *testing.T, base, command string) (outcome, title string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"command": command})
	resp, err := http.Post(base+"/api/ask", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Outcome, Title string }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("POST /api/ask %q: %v", command, err)
	}
	return r.Outcome, r.Title
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second) // generous: several processes share two cores
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestHealthMetricsAndLogs(t *testing.T) {
	base, logs := startServe(t)
	if code, body := getBody(t, base+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, body := getBody(t, base+"/readyz")
	var rep struct {
		Ready  bool
		Checks []struct {
			Name string
			OK   bool
		}
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil || code != 200 || !rep.Ready {
		t.Fatalf("/readyz: %d %s (%v)", code, body, err)
	}
	names := map[string]bool{}
	for _, c := range rep.Checks {
		names[c.Name] = c.OK
	}
	if !names["briefs"] || !names["store"] {
		t.Errorf("/readyz checks %v: want briefs and store, both ok", names)
	}

	askAPI(t, base, "/stance poland")
	askAPI(t, base, "/frobnicate secret-words")
	_, metrics := getBody(t, base+"/metrics")
	for _, want := range []string{
		`briefbot_commands_total{command="stance",outcome="ok",platform="console"} 1`,
		`briefbot_commands_total{command="none",outcome="unknown_command",platform="console"} 1`,
		`briefbot_answer_seconds_count{platform="console"} 2`,
		`briefbot_build_info{`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(metrics, "frobnicate") || strings.Contains(logs.String(), "secret-words") || strings.Contains(logs.String(), "frobnicate") {
		t.Error("what a user typed reached the metrics or the log")
	}
	if !waitLog(t, logs, "msg=command platform=console command=stance outcome=ok latency_ms=") {
		t.Errorf("no command log line:\n%s", logs)
	}
}

// writableBriefs copies the embedded briefs into a folder the test may change.
func writableBriefs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sub, err := fs.Sub(briefs.Embedded(), ".")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, sub); err != nil {
		t.Fatal(err)
	}
	return dir
}

const atlantis = `kind: actor
id: atlantis
name: Atlantis
sections:
  - heading: Air bases
    claims:
      - id: atlantis-air-bases
        text: "A claim added while the bot runs."
        cite: [d004:p25]
`

func TestWatchedFolderRefusesBadSetTakesGood(t *testing.T) {
	t.Parallel() // beside the tests that wait
	dir := writableBriefs(t)
	base, _ := startServe(t, "--briefs", dir, "--watch")

	// A bad brief: refused, the old set keeps answering, /readyz says so.
	bad := strings.Replace(atlantis, "d004:p25", "d004:p9999", 1)
	if err := os.WriteFile(filepath.Join(dir, "actors", "atlantis.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "/readyz to report the refused reload", func() bool {
		_, body := getBody(t, base+"/readyz")
		return strings.Contains(body, "last reload (watch")
	})
	code, body := getBody(t, base+"/readyz")
	if code != 200 || !strings.Contains(body, "atlantis.yaml") {
		t.Errorf("after a refused reload /readyz answered %d %s; want 200 naming the file", code, body)
	}
	if outcome, _ := askAPI(t, base, "/stance poland"); outcome != "ok" {
		t.Errorf("the old set stopped answering: %s", outcome)
	}
	if outcome, _ := askAPI(t, base, "/stance atlantis"); outcome != "not_found" {
		t.Errorf("the refused brief is being served: %s", outcome)
	}
	if _, m := getBody(t, base+"/metrics"); !strings.Contains(m, `briefbot_reloads_total{result="failed"}`) || !strings.Contains(m, "briefbot_reload_last_failed 1") {
		t.Error("/metrics does not count the refused reload")
	}

	// The fixed brief goes live without a restart.
	if err := os.WriteFile(filepath.Join(dir, "actors", "atlantis.yaml"), []byte(atlantis), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the fixed brief to go live", func() bool {
		outcome, _ := askAPI(t, base, "/stance atlantis")
		return outcome == "ok"
	})
	if _, body := getBody(t, base+"/readyz"); strings.Contains(body, "notes") {
		t.Errorf("/readyz still reports a failure after a good reload: %s", body)
	}
}

func TestSIGHUPReloads(t *testing.T) {
	dir := writableBriefs(t)
	base, logs := startServe(t, "--briefs", dir)
	if err := os.WriteFile(filepath.Join(dir, "actors", "atlantis.yaml"), []byte(atlantis), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if outcome, _ := askAPI(t, base, "/stance atlantis"); outcome != "not_found" {
		t.Fatalf("without --watch the change went live before SIGHUP: %s", outcome)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, "SIGHUP to load the new brief", func() bool {
		outcome, _ := askAPI(t, base, "/stance atlantis")
		return outcome == "ok"
	})
	if !waitLog(t, logs, "msg=reloaded") || !waitLog(t, logs, "trigger=sighup") {
		t.Errorf("the reload was not logged:\n%s", logs)
	}
}

// TestSignatureFailuresCounted: forged requests to both platforms' HTTP
// endpoints are refused with 401 and counted per platform in /metrics.
// testPublicKey is a valid Ed25519 public key (RFC 8032's first test
// vector) whose private key the tests do not use.
const testPublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

func TestSignatureFailuresCounted(t *testing.T) {
	base, _ := startServeEnv(t, map[string]string{
		"SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
		"DISCORD_APP_ID":       "123",
		"DISCORD_PUBLIC_KEY":   testPublicKey,
	})
	forge := func(path, ctype string, headers map[string]string) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader("command=%2Fstance&text=poland"))
		req.Header.Set("Content-Type", ctype)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("forged POST %s: %d, want 401", path, resp.StatusCode)
		}
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	forge("/slack/commands", "application/x-www-form-urlencoded", map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + strings.Repeat("0", 64)})
	forge("/discord/interactions", "application/json", map[string]string{"X-Signature-Timestamp": ts, "X-Signature-Ed25519": strings.Repeat("0", 128)})
	forge("/discord/interactions", "application/json", nil)
	_, body := getBody(t, base+"/metrics")
	for _, want := range []string{`briefbot_signature_failures_total{platform="slack"} 1`, `briefbot_signature_failures_total{platform="discord"} 2`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestServeRefusesBrokenBriefs: serve loads the dossiers while it opens
// the store; a broken brief set still stops it before it listens, with the
// problem on stderr and the store closed.
func TestServeRefusesBrokenBriefs(t *testing.T) {
	vars := map[string]string{"BRIEFBOT_DATA_DIR": t.TempDir(), "BRIEFBOT_ADDR": "127.0.0.1:0"}
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, []string{"serve", "--console", "off", "--briefs", "../../briefs/testdata/broken/empty-brief"},
		env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }})
	if code != exitFailure || !strings.Contains(errb.String(), "did not load") || strings.Contains(errb.String(), "msg=ready") {
		t.Errorf("serve with a broken brief set: exit %d (want %d), stderr %.500q", code, exitFailure, errb.String())
	}
	if ctx.Err() != nil {
		t.Error("serve did not stop on its own")
	}
}
