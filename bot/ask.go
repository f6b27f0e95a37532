package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
)

// How /ask answers.
const (
	// askShow is how many claims an answer shows at most.
	askShow = 5
	// minQuestionCoverage is the share of a question (by IDF weight) the
	// briefs must know for any answer: below it, a question is about
	// something the documents do not contain. Set from the question table
	// in ask_questions_test.go.
	minQuestionCoverage = 0.5
	// minClaimCoverage is the share of a question the best claim must
	// match when claims are ranked with no clearer intent. Set from the
	// same table.
	minClaimCoverage = 0.6
)

// askCommand is the /ask row of the command table.
func (e *Engine) askCommand() Command {
	return Command{Name: "ask", Summary: "A question in your own words, answered only from the briefs' claims",
		Args: []Arg{{Name: "question", Kind: ArgText, Required: true,
			Description: "Any question about the dossier's subject"}},
		Examples: []string{"/ask <question>"},
		Run:      e.ask}
}

func (e *Engine) ask(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	example := st.askExample()
	if strings.TrimSpace(args) == "" {
		return askUsage("Ask a question after /ask, e.g. " + example)
	}
	q := st.understand(args)
	if len(q.words) == 0 {
		return askUsage("That question has no words I can read. Try " + example)
	}
	if q.intents&intentHelp != 0 && len(q.terms) == 0 && len(q.unknown) == 0 {
		return e.helpAll(req)
	}
	r := st.answer(q)
	if r.Outcome == OutcomeNotFound && r.Command == "ask" {
		return e.coveredElsewhere(st, r, args)
	}
	return r
}

// maxElsewhere is how many other dossiers a "not covered" answer names.
const maxElsewhere = 3

// coveredElsewhere adds to a "not covered" answer the other dossiers that
// answer the question from their own claims.
func (e *Engine) coveredElsewhere(st *state, r *Reply, args string) *Reply {
	cat := e.cur.Load()
	var found []string
	for _, slug := range cat.order {
		other := cat.by[slug]
		if other == st || len(found) == maxElsewhere {
			continue
		}
		if a := other.answer(other.understand(args)); a.Outcome == OutcomeOK {
			found = append(found, slug)
		}
	}
	if len(found) == 0 {
		return r
	}
	out := *r // shared pieces are not changed: a new intro and sections
	out.Title = "Not covered here"
	out.Intro = Plain("The documents of “" + TitleOf(st.set) + "” don't cover that. I answer only with claims from the briefs, never with text of my own.")
	var bl []Bullet
	for _, slug := range found {
		bl = append(bl, Bullet{Text: Plain("“" + TitleOf(cat.by[slug].set) + "” (" + slug + ") has claims on it: /ask " + oneOffPrefix + slug + " " + echo(args))})
	}
	out.Sections = append([]Section{{Heading: "Other dossiers", Bullets: bl}}, r.Sections...)
	return &out
}

// askExample is an example question from the dossier's words: its own
// first /ask example, or one about its first actor.
func (st *state) askExample() string {
	if ex := st.dossierText().Text("ask").Examples; len(ex) > 0 {
		return ex[0]
	}
	if ex := st.examples("ask"); len(ex) > 0 {
		return ex[0]
	}
	return "/ask what do the documents say?"
}

// whoExample is " or /ask who is <person>?" for a dossier with people.
func (st *state) whoExample() string {
	if len(st.people.briefs) == 0 {
		return ""
	}
	return " or /ask who is " + st.people.briefs[0].ID + "?"
}

func askUsage(msg string) *Reply {
	r := usageReply("ask", msg)
	r.Title = "Ask a question"
	return r
}

// answer routes an understood question to the answer it wants.
func (st *state) answer(q *question) *Reply {
	switch {
	case q.foreign:
		return st.notCovered(q, "I read questions in English, the language of the documents.")
	case q.intents&intentGreeting != 0 && len(q.terms) == 0 && len(q.unknown) == 0:
		return askUsage("Hello. Ask me about the briefs in your own words, e.g. " + st.askExample() + " or /help for the commands.")
	}
	if len(q.terms) == 0 && len(q.unknown) == 0 && !q.date.set() && q.intents == 0 {
		return askUsage("Ask a whole question, e.g. " + st.askExample() + st.whoExample())
	}
	if len(q.unknown) > 0 && q.coverage() < minQuestionCoverage {
		return st.notCovered(q, "")
	}
	if r := st.structured(q); r != nil {
		return r
	}
	return st.ranked(q)
}

// structured answers a question whose intent and names are clear from the
// answer of the matching command, trimmed to what was asked. It returns
// nil when the question is not of that kind.
func (st *state) structured(q *question) *Reply {
	actors, people := q.entities(briefs.KindActor), q.entities(briefs.KindPerson)
	options, topics := q.entities(briefs.KindOption), q.entities(briefs.KindTopic)
	docs := q.entities(rank.KindDocument)
	switch {
	case q.intents&intentCompare != 0 && len(actors) >= 2:
		return st.askCompare(q, actors[0], actors[1], options)
	case q.intents&intentDemand != 0 && st.demandsOf(actors, people):
		return st.askTopic(q, "demands")
	case len(topics) > 0 && st.replies[topics[0]] != nil && len(actors)+len(people)+len(options) == 0:
		if q.content == 0 {
			return st.see(st.replies[topics[0]], "/"+topics[0])
		}
		return st.askTopic(q, topics[0])
	case q.intents&intentDisputes != 0:
		return st.askDisputes(q)
	case q.intents&intentWhen != 0 || q.date.set():
		return st.askTimeline(q)
	case len(people) > 0 && (q.intents&intentWho != 0 || len(actors)+len(options) == 0):
		return st.askWho(q, people[0])
	case q.intents&intentOpen != 0 && st.replies["questions"] != nil:
		return st.askTopic(q, "questions")
	case len(actors) > 0 && (q.intents&(intentStance|intentDemand) != 0 || len(q.unknown)+len(q.terms) <= len(q.mentions)):
		return st.askStance(q, q.actors(st)[0], options)
	case len(options) > 0 && len(actors) == 0 && (q.intents&intentOptions != 0 || len(q.terms) <= len(q.mentions)):
		return st.askOption(q, options[0])
	case q.intents&intentOptions != 0 && len(actors) == 0:
		if st.replies["options"] == nil {
			return nil
		}
		return st.see(st.replies["options"], "/options")
	case q.intents&intentSources != 0 || len(docs) > 0 && len(q.terms) <= len(q.mentions):
		if len(docs) > 0 {
			return st.see(st.replies["sources "+docs[0]], "/sources "+docs[0])
		}
		return st.see(st.replies["sources"], "/sources")
	}
	return nil
}

// demandsOf says whether a question about demands is about the demands the
// topic brief behind /demands records: it names nobody, or names an actor
// (or someone speaking for one) that the topic's own name or aliases name.
func (st *state) demandsOf(actors, people []string) bool {
	subjects, ok := st.topicSubjects["demands"]
	if !ok || st.replies["demands"] == nil {
		return false
	}
	if len(actors)+len(people) == 0 {
		return true
	}
	for _, p := range people {
		if b, ok := st.set.Brief(p); ok && b.SpeaksFor != "" {
			actors = append(actors, b.SpeaksFor)
		}
	}
	for _, a := range actors {
		if subjects[a] {
			return true
		}
	}
	return false
}

// see returns a cached command reply as the answer to a question, with a
// pointer to the command.
func (st *state) see(r *Reply, command string) *Reply {
	if r == nil {
		return nil
	}
	out := *r
	out.Command = "ask"
	out.Sections = append(slices.Clip(r.Sections), seeSection(command))
	return &out
}

func seeSection(commands ...string) Section {
	return Section{Heading: "More", Bullets: []Bullet{{Text: Plain("See " + strings.Join(commands, ", ") + ".")}}}
}
