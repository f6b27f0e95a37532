package briefs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefs"
)

// TestBrokenBriefs proves each validation rule fires: every folder under
// testdata/broken holds a small broken set and want.txt with the expected
// message (line 1) and location (line 2).
func TestBrokenBriefs(t *testing.T) {
	corpus := loadCorpus(t)
	dirs, err := filepath.Glob("testdata/broken/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no broken cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			want := strings.SplitN(strings.TrimSpace(string(raw)), "\n", 2)
			set, problems := briefs.Load(os.DirFS(dir), "x", corpus)
			if set != nil || len(problems) == 0 {
				t.Fatalf("loaded a broken set without problems")
			}
			for _, p := range problems {
				if strings.Contains(p.String(), want[0]) && strings.HasPrefix(p.String(), "x/"+want[1]) {
					return
				}
			}
			t.Errorf("want %q at %s, got:\n%v", want[0], want[1], problems)
		})
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  United   Kingdom ", "united kingdom"},
		{"Władysław Kosiniak-Kamysz", "wladyslaw kosiniak kamysz"},
		{"ZELENSKYY", "zelenskyy"},
		{"António Costa", "antonio costa"},
		{"U.S.", "u s"},
		{"<!channel>", "channel"},
		{"", ""},
	} {
		if got := briefs.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
