package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDigestPostsOnlyWhereSomeoneSees: without --dry-run, digest posts
// only to a channel of a configured platform; the console target (the
// page of a running serve) and a missing target are refused, saying what
// to do instead.
func TestDigestPostsOnlyWhereSomeoneSees(t *testing.T) {
	vars := map[string]string{"BRIEFBOT_DATA_DIR": t.TempDir()}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"digest", "--kind", "overview"}, "no Slack or Discord is configured, so there is nowhere to post"},
		{[]string{"digest", "--kind", "overview", "--target", "console"}, "from here nobody would see it"},
		{[]string{"digest", "--kind", "overview", "--target", "discord:123"}, "discord is not configured"},
	} {
		code, out, errOut := runCLIEnv(vars, tc.args...)
		if code != exitBadUsage || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, errOut, tc.want)
		}
	}
	if code, out, _ := runCLIEnv(vars, "digest", "--dry-run", "--kind", "overview"); code != exitOK || !strings.Contains(out, "Digest: where things stand") {
		t.Errorf("--dry-run: exit %d, %.100q", code, out)
	}
}

// TestConfigProblemsSameEverywhere: a configuration with broken schedules
// gets the same answer from serve, check and digest: each problem on its
// own line at the file's line, a count, exit 2; no log line.
func TestConfigProblemsSameEverywhere(t *testing.T) {
	t.Parallel() // beside the tests that wait
	path := filepath.Join(t.TempDir(), "briefbot.yaml")
	body := "slack:\n  mode: http\n  signing_secret: s\ndigests:\n  schedules:\n" +
		"    - name: morning\n      cron: \"61 * * * *\"\n      zone: Mars/Olympus\n      kind: narnia\n      targets: [slack:C1]\n" +
		"    - name: morning\n      cron: \"@daily\"\n      kind: overview\n      targets: [slack:C2]\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []string{
		path + `:7: digests.schedules[0] (morning): cron spec "61 * * * *"`,
		path + `:8: digests.schedules[0] (morning): zone "Mars/Olympus" is not a known IANA time zone`,
		path + `:9: digests.schedules[0] (morning): kind: unknown digest kind "narnia"`,
		path + `:11: digests.schedules[1] (morning): name is used by another schedule`,
	}
	vars := map[string]string{"BRIEFBOT_DATA_DIR": t.TempDir(), "BRIEFBOT_ADDR": "127.0.0.1:0"}
	for _, args := range [][]string{{"serve"}, {"check"}, {"digest", "--list"}} {
		code, _, errOut := runCLIEnv(vars, append(args, "--config", path)...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != exitBadUsage || len(lines) != len(want)+1 || strings.Contains(errOut, "level=") ||
			!strings.HasSuffix(lines[len(lines)-1], "4 problem(s) in the configuration") {
			t.Errorf("%s: exit %d, stderr:\n%s", args[0], code, errOut)
			continue
		}
		for i, w := range want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%s: line %d is %q, want %q…", args[0], i+1, lines[i], w)
			}
		}
	}
	// A good configuration: check says it checked it.
	if err := os.WriteFile(path, []byte("digests:\n  schedules:\n    - {name: m, cron: \"@daily\", kind: matrix}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLIEnv(vars, "check", "--config", path); code != exitOK || !strings.Contains(out, "ok: configuration "+path+", 1 digest schedule(s)") {
		t.Errorf("check of a good configuration: exit %d\n%s%s", code, out, errOut)
	}
}
