package bot

import (
	"slices"
	"strings"

	"github.com/briefbot/briefbot/briefs"
)

// stanceGroup is one stance an actor takes on an option, for one scope,
// with the claims it rests on.
type stanceGroup struct {
	stance, scope string
	claims        []*briefs.Claim
}

// reportedOnly reports whether every claim behind the stance is one a
// document only reports as someone's account.
func (g stanceGroup) reportedOnly() bool {
	for _, c := range g.claims {
		if !c.Reported {
			return false
		}
	}
	return len(g.claims) > 0
}

// label words the stance for glances, lists and cells: "offers",
// "rejects (own part)", "supports (by others)", "offers (reported)".
func (g stanceGroup) label() string {
	var q []string
	if s := scopeWords(g.scope); s != "" {
		q = append(q, s)
	}
	if g.reportedOnly() {
		q = append(q, "reported")
	}
	if len(q) == 0 {
		return g.stance
	}
	return g.stance + " (" + strings.Join(q, "; ") + ")"
}

// code is the stance's matrix code: "R", or "O*" when only reported.
func (g stanceGroup) code() string {
	c := stanceCode(g.stance)
	if g.reportedOnly() {
		c += "*"
	}
	return c
}

func scopeWords(scope string) string {
	switch scope {
	case briefs.ScopeOwn:
		return "own part"
	case briefs.ScopeOthers:
		return "by others"
	}
	return ""
}

// positionLabel names one claim's stance: "rejects, own part".
func positionLabel(p *briefs.Position) string {
	if s := scopeWords(p.Scope); s != "" {
		return p.Stance + ", " + s
	}
	return p.Stance
}

// scopeRank orders the actor's own part and general stances before what it
// backs others doing.
func scopeRank(scope string) int {
	if scope == briefs.ScopeOthers {
		return 1
	}
	return 0
}

// groupStances groups position claims (of one actor on one option) by
// stance and scope, in display order: own part and general first, then by
// others; within each, the canonical order of stances.
func groupStances(cs []*briefs.Claim) []stanceGroup {
	var out []stanceGroup
	for _, rank := range []int{0, 1} {
		for _, s := range briefs.Stances() {
			var scopes []string
			for _, c := range cs {
				p := c.Position
				if p.Stance == s && scopeRank(p.Scope) == rank && !slices.Contains(scopes, p.Scope) {
					scopes = append(scopes, p.Scope)
				}
			}
			for _, scope := range scopes {
				g := stanceGroup{stance: s, scope: scope}
				for _, c := range cs {
					if c.Position.Stance == s && c.Position.Scope == scope {
						g.claims = append(g.claims, c)
					}
				}
				out = append(out, g)
			}
		}
	}
	return out
}

// labels words every stance of the groups, joined: "offers / undecided (reported)".
func labels(gs []stanceGroup) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = g.label()
	}
	return strings.Join(parts, " / ")
}

// split reports whether the groups hold two stances for the same scope:
// the documents report different positions.
func split(gs []stanceGroup) bool {
	for i, a := range gs {
		for _, b := range gs[i+1:] {
			if scopeRank(a.scope) == scopeRank(b.scope) && a.stance != b.stance {
				return true
			}
		}
	}
	return false
}

// splitNotes says, for each actor the claims show under two stances (for
// the same scope), that the documents differ: the recorded disputes over
// those claims, or a plain note when none is recorded.
func (st *state) splitNotes(cs []*briefs.Claim) []Text {
	order, byActor := positionsBy(cs, func(p *briefs.Position) string { return p.Actor })
	var notes []Text
	for _, actor := range order {
		gs := groupStances(byActor[actor])
		if !split(gs) {
			continue
		}
		var seen []*briefs.Dispute
		for _, c := range byActor[actor] {
			for _, d := range st.set.DisputesOf(c.ID) {
				if !slices.Contains(seen, d) {
					seen = append(seen, d)
					notes = append(notes, Plain(disputeLabel(d)+" ("+st.name(actor)+") — "+d.About+" (/disputes)."))
				}
			}
		}
		if len(seen) == 0 {
			notes = append(notes, Plain(st.name(actor)+" appears as "+labels(gs)+": the documents report different positions (/stance "+actor+")."))
		}
	}
	return notes
}

// disputeLabel words a dispute by its kind.
func disputeLabel(d *briefs.Dispute) string {
	switch d.DisputeKind() {
	case briefs.DisputeWithin:
		return "Within one document"
	case briefs.DisputePeople:
		return "Views differ, as reported"
	}
	return "Sources differ"
}
