package digest

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
)

// subscribeArgs is what "/digest subscribe" was given:
// <kind> [at HH:MM] [zone] [daily | weekdays | weekly <day> | on <days>] [always].
type subscribeArgs struct {
	kind, at, zone, days string
	// always posts a "changes" digest even when nothing changed.
	always bool
}

// errNoKind is a subscribe command without a digest kind.
var errNoKind = errors.New("no digest kind given")

// inputError names the part of a command's input that is wrong: what it
// is, the words as typed, and what is wanted.
type inputError struct {
	what, input, want string
}

func (e inputError) Error() string { return e.what + " '" + e.input + "': " + e.want }

// text is the problem for a reply, the user's words marked as theirs.
func (e inputError) text() bot.Text {
	in := e.input
	if utf8.RuneCountInString(in) > 40 {
		in = string([]rune(in)[:40]) + "…"
	}
	return bot.Text{{Text: strings.ToUpper(e.what[:1]) + e.what[1:] + " '"}, {Text: in, User: true}, {Text: "': " + e.want + "."}}
}

// maxKindWords bounds how many words a kind may take ("berth cap").
const maxKindWords = 4

// parseSubscribe reads the words after "subscribe". kind resolves a kind
// as typed, reporting whether it is one; the kind is the longest run of
// leading words it accepts, so that whatever follows is read as time,
// zone and days and a mistake there is named as such.
func parseSubscribe(args string, kind func(string) (string, bool)) (subscribeArgs, error) {
	words := strings.Fields(args)
	a := subscribeArgs{at: "09:00", zone: "UTC"}
	if len(words) == 0 {
		return a, errNoKind
	}
	n := 0
	for i := min(len(words), maxKindWords); i >= 1 && n == 0; i-- {
		if k, ok := kind(strings.Join(words[:i], " ")); ok {
			a.kind, n = k, i
		}
	}
	if n == 0 {
		end := 1
		for end < len(words) && !isKeyword(words[end]) {
			end++
		}
		return a, inputError{"unknown digest kind", strings.Join(words[:end], " "), "want overview, changes, matrix, or an actor or option id (see /help)"}
	}
	return a, a.parseTail(words[n:])
}

func isKeyword(w string) bool {
	switch strings.ToLower(w) {
	case "at", "daily", "weekdays", "weekly", "on", "always":
		return true
	}
	return strings.Contains(w, "/") || dayNumber(strings.Split(w, ",")[0]) >= 0
}

// parseTail reads time, zone, days and "always", in any order.
func (a *subscribeArgs) parseTail(words []string) error {
	zoneSet := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := func(what, example string) (string, error) {
			if i+1 >= len(words) {
				return "", inputError{"nothing after", w, "give " + what + ", e.g. " + example}
			}
			i++
			return words[i], nil
		}
		switch lw := strings.ToLower(w); {
		case lw == "at":
			t, err := next("a time", "at 08:30")
			if err != nil {
				return err
			}
			if _, _, err := parseClock(t); err != nil {
				return inputError{"time", t, "want HH:MM, 24-hour, e.g. 08:30"}
			}
			a.at = t
			if len(t) == 4 { // "8:30"
				a.at = "0" + t
			}
		case lw == "daily":
			a.days = ""
		case lw == "weekdays":
			a.days = daysWeekdays
		case lw == "weekly" || lw == "on":
			d, err := next("a day", w+" mon")
			if err != nil {
				return err
			}
			if err := a.setDays(d); err != nil {
				return err
			}
		case dayNumber(strings.Split(lw, ",")[0]) >= 0:
			if err := a.setDays(w); err != nil {
				return err
			}
		case lw == "always":
			a.always = true
		case !zoneSet:
			if strings.EqualFold(w, "utc") {
				w = "UTC"
			}
			if _, err := LoadZone(w); err != nil {
				return inputError{"unknown time zone", w, "want an IANA zone such as Europe/Paris or America/New_York"}
			}
			a.zone, zoneSet = w, true
		default:
			return inputError{"unexpected", w, "after the kind come at HH:MM, a time zone, and daily, weekdays or weekly <day>"}
		}
	}
	return nil
}

func (a *subscribeArgs) setDays(w string) error {
	d, err := parseDayList(w)
	if err != nil {
		return inputError{"unknown day", w, "want mon, tue, wed, thu, fri, sat or sun (several: mon,thu)"}
	}
	a.days = d
	return nil
}
