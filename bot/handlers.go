package bot

import (
	"context"
	"strings"
)

// cached returns a prebuilt reply, or a clear error when the set lacks it.
func (st *state) cached(key string) *Reply {
	if r, ok := st.replies[key]; ok {
		return r
	}
	if r := st.unsupported(strings.Fields(key)[0]); r != nil {
		return r
	}
	return &Reply{Command: key, Outcome: OutcomeNotFound, Private: true, Title: "Nothing to show",
		Intro: Plain("The “" + TitleOf(st.set) + "” dossier has no brief for “" + key + "”.")}
}

func (e *Engine) stance(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	return st.named("stance", "actor", args, st.actors)
}

// named is the prebuilt reply of cmd for the brief args names in n, or
// the reply that asks for one (args empty) or says none matches.
func (st *state) named(cmd, what, args string, n *names) *Reply {
	if args == "" {
		return st.missing(cmd, what, n)
	}
	b, ok := n.find(args)
	if !ok {
		return st.notFound(cmd, what, args, n)
	}
	return st.replies[cmd+" "+b.ID]
}

func (e *Engine) options(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	if args == "" {
		return st.cached("options")
	}
	o, ok := st.options.find(args)
	if !ok {
		return st.notFound("options", "option", args, st.options)
	}
	return st.replies["options "+o.ID]
}

func (e *Engine) who(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	return st.named("who", "person", args, st.people)
}

func (e *Engine) sources(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	if args == "" {
		return st.cached("sources")
	}
	if r := st.paragraphsCommand(args); r != nil {
		return r
	}
	d, ok := st.docs.find(strings.TrimSuffix(args, ":"))
	if !ok {
		return st.notFound("sources", "document", args, st.docs)
	}
	return st.replies["sources "+d.ID]
}

func (e *Engine) timeline(_ context.Context, req Request, _ string) *Reply {
	return e.stateOf(req).cached("timeline")
}
func (e *Engine) disputes(_ context.Context, req Request, _ string) *Reply {
	return e.stateOf(req).cached("disputes")
}
func (e *Engine) matrix(_ context.Context, req Request, _ string) *Reply {
	return e.stateOf(req).cached("matrix")
}

func (e *Engine) topicCommand(cmd, id string) func(context.Context, Request, string) *Reply {
	return func(_ context.Context, req Request, _ string) *Reply { return e.stateOf(req).cached(id) }
}

// compare splits the argument text into two actor names. Names may have
// several words ("united kingdom"), so every split point is tried; "vs",
// "and", "," and "|" may separate them.
func (e *Engine) compare(_ context.Context, req Request, args string) *Reply {
	st := e.stateOf(req)
	words := strings.Fields(strings.NewReplacer(",", " ", "|", " ", "&", " ").Replace(args))
	words = dropSeparators(words)
	if len(words) < 2 {
		r := st.missing("compare", "two actors", st.actors)
		r.Intro = Plain("Name two actors, e.g. " + st.compareExample() + ".")
		return r
	}
	for i := 1; i < len(words); i++ {
		x, okx := st.actors.find(strings.Join(words[:i], " "))
		y, oky := st.actors.find(strings.Join(words[i:], " "))
		if okx && oky {
			if x == y {
				return usageReply("compare", "Those are the same actor, "+x.Name+". Name two different actors, e.g. "+st.compareExample()+".")
			}
			return st.compareReply(x, y)
		}
	}
	return st.compareUnknown(words)
}

// compareUnknown answers /compare when no split of the words names two
// known actors: it names each unknown argument on its own (the first
// known, the second not; or both unknown), and asks for a separator when
// names of several words cannot be told apart.
func (st *state) compareUnknown(words []string) *Reply {
	for i := len(words) - 1; i >= 1; i-- {
		if x, ok := st.actors.find(strings.Join(words[:i], " ")); ok {
			return st.notFound("compare", "actor", strings.Join(words[i:], " "), st.actors).withTitle("No actor matches the second name (first: " + x.Name + ")")
		}
	}
	for i := 1; i < len(words); i++ {
		if y, ok := st.actors.find(strings.Join(words[i:], " ")); ok {
			return st.notFound("compare", "actor", strings.Join(words[:i], " "), st.actors).withTitle("No actor matches the first name (second: " + y.Name + ")")
		}
	}
	r := st.notFound("compare", "actor", "", st.actors).withTitle("No actor by those names")
	if len(words) == 2 {
		r.Intro = st.unknownText("actor", words, st.actors)
		return r
	}
	r.Intro = append(st.unknownText("actor", []string{strings.Join(words, " ")}, st.actors),
		Plain(" Separate two names with “and”, “vs” or a comma, e.g. "+st.compareCommaExample()+".")...)
	return r
}

// compareExample is "/compare <actor> <actor>" with the dossier's first
// two actors.
func (st *state) compareExample() string {
	if ex := st.examples("compare"); len(ex) > 0 {
		return ex[0]
	}
	return "/compare <actor> <actor>"
}

// compareCommaExample names the first two actors in full, with a comma.
func (st *state) compareCommaExample() string {
	if len(st.actors.briefs) < 2 {
		return "/compare <actor>, <actor>"
	}
	return "/compare " + strings.ToLower(st.actors.briefs[0].Name) + ", " + strings.ToLower(st.actors.briefs[1].Name)
}

func dropSeparators(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		switch strings.ToLower(w) {
		case "vs", "vs.", "versus", "and", "with", "v":
			continue
		}
		out = append(out, w)
	}
	return out
}

func (r *Reply) withTitle(t string) *Reply {
	r.Title = t
	return r
}

// notFound answers an unknown name: it says so, echoing the name as user
// text, suggests the closest names and lists what is known.
func (st *state) notFound(cmd, what, typed string, n *names) *Reply {
	r := &Reply{Command: cmd, Outcome: OutcomeNotFound, Private: true, Title: "No " + what + " by that name"}
	r.Intro = st.unknownText(what, []string{typed}, n)
	r.Sections = []Section{st.knownList(what, n, cmd)}
	return r
}

// missing answers a command given without its required argument.
func (st *state) missing(cmd, what string, n *names) *Reply {
	r := &Reply{Command: cmd, Outcome: OutcomeUsage, Private: true, Title: "Which " + what + "?",
		Intro: Plain("Usage: /" + cmd + " <" + what + ">, e.g. /" + cmd + " " + firstID(n) + ".")}
	r.Sections = []Section{st.knownList(what, n, cmd)}
	return r
}

func firstID(n *names) string {
	if len(n.briefs) == 0 {
		return ""
	}
	return n.briefs[0].ID
}

func (st *state) displayList(ids []string, n *names) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		for _, b := range n.briefs {
			if b.ID == id {
				out = append(out, b.Name+" ("+b.ID+")")
			}
		}
	}
	return out
}

func (st *state) knownList(what string, n *names, cmd string) Section {
	parts := make([]string, 0, len(n.briefs))
	for _, b := range n.briefs {
		parts = append(parts, b.Name+" ("+b.ID+")")
	}
	return Section{Heading: "Known: " + plural(what), Bullets: []Bullet{{Text: Plain(strings.Join(parts, ", ") + ". Example: /" + cmd + " " + firstID(n))}}}
}

func plural(what string) string {
	if strings.HasSuffix(what, "s") {
		return what
	}
	if what == "person" {
		return "people"
	}
	return what + "s"
}
