package bot

import (
	"strings"
)

// CommandSupport says whether a dossier has the data a command answers
// from, and if not, what it lacks.
type CommandSupport struct {
	Name    string
	Missing string // empty when the dossier supports the command
}

// Support lists, for every command of the table, whether the dossier slug
// has what it needs. ok is false for an unknown slug.
func (e *Engine) Support(slug string) ([]CommandSupport, bool) {
	st, ok := e.cur.Load().by[slug]
	if !ok {
		return nil, false
	}
	out := make([]CommandSupport, 0, len(e.table))
	for _, c := range e.table {
		out = append(out, CommandSupport{Name: c.Name, Missing: st.missingData(c.Name)})
	}
	return out, true
}

// missingData says what the dossier lacks for a command, or "".
func (st *state) missingData(cmd string) string {
	switch cmd {
	case "stance":
		if len(st.actors.briefs) == 0 {
			return "no actor briefs (kind: actor)"
		}
	case "compare":
		if len(st.actors.briefs) < 2 {
			return "fewer than two actor briefs (kind: actor)"
		}
	case "options":
		if len(st.options.briefs) == 0 {
			return "no option briefs (kind: option)"
		}
	case "matrix":
		if len(st.byActor) == 0 {
			return "no claims with a position: (actor, option, stance)"
		}
	case "who":
		if len(st.people.briefs) == 0 {
			return "no person briefs (kind: person)"
		}
	case "timeline":
		if st.replies[cmd] == nil {
			return "no dated claims (when:)"
		}
	case "demands", "questions":
		if st.replies[cmd] == nil {
			return `no topic brief with id "` + cmd + `"`
		}
	case "disputes":
		if len(st.set.Disputes) == 0 {
			return "no disputes file (kind: disputes)"
		}
	}
	return ""
}

// unsupported answers a command the dossier has no data for, plainly: what
// is missing and what the dossier does answer.
func (st *state) unsupported(cmd string) *Reply {
	why := st.missingData(cmd)
	if why == "" {
		return nil
	}
	d := st.dossierText()
	r := &Reply{Command: cmd, Outcome: OutcomeNotFound, Private: true,
		Title: "/" + cmd + " has nothing to answer from in this dossier",
		Intro: Plain("The “" + TitleOf(st.set) + "” dossier (" + d.Slug + ") has " + why + ", so /" + cmd + " has nothing to show here.")}
	if other := st.supported(); len(other) > 0 {
		r.Sections = []Section{{Heading: "What this dossier answers",
			Bullets: []Bullet{{Text: Plain("/" + strings.Join(other, ", /") + ". /dossier shows the other dossiers.")}}}}
	}
	return r
}

// supported lists the data commands this dossier answers.
func (st *state) supported() []string {
	var out []string
	for _, c := range []string{"stance", "options", "compare", "who", "matrix", "timeline", "disputes", "demands", "questions", "sources", "ask"} {
		if st.missingData(c) == "" {
			out = append(out, c)
		}
	}
	return out
}
