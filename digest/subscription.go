package digest

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SubscriptionJob turns a subscription into a job at its local time, on
// its days.
func SubscriptionJob(sub Subscription) (*Job, error) {
	h, m, err := parseClock(sub.At)
	if err != nil {
		return nil, err
	}
	zone, err := LoadZone(sub.Zone)
	if err != nil {
		return nil, err
	}
	dow, err := cronDays(sub.Days)
	if err != nil {
		return nil, err
	}
	j, err := NewJob(Job{ID: "sub:" + sub.ID, Name: "subscription " + sub.ID, Spec: fmt.Sprintf("%d %d * * %s", m, h, dow),
		Zone: zone, Kind: sub.Kind, Targets: []Target{sub.Target()}, Since: sub.Created, SkipUnchanged: sub.SkipUnchanged})
	if err != nil {
		return nil, err
	}
	j.Spec = DaysLabel(sub.Days) + " at " + sub.At
	return j, nil
}

// weekdays are the day names a subscription takes, Sunday first as in cron.
var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Days words of a subscription.
const (
	daysDaily    = "daily"
	daysWeekdays = "weekdays"
)

// dayNumber reads a day name, at least its first three letters ("mon",
// "Monday", "tues"); -1 if it is none.
func dayNumber(w string) int {
	w = strings.ToLower(w)
	for i := range weekdays {
		if len(w) >= 3 && strings.HasPrefix(strings.ToLower(time.Weekday(i).String()), w) {
			return i
		}
	}
	return -1
}

// parseDayList reads "mon", "mon,thu" or "monday,thursday" into the
// stored form ("mon,thu", in week order from Monday, each day once).
func parseDayList(s string) (string, error) {
	var seen [7]bool
	for _, w := range strings.Split(s, ",") {
		n := dayNumber(strings.TrimSpace(w))
		if n < 0 {
			return "", fmt.Errorf("unknown day %q: want mon, tue, wed, thu, fri, sat or sun", w)
		}
		seen[n] = true
	}
	var out []string
	for i := 1; i <= 7; i++ {
		if seen[i%7] {
			out = append(out, weekdays[i%7])
		}
	}
	return strings.Join(out, ","), nil
}

// cronDays is the day-of-week field of a subscription's days.
func cronDays(days string) (string, error) {
	switch days {
	case "", daysDaily:
		return "*", nil
	case daysWeekdays:
		return "1-5", nil
	}
	norm, err := parseDayList(days)
	if err != nil {
		return "", err
	}
	var nums []string
	for _, d := range strings.Split(norm, ",") {
		nums = append(nums, strconv.Itoa(dayNumber(d)))
	}
	return strings.Join(nums, ","), nil
}

// DaysLabel says when a subscription posts: "daily", "weekdays",
// "weekly on Mon", "on Mon, Thu".
func DaysLabel(days string) string {
	switch days {
	case "", daysDaily:
		return "daily"
	case daysWeekdays:
		return "weekdays (Mon–Fri)"
	}
	names := strings.Split(days, ",")
	for i, n := range names {
		names[i] = strings.ToUpper(n[:1]) + n[1:]
	}
	if len(names) == 1 {
		return "weekly on " + names[0]
	}
	return "on " + strings.Join(names, ", ")
}

// parseClock reads "HH:MM" or "H:MM" (24-hour).
func parseClock(s string) (hour, minute int, err error) {
	hs, ms, ok := strings.Cut(s, ":")
	if ok && len(hs) >= 1 && len(hs) <= 2 && len(ms) == 2 {
		hour, herr := strconv.Atoi(hs)
		minute, merr := strconv.Atoi(ms)
		if herr == nil && merr == nil && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 {
			return hour, minute, nil
		}
	}
	return 0, 0, fmt.Errorf("time %q: want HH:MM, 24-hour, e.g. 08:30", s)
}

// newSubscriptionID returns a short random id people can type.
func newSubscriptionID() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
