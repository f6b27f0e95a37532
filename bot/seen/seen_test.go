package seen

import (
	"runtime"
	"testing"
	"time"
)

func TestAddRemembersWithinTTL(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := New(8, time.Minute)
	if !s.Add(1, now) || s.Add(1, now.Add(59*time.Second)) {
		t.Fatal("a key seen 59 s ago was not recognised")
	}
	// The ttl counts from the newest key of the key's generation, so a key
	// is kept at least ttl; once that has passed for all, all are gone.
	if !s.Add(1, now.Add(2*time.Minute+time.Second)) {
		t.Error("a key older than the ttl is still remembered")
	}
}

func TestFloodForgetsOldestFirst(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := New(100, time.Hour)
	for k := range uint64(1000) {
		if !s.Add(k, now) {
			t.Fatalf("key %d reported seen", k)
		}
		if s.Len() > 100 {
			t.Fatalf("%d keys held; want at most 100", s.Len())
		}
	}
	// The newest half is always held.
	for k := uint64(950); k < 1000; k++ {
		if s.Add(k, now) {
			t.Errorf("recent key %d was forgotten", k)
		}
	}
	if !s.Add(0, now) {
		t.Error("the oldest key is still held after a flood")
	}
}

// TestForgetKeepsProbeRuns removes every other key of a crowded table;
// the rest must still be found, whatever runs they shared.
func TestForgetKeepsProbeRuns(t *testing.T) {
	now := time.Now()
	s := New(4000, time.Hour)
	for k := range uint64(1500) {
		s.Add(k<<40, now) // same low bits: long shared runs
	}
	for k := uint64(0); k < 1500; k += 2 {
		s.Forget(k << 40)
	}
	for k := range uint64(1500) {
		if held := !s.Add(k<<40, now); held != (k%2 == 1) {
			t.Fatalf("key %d: held %v after forgetting the even keys", k, held)
		}
	}
}

func TestForget(t *testing.T) {
	now := time.Now()
	s := New(10, time.Hour)
	k := s.Key("team\x00user\x00/stance poland")
	s.Add(k, now)
	s.Forget(k)
	if !s.Add(k, now) {
		t.Error("a forgotten key is still held")
	}
	if s.Key("a") == s.Key("b") {
		t.Error("two strings share a key")
	}
}

// TestWorstCaseMemory floods sets of the adapters' sizes with ten times as
// many distinct keys as they hold and checks what stays allocated: the
// bound a flood of distinct ids cannot push past.
func TestWorstCaseMemory(t *testing.T) {
	for _, c := range []struct {
		capacity int
		maxBytes uint64
	}{{1 << 15, 17 << 15}, {1 << 18, 17 << 18}} {
		s := New(c.capacity, time.Hour)
		before := heapInUse()
		now := time.Unix(1_700_000_000, 0)
		for k := range uint64(10 * c.capacity) {
			s.Add((k+1)*0x9E3779B97F4A7C15, now)
		}
		after := heapInUse()
		used := after - min(before, after)
		t.Logf("capacity %d keys: %d keys held, %.1f MiB after %d distinct keys (%.1f bytes a key)",
			c.capacity, s.Len(), float64(used)/(1<<20), 10*c.capacity, float64(used)/float64(c.capacity))
		if s.Len() > c.capacity || used > c.maxBytes {
			t.Errorf("capacity %d: %d keys, %d bytes; want ≤ %d keys, ≤ %d bytes", c.capacity, s.Len(), used, c.capacity, c.maxBytes)
		}
		runtime.KeepAlive(s)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func BenchmarkAddDistinct(b *testing.B) {
	s := New(1<<18, 5*time.Minute)
	now := time.Now()
	var k uint64
	for b.Loop() {
		k++
		s.Add(k*0x9E3779B97F4A7C15, now)
	}
}
