package reload

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefs"
)

// copyBriefs writes the embedded briefs to a folder the test may change.
func copyBriefs(t *testing.T) string {
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

// fixture is a Reloader over a writable briefs folder, with the set it
// serves and the counts it reported.
type fixture struct {
	dir     string
	r       *Reloader
	served  atomic.Pointer[briefs.Set]
	ok, bad atomic.Int32
	logs    syncBuffer
}

// syncBuffer is a log destination the test reads while the watcher writes.
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

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: copyBriefs(t)}
	set, err := briefs.LoadDirs("", f.dir)
	if err != nil {
		t.Fatalf("the embedded briefs do not load from a folder: %v", err)
	}
	f.served.Store(set)
	f.r = New(Options{
		Load: func() (*briefs.Set, error) { return briefs.LoadDirs("", f.dir) },
		Swap: f.served.Store,
		Log:  slog.New(slog.NewTextHandler(&f.logs, nil)),
		Counted: func(ok bool) {
			if ok {
				f.ok.Add(1)
			} else {
				f.bad.Add(1)
			}
		},
	})
	return f
}

func (f *fixture) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const goodActor = `kind: actor
id: atlantis
name: Atlantis
sections:
  - heading: Air bases
    claims:
      - id: atlantis-air-bases
        text: "A test claim."
        cite: [d004:p25]
`

func TestBadSetRefusedOldKept(t *testing.T) {
	f := newFixture(t)
	before := f.served.Load()
	f.write(t, "actors/romania.yaml", "kind: actor\nid: romania\nname: [unclosed\n")
	f.write(t, "actors/atlantis.yaml", strings.Replace(goodActor, "d004:p25", "d999:p1", 1))

	if err := f.r.Reload("sighup"); err == nil {
		t.Fatal("a broken set was accepted")
	}
	if f.served.Load() != before {
		t.Error("a broken set replaced the one being served")
	}
	if f.bad.Load() != 1 || f.ok.Load() != 0 {
		t.Errorf("counted ok=%d failed=%d, want 0 and 1", f.ok.Load(), f.bad.Load())
	}
	st := f.r.Last()
	if st == nil || st.OK || len(st.Problems) < 2 {
		t.Fatalf("status %+v: want a failure listing both problems", st)
	}
	for _, want := range []string{"romania.yaml", "atlantis.yaml"} {
		if !strings.Contains(f.logs.String(), want) {
			t.Errorf("log does not name %s:\n%s", want, f.logs.String())
		}
	}
	if note := f.r.Note(); !strings.Contains(note, "last reload (sighup") || !strings.Contains(note, "more") {
		t.Errorf("note %q", note)
	}
}

func TestGoodSetSwappedIn(t *testing.T) {
	f := newFixture(t)
	f.write(t, "actors/atlantis.yaml", goodActor)
	if err := f.r.Reload("sighup"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.served.Load().Brief("atlantis"); !ok {
		t.Error("the new brief is not in the served set")
	}
	if f.r.Note() != "" || f.ok.Load() != 1 {
		t.Errorf("after a good reload: note %q, ok count %d", f.r.Note(), f.ok.Load())
	}
}

func TestPanicInLoadIsRefused(t *testing.T) {
	r := New(Options{
		Load: func() (*briefs.Set, error) { panic("parser bug") },
		Swap: func(*briefs.Set) { t.Error("swapped after a panic") },
	})
	if err := r.Reload("watch"); err == nil || r.Last().OK {
		t.Errorf("a panicking load was not refused: %v", err)
	}
}

// waitFor polls cond until it holds or the test's patience ends.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWatchRefusesBadThenTakesGood(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.r.Watch(ctx, []string{f.dir}, 50*time.Millisecond) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	waitFor(t, "the watcher to start", func() bool { return strings.Contains(f.logs.String(), "watching") })
	before := f.served.Load()

	// A new sub-folder, then a broken file inside it.
	if err := os.Mkdir(filepath.Join(f.dir, "extra"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // let the watcher add the folder
	f.write(t, "extra/atlantis.yaml", strings.Replace(goodActor, "d004:p25", "d004:p9999", 1))
	waitFor(t, "the broken file to be refused", func() bool { return f.bad.Load() >= 1 })
	if f.served.Load() != before {
		t.Fatal("the broken set was swapped in")
	}

	f.write(t, "extra/atlantis.yaml", goodActor)
	waitFor(t, "the fixed file to go live", func() bool {
		_, ok := f.served.Load().Brief("atlantis")
		return ok
	})
	if f.r.Note() != "" {
		t.Errorf("note after the fix: %q", f.r.Note())
	}
}
