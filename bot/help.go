package bot

import (
	"context"
	"strings"
)

// help is generated from the command table.
func (e *Engine) help(_ context.Context, _ Request, args string) *Reply {
	if args != "" {
		name := strings.ToLower(strings.TrimLeft(strings.Fields(args)[0], "/"))
		c, ok := e.Command(name)
		if !ok {
			r := e.helpAll()
			r.Outcome = OutcomeNotFound
			r.Intro = (&textBuilder{}).our("There is no command “/").user(echo(name)).our("”. Here is what I can do.").t
			return r
		}
		return helpOne(c)
	}
	return e.helpAll()
}

func (e *Engine) helpAll() *Reply {
	r := &Reply{Command: "help", Outcome: OutcomeOK, Private: true, Title: "What I can do",
		Intro: Plain("Every answer is built from curated briefs and cites the documents it rests on. /help <command> for details.")}
	s := Section{Heading: "Commands"}
	for _, c := range e.table {
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(c.Usage() + " — " + c.Summary)})
	}
	r.Sections = []Section{s}
	return r
}

func helpOne(c Command) *Reply {
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
func (e *Engine) unknownCommand(name string) *Reply {
	r := e.helpAll()
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
