package bot

import (
	"regexp"
	"strings"
)

// Naming is how one platform names the commands of the table: every name
// starts with the configured prefix ("bb-"), and a row may carry its own
// name for a platform where its name is taken (Slack keeps /who for
// itself, so "who" is registered there as "whois"). Everything a user
// reads on a platform names commands through its Naming, so answers,
// help and hints name only what that platform registered.
type Naming struct {
	platform string
	prefix   string
	table    []Command
}

// NewNaming returns the naming of table's commands on platform.
func NewNaming(platform, prefix string, table []Command) Naming {
	return Naming{platform: platform, prefix: prefix, table: table}
}

// Platform is the platform this naming is for.
func (n Naming) Platform() string { return n.platform }

// Commands is the command table the naming names.
func (n Naming) Commands() []Command { return n.table }

// Prefix is the prefix every registered name starts with.
func (n Naming) Prefix() string { return n.prefix }

// Name is the name c is registered under on the platform, without the
// slash: "bb-whois".
func (n Naming) Name(c Command) string {
	if name, ok := c.Names[n.platform]; ok && name != "" {
		return n.prefix + name
	}
	return n.prefix + c.Name
}

// Usage is c's usage line as typed on the platform: "/bb-whois <person>".
func (n Naming) Usage(c Command) string {
	return "/" + n.Name(c) + strings.TrimPrefix(c.Usage(), "/"+c.Name)
}

// Lookup finds the command a typed name means: the name registered on
// any platform, with or without the prefix.
func (n Naming) Lookup(typed string) (Command, bool) {
	return lookup(n.table, n.prefix, typed)
}

// lookup matches a row's own name or any platform's name for it, first
// as typed, then without the prefix.
func lookup(table []Command, prefix, typed string) (Command, bool) {
	typed = strings.ToLower(strings.TrimLeft(typed, "/"))
	for _, name := range []string{typed, strings.TrimPrefix(typed, prefix)} {
		if name == "" {
			continue
		}
		for _, c := range table {
			if c.Name == name {
				return c, true
			}
			for _, alt := range c.Names {
				if alt == name {
					return c, true
				}
			}
		}
	}
	return Command{}, false
}

// commandRef finds what may be a command named in our text: a slash at the
// start or after a space or opening punctuation, then a name. Slashes
// inside words ("Europe/Paris", "and/or", URLs) are not references.
var commandRef = regexp.MustCompile(`(^|[\s(“"'‘«\[])/([\p{L}\p{N}_-]+)`)

// String names every command that s refers to as the platform registers
// it: "/who <name>" becomes "/whois <name>" on Slack. Names of no command
// are left as they are.
func (n Naming) String(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	return commandRef.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.LastIndexByte(m, '/')
		c, ok := n.Lookup(m[i+1:])
		if !ok {
			return m
		}
		return m[:i+1] + n.Name(c)
	})
}

// Text names the commands of our spans; spans that echo a user are kept
// as typed.
func (n Naming) Text(t Text) Text {
	var out Text
	for i, sp := range t {
		if sp.User {
			continue
		}
		if s := n.String(sp.Text); s != sp.Text {
			if out == nil {
				out = append(Text(nil), t...)
			}
			out[i].Text = s
		}
	}
	if out == nil {
		return t
	}
	return out
}

// Reply returns r with every command it names named as on the platform:
// title, intro, headings, bullets and notes. Quotes, paragraphs word for
// word, sources and tables are the documents' words and are kept. r is
// shared and never changed; when nothing changes r itself is returned.
func (n Naming) Reply(r *Reply) *Reply {
	if r == nil || !n.renames() {
		return r
	}
	out := *r
	changed := false
	set := func(dst *string) {
		if s := n.String(*dst); s != *dst {
			*dst, changed = s, true
		}
	}
	set(&out.Title)
	if t := n.Text(r.Intro); !sameText(t, r.Intro) {
		out.Intro, changed = t, true
	}
	if secs, ok := n.sections(r.Sections); ok {
		out.Sections, changed = secs, true
	}
	if !changed {
		return r
	}
	return &out
}

// renames reports whether the naming differs from the table's own names.
func (n Naming) renames() bool {
	if n.prefix != "" {
		return true
	}
	for _, c := range n.table {
		if n.Name(c) != c.Name {
			return true
		}
	}
	return false
}

func (n Naming) sections(secs []Section) ([]Section, bool) {
	var out []Section
	for i, s := range secs {
		ns, ok := n.section(s)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]Section(nil), secs...)
		}
		out[i] = ns
	}
	return out, out != nil
}

func (n Naming) section(s Section) (Section, bool) {
	changed := false
	if h := n.String(s.Heading); h != s.Heading {
		s.Heading, changed = h, true
	}
	var bullets []Bullet
	for i, b := range s.Bullets {
		nb, diff := n.bullet(b)
		if !diff {
			continue
		}
		if bullets == nil {
			bullets = append([]Bullet(nil), s.Bullets...)
		}
		bullets[i] = nb
	}
	if bullets != nil {
		s.Bullets, changed = bullets, true
	}
	return s, changed
}

func (n Naming) bullet(b Bullet) (Bullet, bool) {
	diff := false
	if t := n.Text(b.Text); !sameText(t, b.Text) {
		b.Text, diff = t, true
	}
	var notes []Text
	for j, note := range b.Notes {
		if t := n.Text(note); !sameText(t, note) {
			if notes == nil {
				notes = append([]Text(nil), b.Notes...)
			}
			notes[j] = t
		}
	}
	if notes != nil {
		b.Notes, diff = notes, true
	}
	return b, diff
}

// sameText reports whether a and b are the same slice (Text returns its
// argument when nothing changed).
func sameText(a, b Text) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
