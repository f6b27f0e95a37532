package bot

import (
	"context"
	"strings"
)

// ArgKind says what an argument names, so adapters can type it and offer
// completion.
type ArgKind string

// Argument kinds.
const (
	ArgActor    ArgKind = "actor"
	ArgOption   ArgKind = "option"
	ArgPerson   ArgKind = "person"
	ArgDocument ArgKind = "document"
	ArgCommand  ArgKind = "command"
	ArgText     ArgKind = "text"
	ArgDossier  ArgKind = "dossier"
)

// Arg describes one argument of a command.
type Arg struct {
	Name        string
	Kind        ArgKind
	Required    bool
	Description string
	Choices     []string // fixed values, when the argument takes only these
}

// Command is one row of the command table.
type Command struct {
	Name string
	// Names are the names the command is registered under on a platform
	// where Name is taken, by platform: "who" is "whois" on Slack, which
	// keeps /who for itself. Text names the command by Name; each platform
	// shows its own name (see Naming).
	Names    map[string]string
	Summary  string // one line, under 100 characters
	Args     []Arg
	Examples []string
	// Manage marks commands (or subcommands) that change channel settings.
	Manage bool
	// Mentions says the arguments may name people, which a platform then
	// sends as ids (Slack: the command's should_escape).
	Mentions bool
	// Waits marks commands that may wait on the store (subscriptions,
	// bindings): an adapter with a deadline never runs them inline.
	Waits bool
	Run   func(ctx context.Context, req Request, args string) *Reply
}

// Usage is the command's usage line, e.g. "/compare <actor> <actor>".
func (c Command) Usage() string {
	var b strings.Builder
	b.WriteString("/" + c.Name)
	for _, a := range c.Args {
		if a.Required {
			b.WriteString(" <" + a.Name + ">")
		} else {
			b.WriteString(" [" + a.Name + "]")
		}
	}
	return b.String()
}

// builtins is the command table of the core.
func (e *Engine) builtins() []Command {
	return []Command{
		{Name: "stance", Summary: "An actor's stance, option by option, sourced",
			Args:     []Arg{{Name: "actor", Kind: ArgActor, Required: true, Description: "An actor of the dossier: a country, institution, company or group"}},
			Examples: []string{"/stance <actor>"}, Run: e.stance},
		{Name: "options", Summary: "The options discussed, or one option in detail",
			Args:     []Arg{{Name: "option", Kind: ArgOption, Description: "An option of the dossier"}},
			Examples: []string{"/options", "/options <option>"}, Run: e.options},
		{Name: "demands", Summary: "What the parties demand and would trade",
			Examples: []string{"/demands"}, Run: e.topicCommand("demands", "demands")},
		{Name: "compare", Summary: "Two actors side by side, option by option",
			Args: []Arg{{Name: "actor", Kind: ArgActor, Required: true, Description: "The first actor"},
				{Name: "other", Kind: ArgActor, Required: true, Description: "The second actor"}},
			Examples: []string{"/compare <actor> <actor>"}, Run: e.compare},
		{Name: "who", Names: map[string]string{PlatformSlack: "whois"}, Summary: "A person quoted or named: office, side and what they said",
			Args:     []Arg{{Name: "person", Kind: ArgPerson, Required: true, Description: "A name or surname"}},
			Examples: []string{"/who <name>"}, Run: e.who},
		{Name: "timeline", Summary: "Dated events and announced next steps, in order",
			Examples: []string{"/timeline"}, Run: e.timeline},
		{Name: "disputes", Summary: "Where the documents contradict each other, and where views differ",
			Examples: []string{"/disputes"}, Run: e.disputes},
		{Name: "matrix", Summary: "Actors against options at a glance",
			Examples: []string{"/matrix"}, Run: e.matrix},
		{Name: "questions", Summary: "What the documents leave open",
			Examples: []string{"/questions"}, Run: e.topicCommand("questions", "questions")},
		{Name: "sources", Summary: "The documents behind every answer, one in detail, or a paragraph word for word",
			Args:     []Arg{{Name: "document", Kind: ArgDocument, Description: "A document id, e.g. d004, or a paragraph, e.g. d004:p21"}},
			Examples: []string{"/sources", "/sources d004", "/sources d004:p21"}, Run: e.sources},
		e.askCommand(),
		e.dossierCommand(),
		{Name: "help", Summary: "What the bot can do, or how to use one command",
			Args:     []Arg{{Name: "command", Kind: ArgCommand, Description: "A command name, e.g. stance"}},
			Examples: []string{"/help", "/help compare"}, Run: e.help},
	}
}
