package bot

import (
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
)

// notCovered says plainly that the documents do not cover a question, names
// what they have nothing on, and suggests the closest commands.
func (st *state) notCovered(q *question, note string) *Reply {
	r := &Reply{Command: "ask", Outcome: OutcomeNotFound, Private: true, Title: "Not covered by the documents"}
	tb := &textBuilder{}
	if note == "" && len(q.unknown) >= 3 && len(q.unknown) > 2*(len(q.mentions)+q.content) {
		note = "I read questions in English, the language of the documents."
	}
	if note != "" {
		tb.our(note + " ")
	}
	tb.our("The documents behind these briefs don't cover that")
	for i, w := range q.unknown {
		if i == 3 {
			break
		}
		if i == 0 {
			tb.our(": nothing on “")
		} else {
			tb.our("”, “")
		}
		tb.user(echo(w))
	}
	if len(q.unknown) > 0 {
		tb.our("”")
	}
	tb.our(". I answer only with claims from the briefs, never with text of my own.")
	r.Intro = tb.t
	r.Sections = []Section{{Heading: "Closest commands", Bullets: []Bullet{{Text: Plain(strings.Join(st.closest(q), ", "))}}}}
	return r
}

// closest suggests commands for a question: those showing what it names
// (names within a typo of a word were found already), then help and the
// sources.
func (st *state) closest(q *question) []string {
	var out []string
	add := func(c string) {
		if c != "" && !containsString(out, c) && len(out) < 5 {
			out = append(out, c)
		}
	}
	for _, m := range q.mentions {
		for _, e := range m.Entities {
			add(st.commandOf(e))
		}
	}
	add("/help")
	add("/sources")
	return out
}

// commandOf is the command that shows an entity.
func (st *state) commandOf(e rank.Entity) string {
	if e.Kind == rank.KindDocument {
		return "/sources " + e.ID
	}
	if b, ok := st.set.Brief(e.ID); ok && b.Kind == e.Kind {
		return st.commandFor(b)
	}
	return ""
}

// topicSubjects finds, for each topic brief, the actors its own name and
// aliases name (a person counts as the actor they speak for), so that a
// question about what one of them wants can be answered from that topic.
// Every run of words of a name is looked up, since the longest one is
// often the topic itself ("the union's demands").
func topicSubjects(set *briefs.Set, ix *rank.Index) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, t := range set.OfKind(briefs.KindTopic) {
		subj := map[string]bool{}
		for _, name := range t.Names() {
			words := strings.Fields(briefs.Normalize(name))
			for i := range words {
				for j := i + 1; j <= len(words); j++ {
					for _, e := range ix.Alias(strings.Join(words[i:j], " ")) {
						addSubject(set, subj, e)
					}
				}
			}
		}
		out[t.ID] = subj
	}
	return out
}

func addSubject(set *briefs.Set, subj map[string]bool, e rank.Entity) {
	switch e.Kind {
	case briefs.KindActor:
		subj[e.ID] = true
	case briefs.KindPerson:
		if p, ok := set.Brief(e.ID); ok && p.SpeaksFor != "" {
			subj[p.SpeaksFor] = true
		}
	}
}
