package draft

import (
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/internal/lazyre"
)

// relativeRE finds days named relative to the day a text was written.
var relativeRE = lazyre.New(`\b(yesterday|today|tomorrow|(?:(?:on|last|next|this|by|until|from)\s+)(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b`)

// futureRE marks a sentence that speaks of what is still to come.
var futureRE = lazyre.New(`\b(will|shall|is to|are to|is due|are due|plans? to|expected to|scheduled|next|by|until)\b`)

// resolveWhen finds the first date a paragraph names and resolves it
// against the document's date: a date with its year as printed, one
// without its year and a day named relative to the document ("on
// Monday", "yesterday") by the calendar. Without a document date only
// dates printed with their year are used.
func resolveWhen(text string, docDate time.Time) (*briefs.When, string, bool) {
	type found struct {
		at       int
		date     time.Time
		raw, how string
	}
	var best *found
	consider := func(f found) {
		if best == nil || f.at < best.at {
			best = &f
		}
	}
	for _, d := range ingest.FindDates(text) {
		if d.HasYear {
			consider(found{d.Start, d.Date, d.Raw, "printed with its year"})
			continue
		}
		if docDate.IsZero() {
			continue
		}
		if t, ok := nearestYear(d, docDate, future(text, d.Start)); ok {
			consider(found{d.Start, t, d.Raw, "against the document date, " + docDate.Format("Monday 2 January 2006")})
		}
	}
	if !docDate.IsZero() {
		for _, m := range relativeRE().FindAllStringSubmatchIndex(text, -1) {
			raw, weekday := text[m[0]:m[1]], ""
			if m[4] >= 0 {
				weekday = text[m[4]:m[5]]
			}
			t := relativeDay(raw, weekday, docDate, future(text, m[0]))
			consider(found{m[0], t, raw, "against the document date, " + docDate.Format("Monday 2 January 2006")})
		}
	}
	if best == nil {
		return nil, "", false
	}
	w := &briefs.When{Date: best.date.Format(time.DateOnly), Kind: "event"}
	if !docDate.IsZero() && best.date.After(docDate) {
		w.Kind = "next"
	}
	w.Resolved = fmt.Sprintf("%q %s", best.raw, best.how)
	return w, "resolved " + w.Resolved + "; check it is the date of what the claim says", true
}

// future reports whether the sentence around offset at speaks of what is
// to come.
func future(text string, at int) bool {
	start := strings.LastIndexAny(text[:at], ".!?") + 1
	end := len(text)
	if i := strings.IndexAny(text[at:], ".!?"); i >= 0 {
		end = at + i
	}
	return futureRE().MatchString(text[start:end])
}

// nearestYear places a date without its year in the year around the
// document's date, before it unless the sentence speaks of the future.
func nearestYear(d ingest.DateMention, doc time.Time, ahead bool) (time.Time, bool) {
	for _, y := range []int{doc.Year(), doc.Year() - 1, doc.Year() + 1} {
		t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day {
			continue
		}
		if (ahead && !t.Before(doc) && t.Sub(doc) < 183*24*time.Hour) || (!ahead && !t.After(doc) && doc.Sub(t) < 183*24*time.Hour) {
			return t, true
		}
	}
	return time.Time{}, false
}

// relativeDay resolves "yesterday", "on Monday", "next Tuesday" … against
// the document's date.
func relativeDay(raw, weekday string, doc time.Time, ahead bool) time.Time {
	switch strings.ToLower(raw) {
	case "yesterday":
		return doc.AddDate(0, 0, -1)
	case "today":
		return doc
	case "tomorrow":
		return doc.AddDate(0, 0, 1)
	}
	want := weekdayOf(weekday)
	lower := strings.ToLower(raw)
	if strings.HasPrefix(lower, "next") || strings.HasPrefix(lower, "until") || strings.HasPrefix(lower, "by") {
		ahead = true
	}
	if strings.HasPrefix(lower, "last") {
		ahead = false
	}
	for i := 1; i <= 7; i++ {
		step := -i
		if ahead {
			step = i
		}
		if t := doc.AddDate(0, 0, step); t.Weekday() == want {
			return t
		}
	}
	return doc
}

func weekdayOf(s string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if d.String() == s {
			return d
		}
	}
	return time.Sunday
}
