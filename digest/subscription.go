package digest

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
)

// SubscriptionJob turns a subscription into a daily job at its local time.
func SubscriptionJob(sub Subscription) (*Job, error) {
	h, m, err := parseClock(sub.At)
	if err != nil {
		return nil, err
	}
	zone, err := LoadZone(sub.Zone)
	if err != nil {
		return nil, err
	}
	j, err := NewJob(Job{ID: "sub:" + sub.ID, Name: "subscription " + sub.ID, Spec: fmt.Sprintf("%d %d * * *", m, h),
		Zone: zone, Kind: sub.Kind, Targets: []Target{sub.Target()}, Since: sub.Created})
	if err != nil {
		return nil, err
	}
	j.Spec = "daily at " + sub.At
	return j, nil
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
