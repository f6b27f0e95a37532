package bot

import (
	"context"
	"strings"
)

// help is generated from the command table.
func (e *Engine) help(_ context.Context, req Request, args string) *Reply {
	if args != "" {
		name := strings.ToLower(strings.TrimLeft(strings.Fields(args)[0], "/"))
		c, ok := e.commandIn(e.stateOf(req), name)
		if !ok {
			r := e.helpAll(req)
			r.Outcome = OutcomeNotFound
			r.Intro = (&textBuilder{}).our("There is no command “/").user(echo(name)).our("”. Here is what I can do.").t
			return r
		}
		return e.stateOf(req).helpOne(c)
	}
	return e.helpAll(req)
}

// helpAll lists the commands in the words of the request's dossier; those
// it has no data for are named apart, with what is missing.
func (e *Engine) helpAll(req Request) *Reply {
	st := e.stateOf(req)
	r := &Reply{Command: "help", Outcome: OutcomeOK, Private: true, Title: "What I can do",
		Intro: Plain("Answers here come from the “" + TitleOf(st.set) + "” dossier (" + st.dossierText().Slug + "). Every answer is built from curated briefs and cites the documents it rests on. /help <command> for details.")}
	s := Section{Heading: "Commands"}
	var lacking []string
	for _, c := range st.commands(e.table) {
		if why := st.missingData(c.Name); why != "" {
			lacking = append(lacking, "/"+c.Name+" ("+why+")")
			continue
		}
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(c.Usage() + " — " + c.Summary)})
	}
	r.Sections = []Section{s}
	if len(lacking) > 0 {
		r.Sections = append(r.Sections, Section{Heading: "Not in this dossier",
			Bullets: []Bullet{{Text: Plain(strings.Join(lacking, "; ") + ".")}}})
	}
	return r
}

func (st *state) helpOne(c Command) *Reply {
	r := &Reply{Command: "help", Outcome: OutcomeOK, Private: true, Title: c.Usage(), Intro: Plain(c.Summary + ".")}
	if len(c.Args) > 0 {
		s := Section{Heading: "Arguments"}
		for _, a := range c.Args {
			req := "optional"
			if a.Required {
				req = "required"
			}
			line := a.Name + " (" + req + "): " + a.Description
			if len(a.Choices) > 0 {
				line += " One of: " + strings.Join(a.Choices, ", ") + "."
			}
			s.Bullets = append(s.Bullets, Bullet{Text: Plain(line)})
		}
		r.Sections = append(r.Sections, s)
	}
	if len(c.Examples) > 0 {
		s := Section{Heading: "Examples"}
		for _, ex := range c.Examples {
			s.Bullets = append(s.Bullets, Bullet{Text: Plain(ex)})
		}
		r.Sections = append(r.Sections, s)
	}
	return r
}

// unknownCommand answers a command that is not in the table with help.
func (e *Engine) unknownCommand(req Request, name string) *Reply {
	r := e.helpAll(req)
	r.Command = ""
	r.Outcome = OutcomeUnknownCommand
	tb := &textBuilder{}
	tb.our("I don't know the command “/").user(echo(name)).our("”.")
	if sug := e.closeCommand(strings.TrimPrefix(name, e.prefix)); sug != "" {
		tb.our(" Did you mean /" + sug + "?")
	}
	tb.our(" Here is what I can do.")
	r.Intro = tb.t
	return r
}
