package digest

import (
	"time"

	"github.com/robfig/cron/v3"
)

// Slot times follow the local wall clock of the schedule's zone. The cron
// spec is evaluated on naive wall-clock times (no DST), and each wall time is
// then placed in the zone by these rules:
//
//   - A wall time that does not exist on the day (it falls in the gap when
//     clocks go forward) moves to the first valid instant after the gap:
//     02:30 on 30 March 2025 in Europe/Berlin is posted at 03:00 CEST. Several
//     wall times inside one gap become that one slot, posted once.
//   - A wall time that occurs twice (when clocks go back) is posted once, at
//     its first occurrence: 02:30 on 26 October 2025 in Europe/Berlin is
//     posted at 02:30 CEST, not again at 02:30 CET.

// nextSlot returns the first slot of sched in loc strictly after t, or the
// zero time when there is none.
func nextSlot(sched cron.Schedule, loc *time.Location, t time.Time) time.Time {
	w := wallClock(t.In(loc))
	// A wall time that maps to an instant not after t (the repeated hour
	// when clocks go back, or a gap) is passed over; a few steps suffice.
	for range 8 {
		w = sched.Next(w)
		if w.IsZero() {
			return time.Time{}
		}
		if at := instant(w, loc); at.After(t) {
			return at
		}
	}
	return time.Time{}
}

// wallClock returns t's wall-clock reading as a naive time in UTC.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// instant places a naive wall-clock time in loc by the rules above.
func instant(w time.Time, loc *time.Location) time.Time {
	guess := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	// Candidates: w read with each UTC offset in effect around that day.
	var best, first, last time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := guess.Add(probe).Zone()
		c := w.Add(-time.Duration(off) * time.Second).In(loc)
		if wallClock(c).Equal(w) && (best.IsZero() || c.Before(best)) {
			best = c // the earliest real occurrence
		}
		if first.IsZero() || c.Before(first) {
			first = c
		}
		if c.After(last) {
			last = c
		}
	}
	if !best.IsZero() {
		return best
	}
	// In a gap: the zone in effect at the latest candidate began when the
	// clocks jumped, which is the first valid instant after the gap.
	if start, _ := last.ZoneBounds(); !start.IsZero() && start.After(first) {
		return start.In(loc)
	}
	return guess
}

// dueSlots returns the latest slot in (after, upTo], and how many earlier
// slots in that range it passed over. It looks at most maxScan slots.
func dueSlots(sched cron.Schedule, loc *time.Location, after, upTo time.Time) (latest time.Time, passed int) {
	const maxScan = 100_000
	t := after
	for range maxScan {
		n := nextSlot(sched, loc, t)
		if n.IsZero() || n.After(upTo) {
			return latest, passed
		}
		if !latest.IsZero() {
			passed++
		}
		latest, t = n, n
	}
	return latest, passed
}
