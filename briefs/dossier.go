package briefs

import (
	"regexp"
	"strings"
)

// KindDossier is the kind of the one file that names a dossier and gives
// the words its answers use.
const KindDossier = "dossier"

// Dossier describes a corpus and its briefs as users meet them: a slug to
// bind channels to, a title, a line saying what it covers, and the words
// of its commands ("stance on …", the title of /options). Everything the
// bot says about the subject comes from here or from the briefs; a set
// without a dossier file gets neutral words.
type Dossier struct {
	Kind        string `yaml:"kind"`
	Slug        string `yaml:"slug"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	// Overview is the id of a topic brief shown at the head of /options.
	Overview string `yaml:"overview,omitempty"`
	// Commands holds the words of each command, by command name.
	Commands map[string]CommandText `yaml:"commands,omitempty"`

	File string `yaml:"-"`
	Line int    `yaml:"-"`
}

// CommandText is what a dossier says of one command. Title may hold
// {name}, replaced by the brief's name.
type CommandText struct {
	Summary  string   `yaml:"summary,omitempty"`
	Title    string   `yaml:"title,omitempty"`
	Argument string   `yaml:"argument,omitempty"`
	Examples []string `yaml:"examples,omitempty"`
	// Aliases are other command names this dossier answers to.
	Aliases []string `yaml:"aliases,omitempty"`
}

// Text returns the dossier's words for a command (zero when it has none).
func (d *Dossier) Text(command string) CommandText {
	if d == nil {
		return CommandText{}
	}
	return d.Commands[command]
}

// TitleFor is the command's title with {name} filled in, or def when the
// dossier gives none.
func (d *Dossier) TitleFor(command, name, def string) string {
	t := d.Text(command).Title
	if t == "" {
		t = def
	}
	return strings.ReplaceAll(t, "{name}", name)
}

// SlugRE is what a dossier slug may be: lower-case letters, digits and '-',
// starting with a letter, at most 40 characters.
var SlugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)

// SlugOf turns a folder name into a slug ("My Tariffs" → "my-tariffs").
func SlugOf(name string) string {
	s := strings.Trim(strings.ReplaceAll(Normalize(name), " ", "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "d-" + s
	}
	return strings.TrimRight(s, "-")
}

func (l *loader) validateDossier() {
	d := l.set.Dossier
	if d == nil {
		return
	}
	if d.Slug != "" && !SlugRE.MatchString(d.Slug) {
		l.add(d.File, d.Line, "dossier slug %q must be lower-case letters, digits and '-', starting with a letter, at most 40 characters", d.Slug)
	}
	if d.Overview != "" {
		if b, ok := l.set.byID[d.Overview]; !ok || b.Kind != KindTopic {
			l.add(d.File, d.Line, "overview %q is not the id of a topic brief", d.Overview)
		}
	}
	for name, t := range d.Commands {
		if len(t.Summary) > 100 {
			l.add(d.File, d.Line, "commands.%s.summary is %d characters; at most 100 fit a slash command's description", name, len(t.Summary))
		}
		for _, a := range t.Aliases {
			if !idRE.MatchString(a) {
				l.add(d.File, d.Line, "commands.%s: alias %q must be lower-case letters, digits and '-'", name, a)
			}
		}
	}
}
