package digest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// maxSpecLen bounds a cron spec; real ones are a few dozen bytes.
const maxSpecLen = 200

// specParser accepts the standard five fields and the calendar descriptors.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec parses a cron spec: five fields ("30 8 * * 1-5") or a calendar
// descriptor (@yearly, @monthly, @weekly, @daily, @midnight, @hourly). The
// time zone is a separate setting, so TZ= and CRON_TZ= prefixes are refused,
// and so is @every, which ignores the calendar. It never panics: the parser
// panics on some malformed input, and that is turned into an error.
func ParseSpec(spec string) (s cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "":
		return nil, errors.New("cron spec is empty")
	case len(spec) > maxSpecLen:
		return nil, fmt.Errorf("cron spec is longer than %d bytes", maxSpecLen)
	case strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ="):
		return nil, fmt.Errorf("cron spec %q: put the time zone in the zone setting, not a TZ= prefix", spec)
	case strings.HasPrefix(spec, "@every"):
		return nil, fmt.Errorf("cron spec %q: @every is not supported; use five fields or @daily, @weekly, @monthly, @yearly, @hourly", spec)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("cron spec %q: malformed (%v)", spec, r)
		}
	}()
	s, err = specParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("cron spec %q: %w", spec, err)
	}
	// A spec such as "0 0 30 2 *" (30 February) parses but never fires.
	if s.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("cron spec %q never fires", spec)
	}
	return s, nil
}
