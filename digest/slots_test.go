package digest

import (
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSpec(t *testing.T, spec string) *Job {
	t.Helper()
	s, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return &Job{sched: s}
}

// slotsFrom lists the next n slots after start, as RFC 3339 in the zone.
func slotsFrom(t *testing.T, spec, zone string, start time.Time, n int) []string {
	t.Helper()
	j := mustSpec(t, spec)
	j.Zone = mustZone(t, zone)
	var out []string
	at := start
	for range n {
		at = j.Next(at)
		if at.IsZero() {
			t.Fatalf("%s in %s: no slot after %v", spec, zone, start)
		}
		out = append(out, at.In(j.Zone).Format(time.RFC3339))
	}
	return out
}

func TestSlots(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, spec, zone, start string
		want                    []string
	}{
		{"across midnight", "30 23 * * *", "UTC", "2025-06-01T23:00:00Z",
			[]string{"2025-06-01T23:30:00Z", "2025-06-02T23:30:00Z"}},
		{"just after midnight", "5 0 * * *", "Europe/Kyiv", "2025-06-01T20:00:00Z",
			[]string{"2025-06-02T00:05:00+03:00", "2025-06-03T00:05:00+03:00"}},
		{"local date differs from UTC", "0 8 * * 1", "Asia/Tokyo", "2025-06-01T22:00:00Z", // Sunday in UTC, Monday 07:00 in Tokyo
			[]string{"2025-06-02T08:00:00+09:00", "2025-06-09T08:00:00+09:00"}},
		{"half-hour zone", "0 9 * * *", "Asia/Kolkata", "2025-06-01T00:00:00Z",
			[]string{"2025-06-01T09:00:00+05:30", "2025-06-02T09:00:00+05:30"}},
		{"west of UTC", "@daily", "America/New_York", "2025-06-01T03:00:00Z",
			[]string{"2025-06-01T00:00:00-04:00", "2025-06-02T00:00:00-04:00"}},
		// Europe/Berlin, 30 March 2025: 02:00 CET jumps to 03:00 CEST.
		{"spring forward: 02:30 does not exist", "30 2 * * *", "Europe/Berlin", "2025-03-29T12:00:00Z",
			[]string{"2025-03-30T02:30:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-31T02:30:00+02:00"}[1:]},
		{"spring forward: day before and after", "30 2 * * *", "Europe/Berlin", "2025-03-28T12:00:00Z",
			[]string{"2025-03-29T02:30:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-31T02:30:00+02:00"}},
		{"spring forward: every 10 minutes collapses the gap into one slot", "*/20 2-3 * * *", "Europe/Berlin", "2025-03-30T00:50:00Z",
			[]string{"2025-03-30T03:00:00+02:00", "2025-03-30T03:20:00+02:00", "2025-03-30T03:40:00+02:00"}},
		{"spring forward: 03:00 unaffected", "0 3 * * *", "Europe/Berlin", "2025-03-29T12:00:00Z",
			[]string{"2025-03-30T03:00:00+02:00", "2025-03-31T03:00:00+02:00"}},
		// Europe/Berlin, 26 October 2025: 03:00 CEST goes back to 02:00 CET.
		{"fall back: 02:30 occurs twice, posted once", "30 2 * * *", "Europe/Berlin", "2025-10-25T12:00:00Z",
			[]string{"2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00"}},
		{"fall back: starting inside the repeated hour", "30 2 * * *", "Europe/Berlin", "2025-10-26T01:10:00Z", // 02:10 CET, second pass
			[]string{"2025-10-27T02:30:00+01:00"}},
		{"fall back: hourly posts each wall hour once", "0 * * * *", "Europe/Berlin", "2025-10-25T23:30:00Z",
			[]string{"2025-10-26T02:00:00+02:00", "2025-10-26T03:00:00+01:00"}},
		{"US spring forward", "30 2 * * *", "America/New_York", "2025-03-08T12:00:00Z",
			[]string{"2025-03-09T03:00:00-04:00", "2025-03-10T02:30:00-04:00"}},
		{"half-hour DST shift", "45 1 * * *", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", // 02:00 → 02:30 on 5 Oct
			[]string{"2025-10-05T01:45:00+10:30", "2025-10-06T01:45:00+11:00"}},
		{"Lord Howe gap", "15 2 * * *", "Australia/Lord_Howe", "2025-10-04T00:00:00Z",
			[]string{"2025-10-05T02:30:00+11:00", "2025-10-06T02:15:00+11:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slotsFrom(t, tt.spec, tt.zone, utc(tt.start), len(tt.want))
			for i := range tt.want {
				if got[i] != tt.want[i] {
					t.Fatalf("slots = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestDueSlots(t *testing.T) {
	j := mustSpec(t, "0 * * * *")
	after := time.Date(2025, 6, 1, 8, 30, 0, 0, time.UTC)
	latest, passed := dueSlots(j.sched, time.UTC, after, after.Add(5*time.Hour))
	if want := time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC); !latest.Equal(want) || passed != 4 {
		t.Fatalf("dueSlots = %v, %d; want %v, 4", latest, passed, want)
	}
	if latest, _ := dueSlots(j.sched, time.UTC, after, after.Add(20*time.Minute)); !latest.IsZero() {
		t.Fatalf("no slot due, got %v", latest)
	}
}

func TestParseSpec(t *testing.T) {
	good := []string{"0 8 * * *", "30 7 * * 1-5", "@daily", "@weekly", "@hourly", "@midnight", "@monthly", "@yearly", "*/15 * * * *", "0 9 1,15 * *", "0 0 29 2 *"}
	for _, s := range good {
		if _, err := ParseSpec(s); err != nil {
			t.Errorf("ParseSpec(%q): %v", s, err)
		}
	}
	bad := []string{"", "   ", "TZ=Europe/Berlin 0 8 * * *", "CRON_TZ=UTC 0 8 * * *", "TZ=", "CRON_TZ=x", "@every 1s",
		"0 8 * *", "0 0 8 * * *", "61 * * * *", "* 25 * * *", "0 0 30 2 *", "@reboot", "@dailyx", "a b c d e"}
	for _, s := range bad {
		if _, err := ParseSpec(s); err == nil {
			t.Errorf("ParseSpec(%q) accepted", s)
		}
	}
}

// FuzzParseSpec checks that no input panics and that every accepted spec
// yields slots.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"0 8 * * *", "@daily", "TZ=", "CRON_TZ=", "TZ=Europe/Berlin", "CRON_TZ= 0 8 * * *", "TZ=x 1", "*/0 * * * *", "1-0 * * * *", "0-59/61 * * * *", "@every -1s", "? ? ? ? ?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseSpec(spec)
		if err != nil {
			return
		}
		j := &Job{sched: s, Zone: time.UTC}
		if j.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
			t.Fatalf("ParseSpec(%q) accepted a spec that never fires", spec)
		}
	})
}
