package digest

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// JobStatus is what `/digest list` and `briefbot digest --list` show of a
// job: when it runs next and how each target's latest slot went.
type JobStatus struct {
	Job     *Job
	Sub     *Subscription // nil for a schedule from config
	Next    time.Time     // in the job's zone; zero when it never runs again
	Targets []TargetStatus
}

// TargetStatus is one target of a job and its latest ledger record.
type TargetStatus struct {
	Target Target
	Last   *Record // nil when nothing was posted yet
}

// Report lists every job (the schedules given and the subscriptions in the
// store) with its next run after now and the last result of each target.
// keep, when set, selects the targets to show (jobs left without targets
// are dropped).
func Report(ctx context.Context, st Store, schedules []*Job, now time.Time, keep func(Target) bool) ([]JobStatus, error) {
	recs, err := st.Latest(ctx)
	if err != nil {
		return nil, err
	}
	last := map[cursorKey]*Record{}
	for i := range recs {
		last[cursorKey{recs[i].Job, recs[i].Target}] = &recs[i]
	}
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []JobStatus
	for _, j := range schedules {
		out = appendStatus(out, JobStatus{Job: j}, now, last, keep)
	}
	for i := range subs {
		j, err := SubscriptionJob(subs[i])
		if err != nil {
			continue
		}
		out = appendStatus(out, JobStatus{Job: j, Sub: &subs[i]}, now, last, keep)
	}
	return out, nil
}

func appendStatus(out []JobStatus, js JobStatus, now time.Time, last map[cursorKey]*Record, keep func(Target) bool) []JobStatus {
	for _, t := range js.Job.Targets {
		if keep == nil || keep(t) {
			js.Targets = append(js.Targets, TargetStatus{Target: t, Last: last[cursorKey{js.Job.ID, t.String()}]})
		}
	}
	if len(js.Targets) == 0 {
		return out
	}
	if n := js.Job.Next(now); !n.IsZero() {
		js.Next = n.In(js.Job.Zone)
	}
	return append(out, js)
}

// timeLayout shows a time in its zone, with the zone's abbreviation.
const timeLayout = "Mon 2 Jan 2006 15:04 MST"

// When describes the schedule: "daily at 08:30, Europe/Paris".
func (js JobStatus) When() string {
	if js.Sub != nil {
		return fmt.Sprintf("%s at %s, %s", DaysLabel(js.Sub.Days), js.Sub.At, js.Job.Zone)
	}
	return fmt.Sprintf("cron %q, %s", js.Job.Spec, js.Job.Zone)
}

// NextLabel is the next run in the job's zone.
func (js JobStatus) NextLabel() string {
	if js.Next.IsZero() {
		return "never"
	}
	return js.Next.Format(timeLayout)
}

// Result describes the latest slot of a target: posted, failed (with the
// error), or pending (retrying, or with an unknown outcome to check).
func (ts TargetStatus) Result(zone *time.Location) string {
	r := ts.Last
	if r == nil {
		return "nothing posted yet"
	}
	at := r.At.In(zone).Format(timeLayout)
	switch r.Status {
	case StatusPosted:
		return "posted " + at + checked(r)
	case StatusFailed:
		return fmt.Sprintf("FAILED %s after %d round(s)%s: %s%s", at, r.Rounds, partly(r), oneLine(r.Error), checked(r))
	case StatusSkipped:
		return "skipped " + at + " (" + oneLine(r.Error) + ")"
	}
	if r.Error != "" {
		return fmt.Sprintf("retrying %s (round %d%s): %s%s", at, r.Rounds, partly(r), oneLine(r.Error), checked(r))
	}
	return fmt.Sprintf("posting %s (round %d%s)%s", at, r.Rounds, partly(r), checked(r))
}

// checked says what the last check of the platform found, if one ran.
func checked(r *Record) string {
	if r.Check == "" {
		return ""
	}
	return " [check " + oneLine(r.Check) + "]"
}

// partly says how many messages of a split digest went out before it
// stopped, if any did.
func partly(r *Record) string {
	switch r.Sent {
	case 0:
		return ""
	case 1:
		return ", first message posted"
	}
	return fmt.Sprintf(", first %d messages posted", r.Sent)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		return string(r[:299]) + "…"
	}
	return s
}
