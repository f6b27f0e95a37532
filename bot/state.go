package bot

import (
	"context"
	"sort"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
	"github.com/briefbot/briefbot/seeds"
)

// state is everything derived from one set: lookup tables and the replies
// that depend on nothing but the set, built once when the set is loaded.
type state struct {
	set     *briefs.Set
	actors  *names
	options *names
	people  *names
	docs    *names
	// positions by actor and by option, in file order.
	byActor  map[string][]*briefs.Claim
	byOption map[string][]*briefs.Claim
	// said by person id, and about them (claims naming them in about:
	// that are not theirs).
	said       map[string][]*briefs.Claim
	about      map[string][]*briefs.Claim
	citedParas map[string]bool            // "d000:p12" → cited by some claim
	citing     map[string][]*briefs.Claim // "d000:p12" → the claims citing it
	replies    map[string]*Reply          // "stance <actor id>" → reply
	// for /ask: the ranking index, its words (for spelling) and the actors
	// each topic brief is about.
	index         *rank.Index
	vocab         []string
	topicSubjects map[string]map[string]bool
}

func newState(set *briefs.Set) *state {
	st := &state{
		set:        set,
		actors:     newNames(set.OfKind(briefs.KindActor)),
		options:    newNames(set.OfKind(briefs.KindOption)),
		people:     newNames(set.OfKind(briefs.KindPerson)),
		docs:       docNames(set.Corpus),
		byActor:    map[string][]*briefs.Claim{},
		byOption:   map[string][]*briefs.Claim{},
		said:       map[string][]*briefs.Claim{},
		about:      map[string][]*briefs.Claim{},
		replies:    map[string]*Reply{},
		citedParas: map[string]bool{},
		citing:     map[string][]*briefs.Claim{},
	}
	for _, c := range set.Claims() {
		for _, ct := range c.Cite {
			st.citedParas[ct] = true
			st.citing[ct] = append(st.citing[ct], c)
		}
		if p := c.Position; p != nil {
			st.byActor[p.Actor] = append(st.byActor[p.Actor], c)
			st.byOption[p.Option] = append(st.byOption[p.Option], c)
		}
		if c.By != "" {
			st.said[c.By] = append(st.said[c.By], c)
		}
		for _, id := range c.About {
			if id != c.By {
				st.about[id] = append(st.about[id], c)
			}
		}
	}
	st.prebuild(set)
	st.index = rank.Build(set)
	st.vocab = st.index.Words()
	st.topicSubjects = topicSubjects(set, st.index)
	return st
}

// prebuild renders every reply that depends only on the set.
func (st *state) prebuild(set *briefs.Set) {
	for _, b := range st.actors.briefs {
		st.replies["stance "+b.ID] = st.stanceReply(b)
	}
	for _, b := range st.options.briefs {
		st.replies["options "+b.ID] = st.optionReply(b)
	}
	for _, b := range st.people.briefs {
		st.replies["who "+b.ID] = st.whoReply(b)
	}
	if len(st.options.briefs) > 0 {
		st.replies["options"] = st.optionsReply()
	}
	if st.dated(set) {
		st.replies["timeline"] = st.timelineReply()
	}
	st.replies["disputes"] = st.disputesReply()
	st.replies["matrix"] = st.matrixReply()
	st.replies["sources"] = st.sourcesReply()
	for _, d := range set.Corpus.Docs {
		st.replies["sources "+d.ID] = st.sourceDetail(d)
	}
	for _, id := range []string{"demands", "questions"} {
		if t, ok := set.Brief(id); ok {
			st.replies[id] = st.topicReply(id, t)
		}
	}
}

// dated says whether any claim is on the timeline.
func (st *state) dated(set *briefs.Set) bool {
	for _, c := range set.Claims() {
		if c.When != nil {
			return true
		}
	}
	return false
}

// names resolves what people type to briefs of one kind.
type names struct {
	briefs []*briefs.Brief
	exact  map[string]*briefs.Brief // normalised alias → brief
	keys   []string                 // every normalised alias, sorted
}

func newNames(bs []*briefs.Brief) *names {
	n := &names{briefs: bs, exact: map[string]*briefs.Brief{}}
	for _, b := range bs {
		for _, a := range b.Names() {
			k := briefs.Normalize(a)
			if _, taken := n.exact[k]; !taken && k != "" {
				n.exact[k] = b
				n.keys = append(n.keys, k)
			}
		}
	}
	sort.Strings(n.keys)
	return n
}

func docNames(c *seeds.Corpus) *names {
	n := &names{exact: map[string]*briefs.Brief{}}
	for _, d := range c.Docs {
		b := &briefs.Brief{ID: d.ID, Name: d.Title, Aliases: []string{strings.TrimSuffix(d.File, ".txt")}}
		n.briefs = append(n.briefs, b)
		for _, a := range b.Names() {
			k := briefs.Normalize(a)
			n.exact[k] = b
			n.keys = append(n.keys, k)
		}
	}
	sort.Strings(n.keys)
	return n
}

// find resolves a typed name: exact alias, then a possessive or plural "s"
// dropped, then a unique prefix of at least three letters.
func (n *names) find(typed string) (*briefs.Brief, bool) {
	k := briefs.Normalize(typed)
	if k == "" {
		return nil, false
	}
	if b, ok := n.exact[k]; ok {
		return b, true
	}
	for _, suffix := range []string{" s", "s"} {
		if b, ok := n.exact[strings.TrimSuffix(k, suffix)]; ok && strings.HasSuffix(k, suffix) {
			return b, true
		}
	}
	if len(k) < 3 {
		return nil, false
	}
	var found *briefs.Brief
	i := sort.SearchStrings(n.keys, k)
	for ; i < len(n.keys) && strings.HasPrefix(n.keys[i], k); i++ {
		b := n.exact[n.keys[i]]
		if found != nil && found != b {
			return nil, false
		}
		found = b
	}
	return found, found != nil
}

// suggest returns up to max names close to what was typed: a few typing
// mistakes away (maxSuggestEdits), starting with it, or named in it.
func (n *names) suggest(typed string, max int) []string {
	k := briefs.Normalize(typed)
	type scored struct {
		b    *briefs.Brief
		dist int
	}
	best := map[*briefs.Brief]int{}
	for _, key := range n.keys {
		d := typoDistance(k, key)
		if len(k) >= 3 && strings.HasPrefix(key, k) || len(key) >= 4 && containsWords(k, key) {
			d = 0
		}
		b := n.exact[key]
		if old, ok := best[b]; !ok || d < old {
			best[b] = d
		}
	}
	var list []scored
	for b, d := range best {
		if d <= maxSuggestEdits(k) {
			list = append(list, scored{b, d})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].dist != list[j].dist {
			return list[i].dist < list[j].dist
		}
		return list[i].b.ID < list[j].b.ID
	})
	var out []string
	for i := 0; i < len(list) && i < max; i++ {
		out = append(out, list[i].b.ID)
	}
	return out
}

// containsWords reports whether words appear in s as whole words
// ("the uk please" contains "uk"; "here u123" does not contain "e u").
func containsWords(s, words string) bool {
	s, words = " "+s+" ", " "+words+" "
	return strings.Contains(s, words)
}

// distance is the Levenshtein distance between two short strings, capped
// for long input.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Choice is one completion offered to a user.
type Choice struct {
	Name  string `json:"name"`  // what is shown
	Value string `json:"value"` // what is sent back
}

// Complete offers up to max completions for an argument of the given kind:
// names and aliases starting with (or containing) what was typed.
func (e *Engine) Complete(kind ArgKind, typed string, max int) []Choice {
	return e.complete(e.state(), kind, typed, max)
}

// CompleteIn offers completions from the dossier req would be answered
// from: the one it names (Request.Dossier), else the channel's.
func (e *Engine) CompleteIn(ctx context.Context, req Request, kind ArgKind, typed string, max int) []Choice {
	if kind == ArgDossier {
		return e.completeDossier(typed, max)
	}
	req, _, bad := e.resolve(ctx, req, parsed{})
	if bad != nil {
		return nil
	}
	return e.complete(e.stateOf(req), kind, typed, max)
}

func (e *Engine) complete(st *state, kind ArgKind, typed string, max int) []Choice {
	var n *names
	switch kind {
	case ArgActor:
		n = st.actors
	case ArgOption:
		n = st.options
	case ArgPerson:
		n = st.people
	case ArgDocument:
		n = st.docs
	case ArgCommand:
		return e.completeCommand(typed, max)
	default:
		return nil
	}
	return n.complete(typed, max)
}

func (n *names) complete(typed string, max int) []Choice {
	k := briefs.Normalize(typed)
	var out []Choice
	seen := map[*briefs.Brief]bool{}
	add := func(match func(string) bool) {
		for _, key := range n.keys {
			b := n.exact[key]
			if len(out) >= max || seen[b] || !match(key) {
				continue
			}
			seen[b] = true
			out = append(out, Choice{Name: b.Name, Value: b.ID})
		}
	}
	add(func(key string) bool { return strings.HasPrefix(key, k) })
	add(func(key string) bool { return strings.Contains(key, k) })
	return out
}

// completeCommand offers commands as the console names them (with the
// prefix, which may be left off when typing).
func (e *Engine) completeCommand(typed string, max int) []Choice {
	k := strings.ToLower(strings.TrimLeft(strings.TrimSpace(typed), "/"))
	n := e.Naming(PlatformConsole)
	var out []Choice
	for _, c := range e.table {
		name := n.Name(c)
		if (strings.HasPrefix(name, k) || strings.HasPrefix(c.Name, k)) && len(out) < max {
			out = append(out, Choice{Name: n.Usage(c), Value: name})
		}
	}
	return out
}
