package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
)

// maxParts bounds the messages of one digest the report looks for.
const maxParts = 10

// phase is a stretch of the run: slots at or after start and before end
// belong to it.
type phase struct {
	name       string
	start, end time.Time
}

// pair is one (channel, slot): the messages of each part, by the time
// the platform accepted them.
type pair struct {
	target string
	slot   time.Time
	parts  [maxParts][]time.Time
}

// tally is one row of the table.
type tally struct {
	slots, pairs, dups, missing, late int
	maxLate                           time.Duration
	lateness                          []time.Duration
}

func runReport(args []string, out io.Writer) (ok bool, err error) {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	recPath := fs.String("record", "posts.jsonl", "messages the fake accepted")
	phasesPath := fs.String("phases", "phases.tsv", "name, start and end (unix seconds) of each phase, tab-separated")
	job := fs.String("job", "schedule:chaos", "the job id of the schedule")
	targetList := fs.String("targets", "", "the schedule's targets, comma-separated")
	lateAfter := fs.Duration("late", 2*time.Minute, "a post later than this after its slot is late")
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	phases, err := readPhases(*phasesPath)
	if err != nil {
		return false, err
	}
	targets := strings.Split(*targetList, ",")
	pairs, byKey, byNonce := expected(*job, targets, phases)
	recs, err := readRecords(*recPath)
	if err != nil {
		return false, err
	}
	outside, parts := assign(recs, byKey, byNonce)
	rows := tallies(phases, pairs, parts, *lateAfter)
	printTable(out, phases, rows, outside)
	problems := printProblems(out, pairs, parts, *lateAfter)
	return problems == 0, nil
}

func readPhases(path string) ([]phase, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []phase
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want name, start and end", path, i+1)
		}
		start, err1 := strconv.ParseInt(f[1], 10, 64)
		end, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: start and end are unix seconds", path, i+1)
		}
		out = append(out, phase{name: f[0], start: time.Unix(start, 0).UTC(), end: time.Unix(end, 0).UTC()})
	}
	return out, nil
}

// expected lists the (channel, slot) pairs of every phase, indexed by slot
// key and by the nonce each part carries on Discord.
func expected(job string, targets []string, phases []phase) ([]*pair, map[string]*pair, map[string]partOf) {
	var pairs []*pair
	byKey := map[string]*pair{}
	byNonce := map[string]partOf{}
	for _, ph := range phases {
		for slot := ph.start.Truncate(time.Minute); slot.Before(ph.end); slot = slot.Add(time.Minute) {
			if slot.Before(ph.start) {
				continue
			}
			for _, t := range targets {
				p := &pair{target: t, slot: slot}
				key := job + "|" + t + "|" + slot.Format(time.RFC3339)
				pairs, byKey[key] = append(pairs, p), p
				for part := range maxParts {
					byNonce[discord.Nonce(bot.PostMark{Key: key, At: slot, Part: part})] = partOf{p, part}
				}
			}
		}
	}
	return pairs, byKey, byNonce
}

type partOf struct {
	pair *pair
	part int
}

func readRecords(path string) ([]record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// assign puts each accepted message on its pair: on Slack by the slot key
// in its metadata, on Discord by its nonce. It returns how many belong to
// no phase, and how many messages a digest takes on each platform (the
// most parts seen).
func assign(recs []record, byKey map[string]*pair, byNonce map[string]partOf) (outside int, parts map[string]int) {
	parts = map[string]int{}
	for _, r := range recs {
		var po partOf
		var ok bool
		switch r.Platform {
		case "slack":
			po.pair, ok = byKey[r.Key]
			po.part = r.Part
		case "discord":
			po, ok = byNonce[r.Nonce]
		}
		if !ok || po.part < 0 || po.part >= maxParts {
			outside++
			continue
		}
		po.pair.parts[po.part] = append(po.pair.parts[po.part], r.At)
		parts[r.Platform] = max(parts[r.Platform], po.part+1)
	}
	return outside, parts
}

func platformOf(target string) string {
	p, _, _ := strings.Cut(target, ":")
	return p
}

// check says what is wrong with a pair: duplicated parts, missing parts,
// and how late its last part came.
func (p *pair) check(parts int) (dup, missing bool, late time.Duration) {
	for i := range max(parts, 1) {
		ts := p.parts[i]
		switch {
		case len(ts) == 0:
			missing = true
			continue
		case len(ts) > 1:
			dup = true
		}
		late = max(late, slices.MinFunc(ts, func(a, b time.Time) int { return a.Compare(b) }).Sub(p.slot))
	}
	return dup, missing, late
}

func tallies(phases []phase, pairs []*pair, parts map[string]int, lateAfter time.Duration) []tally {
	rows := make([]tally, len(phases)+1) // the last is the total
	for _, p := range pairs {
		i := slices.IndexFunc(phases, func(ph phase) bool { return !p.slot.Before(ph.start) && p.slot.Before(ph.end) })
		dup, missing, late := p.check(parts[platformOf(p.target)])
		for _, row := range []*tally{&rows[i], &rows[len(phases)]} {
			row.pairs++
			row.dups += b2i(dup)
			row.missing += b2i(missing)
			if !missing {
				row.lateness = append(row.lateness, late)
				row.late += b2i(late > lateAfter)
				row.maxLate = max(row.maxLate, late)
			}
		}
	}
	for i, ph := range phases {
		for slot := ph.start.Truncate(time.Minute); slot.Before(ph.end); slot = slot.Add(time.Minute) {
			if !slot.Before(ph.start) {
				rows[i].slots++
				rows[len(phases)].slots++
			}
		}
	}
	return rows
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func printTable(out io.Writer, phases []phase, rows []tally, outside int) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "phase\tslots\t(channel, slot) pairs\tduplicates\tmissing\tlate (> 2m)\tmedian lateness\tmax lateness\t")
	for i, r := range rows {
		name := "total"
		if i < len(phases) {
			name = phases[i].name
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", name, r.slots, r.pairs, r.dups, r.missing, r.late,
			median(r.lateness).Round(time.Second), r.maxLate.Round(time.Second))
	}
	w.Flush()
	fmt.Fprintf(out, "(%d messages posted for slots outside the phases: before the first or after the last)\n", outside)
}

// printProblems lists every duplicated, missing or late pair and returns
// how many there were.
func printProblems(out io.Writer, pairs []*pair, parts map[string]int, lateAfter time.Duration) int {
	n := 0
	for _, p := range pairs {
		dup, missing, late := p.check(parts[platformOf(p.target)])
		var what []string
		if dup {
			what = append(what, "duplicate")
		}
		if missing {
			what = append(what, "missing")
		}
		if !missing && late > lateAfter {
			what = append(what, "late "+late.Round(time.Second).String())
		}
		if len(what) == 0 {
			continue
		}
		if n++; n <= 40 {
			fmt.Fprintf(out, "  %s %s: %s\n", p.target, p.slot.Format("15:04"), strings.Join(what, ", "))
		}
	}
	if n > 40 {
		fmt.Fprintf(out, "  … and %d more\n", n-40)
	}
	return n
}
