package bot

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/briefbot/briefbot/briefs"
)

// DefaultSlug names a dossier whose set has no dossier file and was given
// no slug by whoever loaded it.
const DefaultSlug = "default"

// SlugOf is the slug of the dossier a set makes.
func SlugOf(set *briefs.Set) string {
	if set != nil && set.Dossier != nil && set.Dossier.Slug != "" {
		return set.Dossier.Slug
	}
	return DefaultSlug
}

// TitleOf is the title of the dossier a set makes, its slug when it has none.
func TitleOf(set *briefs.Set) string {
	if set != nil && set.Dossier != nil && set.Dossier.Title != "" {
		return set.Dossier.Title
	}
	return SlugOf(set)
}

// catalog is every dossier being served, in order, each with its state.
// It is never changed once stored; a swap stores a new one.
type catalog struct {
	order []string
	by    map[string]*state
	dflt  string
}

func newCatalog(sets []*briefs.Set, dflt string) (*catalog, error) {
	if len(sets) == 0 {
		return nil, fmt.Errorf("bot: no dossier to serve")
	}
	c := &catalog{by: map[string]*state{}}
	for _, set := range sets {
		slug := SlugOf(set)
		if _, dup := c.by[slug]; dup {
			return nil, fmt.Errorf("bot: two dossiers have the slug %q", slug)
		}
		c.order = append(c.order, slug)
		c.by[slug] = nil
	}
	for i, st := range newStates(sets) {
		c.by[c.order[i]] = st
	}
	c.dflt = c.order[0]
	if dflt != "" {
		if _, ok := c.by[dflt]; !ok {
			return nil, fmt.Errorf("bot: the default dossier %q is not loaded (loaded: %v)", dflt, c.order)
		}
		c.dflt = dflt
	}
	return c, nil
}

// newStates builds the state of each set, side by side.
func newStates(sets []*briefs.Set) []*state {
	out := make([]*state, len(sets))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(sets)) {
		wg.Go(func() {
			for i := range next {
				out[i] = newState(sets[i])
			}
		})
	}
	for i := range sets {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (c *catalog) def() *state { return c.by[c.dflt] }

// with is the catalog with dossier old served from set (whose slug may
// differ, if no other dossier has it).
func (c *catalog) with(old string, set *briefs.Set) (*catalog, error) {
	if _, ok := c.by[old]; !ok {
		return nil, fmt.Errorf("bot: no dossier %q to replace", old)
	}
	slug := SlugOf(set)
	if _, taken := c.by[slug]; taken && slug != old {
		return nil, fmt.Errorf("bot: dossier %q would take the slug %q, which another dossier has", old, slug)
	}
	next := &catalog{by: make(map[string]*state, len(c.by)), dflt: c.dflt}
	for _, s := range c.order {
		st := c.by[s]
		if s == old {
			s, st = slug, newState(set)
		}
		next.order = append(next.order, s)
		next.by[s] = st
	}
	if c.dflt == old {
		next.dflt = slug
	}
	return next, nil
}

// Dossiers lists the slugs being served, the default first.
func (e *Engine) Dossiers() []string {
	cat := e.cur.Load()
	out := []string{cat.dflt}
	for _, s := range cat.order {
		if s != cat.dflt {
			out = append(out, s)
		}
	}
	return out
}

// Order lists the slugs being served in the order they were loaded.
func (e *Engine) Order() []string { return slices.Clone(e.cur.Load().order) }

// Dossier returns the set a dossier is served from.
func (e *Engine) Dossier(slug string) (*briefs.Set, bool) {
	st, ok := e.cur.Load().by[slug]
	if !ok {
		return nil, false
	}
	return st.set, true
}

// DefaultDossier is the slug of the default dossier.
func (e *Engine) DefaultDossier() string { return e.cur.Load().dflt }

// stateOf is the state of the request's dossier (resolved by resolve), or
// the default's.
func (e *Engine) stateOf(req Request) *state {
	cat := e.cur.Load()
	if st, ok := cat.by[req.Dossier]; ok {
		return st
	}
	return cat.def()
}

// state is the default dossier's state, for the parts that have no request.
func (e *Engine) state() *state { return e.cur.Load().def() }

// dossierText is the dossier file of a state, never nil.
func (st *state) dossierText() *briefs.Dossier {
	if st.set.Dossier != nil {
		return st.set.Dossier
	}
	return &briefs.Dossier{Slug: SlugOf(st.set)}
}

// commands is the table with this dossier's words: summaries, argument
// descriptions, examples and aliases.
func (st *state) commands(table []Command) []Command {
	out := make([]Command, len(table))
	for i, c := range table {
		out[i] = st.withWords(c)
	}
	return out
}

func (st *state) withWords(c Command) Command {
	t := st.dossierText().Text(c.Name)
	if t.Summary != "" {
		c.Summary = t.Summary
	}
	if len(t.Examples) > 0 {
		c.Examples = t.Examples
	} else if ex := st.examples(c.Name); len(ex) > 0 {
		c.Examples = ex
	}
	if t.Argument != "" && len(c.Args) > 0 {
		c.Args = slices.Clone(c.Args)
		c.Args[0].Description = t.Argument
	}
	return c
}

// commandIn finds the command a typed name means in a dossier: a name of
// the table (see lookup), or a name the dossier gives the command.
func (e *Engine) commandIn(st *state, typed string) (Command, bool) {
	if c, ok := lookup(e.table, e.prefix, typed); ok {
		return st.withWords(c), true
	}
	name := strings.TrimPrefix(strings.ToLower(strings.TrimLeft(typed, "/")), e.prefix)
	for _, c := range e.table {
		if slices.Contains(st.dossierText().Text(c.Name).Aliases, name) {
			return st.withWords(c), true
		}
	}
	return Command{}, false
}

// examples are a command's examples built from the dossier's own briefs,
// for a dossier that gives none.
func (st *state) examples(cmd string) []string {
	first := func(n *names, k int) []string {
		var ids []string
		for i := 0; i < len(n.briefs) && i < k; i++ {
			ids = append(ids, n.briefs[i].ID)
		}
		return ids
	}
	var out []string
	switch cmd {
	case "stance":
		for _, id := range first(st.actors, 2) {
			out = append(out, "/stance "+id)
		}
	case "options":
		out = append(out, "/options")
		for _, id := range first(st.options, 1) {
			out = append(out, "/options "+id)
		}
	case "who":
		for _, id := range first(st.people, 2) {
			out = append(out, "/who "+id)
		}
	case "compare":
		if ids := first(st.actors, 2); len(ids) == 2 {
			out = append(out, "/compare "+ids[0]+" "+ids[1])
		}
	case "ask":
		if a := first(st.actors, 1); len(a) == 1 {
			out = append(out, "/ask what is the position of "+st.actors.briefs[0].Name+"?")
		}
	}
	return out
}

// DossierInfo describes a loaded dossier for pickers.
type DossierInfo struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty"`
}

// DossierList describes the loaded dossiers, in load order.
func (e *Engine) DossierList() []DossierInfo {
	cat := e.cur.Load()
	out := make([]DossierInfo, 0, len(cat.order))
	for _, slug := range cat.order {
		st := cat.by[slug]
		out = append(out, DossierInfo{Slug: slug, Title: TitleOf(st.set), Description: st.dossierText().Description, Default: slug == cat.dflt})
	}
	return out
}
