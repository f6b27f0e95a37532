package ingest

import (
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/internal/lazyre"
)

// DateMention is a calendar date written in a text, with or without its
// year ("20 August 2025", "Wednesday, August 20", "2025-08-20").
type DateMention struct {
	Raw     string // as written
	Start   int    // byte offset in the text
	Year    int    // 0 when not written
	Month   time.Month
	Day     int
	Weekday string // as written, when the date names its day ("Wednesday")
	HasYear bool
	Date    time.Time // the date when HasYear; otherwise the day in year 1
}

const (
	weekdayPat = `(?:(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?`
	monthPat   = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`
	dayPat     = `(\d{1,2})(?:st|nd|rd|th)?`
	yearPat    = `(?:,?\s+((?:19|20)\d\d))?`
)

var (
	dayMonthRE = lazyre.New(`\b` + weekdayPat + `(?:the\s+)?` + dayPat + `\s+(?:of\s+)?` + monthPat + yearPat + `\b`)
	monthDayRE = lazyre.New(`\b` + weekdayPat + monthPat + `\s+` + dayPat + yearPat + `\b`)
	isoRE      = lazyre.New(`\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b`)
)

// FindDates returns the dates written in text, in order of appearance.
// Month names are English and capitalised, so "may" the verb is no date.
func FindDates(text string) []DateMention {
	var out []DateMention
	taken := func(start, end int) bool {
		for _, d := range out {
			if start < d.Start+len(d.Raw) && d.Start < end {
				return true
			}
		}
		return false
	}
	add := func(m []int, wd, day, month, year int) {
		if taken(m[0], m[1]) {
			return
		}
		if d, ok := mention(text, m, wd, day, month, year); ok {
			out = append(out, d)
		}
	}
	for _, m := range dayMonthRE().FindAllStringSubmatchIndex(text, -1) {
		add(m, 1, 2, 3, 4)
	}
	for _, m := range monthDayRE().FindAllStringSubmatchIndex(text, -1) {
		add(m, 1, 3, 2, 4)
	}
	for _, m := range isoRE().FindAllStringSubmatchIndex(text, -1) {
		add(m, -1, 3, 2, 1)
	}
	sortMentions(out)
	return out
}

func group(text string, m []int, i int) string {
	if i < 0 || 2*i+1 >= len(m) || m[2*i] < 0 {
		return ""
	}
	return text[m[2*i]:m[2*i+1]]
}

func mention(text string, m []int, wd, day, month, year int) (DateMention, bool) {
	d := DateMention{Raw: text[m[0]:m[1]], Start: m[0], Weekday: group(text, m, wd)}
	d.Day, _ = strconv.Atoi(group(text, m, day))
	d.Month = monthOf(group(text, m, month))
	if y := group(text, m, year); y != "" {
		d.Year, _ = strconv.Atoi(y)
		d.HasYear = true
	}
	if d.Month == 0 || d.Day < 1 {
		return d, false
	}
	y := d.Year
	if !d.HasYear {
		y = 2000 // a leap year, so 29 February is a valid day
	}
	t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	if t.Day() != d.Day || t.Month() != d.Month {
		return d, false
	}
	if d.HasYear {
		d.Date = t
		if d.Weekday != "" && t.Weekday().String() != d.Weekday {
			return d, false // "Monday, 20 August 2025" is no date
		}
	}
	return d, true
}

func monthOf(s string) time.Month {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 3 {
		n, err := strconv.Atoi(s)
		if err == nil && n >= 1 && n <= 12 {
			return time.Month(n)
		}
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(m.String(), s[:3]) {
			return m
		}
	}
	return 0
}

func sortMentions(ds []DateMention) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Start < ds[j-1].Start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// ResolveYear gives a date written without its year the latest year that
// fits up to ref: the year whose calendar has that weekday, when the date
// names one, else the year of ref (or the one before, if the day is still
// to come). It reports how.
func ResolveYear(d DateMention, ref time.Time) (time.Time, string, bool) {
	if d.HasYear {
		return d.Date, "", true
	}
	for y := ref.Year(); y > ref.Year()-3; y-- {
		t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day || t.After(ref) {
			continue
		}
		if d.Weekday == "" {
			return t, "the latest " + t.Format("2 January") + " up to " + ref.Format("2 January 2006"), true
		}
		if t.Weekday().String() == d.Weekday {
			return t, t.Format("2 January 2006") + " is a " + d.Weekday + ", the latest such year up to " + ref.Format("2 January 2006"), true
		}
	}
	return time.Time{}, "", false
}
