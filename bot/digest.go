package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/briefbot/briefbot/briefs"
)

// Digest kinds other than a single topic.
const (
	DigestOverview = "overview"
	DigestChanges  = "changes"
	// DigestMatrix is the position matrix as a digest: a table each
	// platform draws as it draws /matrix.
	DigestMatrix = "matrix"
)

// Caps keep a digest short enough to read in a channel and well inside the
// platforms' limits; every capped list ends with where to read the rest.
const (
	digestMaxPerSection = 6
	digestMaxChanges    = 10
)

// Snapshot records what the briefs held when a digest was built, so the
// next "changes" digest for the same target can say what is new. Claims maps
// a claim id to its brief and a hash of its content.
type Snapshot struct {
	Claims map[string]ClaimPrint `json:"claims"`
	Docs   []string              `json:"docs"`
}

// ClaimPrint identifies the content of one claim.
type ClaimPrint struct {
	Brief string `json:"b"`
	Hash  string `json:"h"`
}

// Snapshot returns the snapshot of the set now being served.
func (e *Engine) Snapshot() Snapshot { return e.state().snapshot() }

func (st *state) snapshot() Snapshot {
	set := st.set
	s := Snapshot{Claims: map[string]ClaimPrint{}}
	for _, c := range set.Claims() {
		s.Claims[c.ID] = ClaimPrint{Brief: c.Brief.ID, Hash: claimHash(c)}
	}
	for _, d := range set.Corpus.Docs {
		s.Docs = append(s.Docs, d.ID)
	}
	return s
}

// claimHash hashes everything a reader sees of a claim.
func claimHash(c *briefs.Claim) string {
	raw, _ := json.Marshal(struct {
		Text, Quote, By string
		Cite            []string
		Reported        bool
		Position        *briefs.Position
		When            *briefs.When
		AccordingTo     string   `json:",omitempty"`
		About           []string `json:",omitempty"`
	}{c.Text, c.Quote, c.By, c.Cite, c.Reported, c.Position, c.When, c.AccordingTo, c.About})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
}

// ErrUnknownDigestKind is returned for a kind that is neither overview,
// changes, nor an actor or option of the loaded briefs.
var ErrUnknownDigestKind = errors.New("unknown digest kind")

// DigestKind resolves a kind as typed in config or chat to its canonical
// form: "overview", "changes", "matrix", or the id of an actor or an
// option (names and aliases are accepted), followed by " in:<slug>" when
// it names a dossier other than the default.
func (e *Engine) DigestKind(kind string) (string, error) {
	_, k, slug, err := e.digestOf(kind)
	if err != nil {
		return "", err
	}
	if slug == e.cur.Load().dflt {
		return k, nil
	}
	return k + " " + oneOffPrefix + slug, nil
}

// digestOf is the state, canonical kind and dossier of a digest kind.
func (e *Engine) digestOf(kind string) (*state, string, string, error) {
	base, slug := SplitDigestKind(kind)
	cat := e.cur.Load()
	if slug == "" {
		slug = cat.dflt
	}
	st, ok := cat.by[slug]
	if !ok {
		msg := ""
		if sug := closeSlugs(slug, cat.order); len(sug) > 0 {
			msg = "; did you mean " + strings.Join(sug, " or ") + "?"
		}
		return nil, "", "", fmt.Errorf("%w: no dossier %q%s (loaded: %s)", ErrUnknownDigestKind, echo(slug), msg, strings.Join(cat.order, ", "))
	}
	k := strings.ToLower(base)
	switch k {
	case DigestOverview, DigestChanges, DigestMatrix:
		return st, k, slug, nil
	case "":
		return nil, "", "", fmt.Errorf("%w: empty", ErrUnknownDigestKind)
	}
	if b, ok := st.actors.find(k); ok {
		return st, b.ID, slug, nil
	}
	if b, ok := st.options.find(k); ok {
		return st, b.ID, slug, nil
	}
	return nil, "", "", fmt.Errorf("%w %q: want overview, changes, matrix, or an actor or option id (e.g. %s)", ErrUnknownDigestKind, echo(base), firstID(st.actors))
}

// SplitDigestKind splits "changes in:tariffs" into the kind and the
// dossier it names ("" when it names none).
func SplitDigestKind(kind string) (base, dossier string) {
	var words []string
	for _, w := range strings.Fields(kind) {
		if strings.HasPrefix(strings.ToLower(w), oneOffPrefix) && dossier == "" {
			dossier = strings.ToLower(w[len(oneOffPrefix):])
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " "), dossier
}

// IsChangesDigest says whether a kind is the changes digest of some dossier.
func IsChangesDigest(kind string) bool {
	base, _ := SplitDigestKind(kind)
	return strings.EqualFold(base, DigestChanges)
}

// SnapshotKey is where the snapshot behind a target's changes digest is
// kept: the target itself for the default dossier, the target and the
// dossier for another.
func SnapshotKey(target, kind string) string {
	if _, d := SplitDigestKind(kind); d != "" {
		return target + " " + oneOffPrefix + d
	}
	return target
}

// WithDossier adds " in:<slug>" to a kind that names no dossier.
func WithDossier(kind, slug string) string {
	if _, d := SplitDigestKind(kind); d != "" || slug == "" {
		return kind
	}
	return strings.TrimSpace(kind + " " + oneOffPrefix + slug)
}

// Digest builds the digest of a kind as a reply for a channel (not
// private). prev is the target's previous snapshot, used by "changes"; nil
// means there was none. For "changes" it also returns the snapshot the
// digest was built against, to be saved once the digest is posted.
func (e *Engine) Digest(kind string, prev *Snapshot) (*Reply, *Snapshot, error) {
	st, k, _, err := e.digestOf(kind)
	if err != nil {
		return nil, nil, err
	}
	switch k {
	case DigestOverview:
		return st.overviewDigest(), nil, nil
	case DigestChanges:
		cur := st.snapshot()
		return st.changesDigest(prev, cur), &cur, nil
	case DigestMatrix:
		if st.replies["matrix"] == nil {
			return nil, nil, fmt.Errorf("%w: the %s dossier has no positions for a matrix", ErrUnknownDigestKind, SlugOf(st.set))
		}
		return st.asDigest(st.replies["matrix"]), nil, nil
	}
	return st.topicDigest(k), nil, nil
}

// topicDigest reuses the prebuilt answer for an actor or option.
func (st *state) topicDigest(id string) *Reply {
	r, ok := st.replies["stance "+id]
	if !ok {
		r = st.replies["options "+id]
	}
	return st.asDigest(r)
}

// asDigest is a prebuilt answer as a digest posted to a channel.
func (st *state) asDigest(r *Reply) *Reply {
	d := *r // replies are shared: copy before changing top-level fields
	d.Command = "digest"
	d.Title = "Digest: " + r.Title
	d.Private = false
	return &d
}

// overviewDigest is where things stand: positions at a glance, the demands,
// the next dated steps, the open disputes.
func (st *state) overviewDigest() *Reply {
	b := st.newReply("digest", "Digest: where things stand")
	b.r.Private = false
	var full []string
	for _, c := range []string{"matrix", "demands", "timeline", "disputes"} {
		if st.missingData(c) == "" {
			full = append(full, "/"+c)
		}
	}
	intro := "A summary of the curated briefs of “" + TitleOf(st.set) + "”."
	if len(full) > 0 {
		intro += " Full answers: " + strings.Join(full, ", ") + "."
	}
	b.r.Intro = Plain(intro)
	st.glanceSection(b)
	st.demandsSection(b)
	st.nextStepsSection(b)
	st.openDisputesSection(b)
	return b.done()
}

// glanceSection has one bullet per option: who offers, supports, rejects it.
func (st *state) glanceSection(b *replyBuilder) {
	var opts []*briefs.Brief
	for _, o := range st.options.briefs {
		if len(st.byOption[o.ID]) > 0 {
			opts = append(opts, o)
		}
	}
	// The most discussed options first.
	sort.SliceStable(opts, func(i, j int) bool { return len(st.byOption[opts[i].ID]) > len(st.byOption[opts[j].ID]) })
	addCapped(b, "Positions at a glance", len(opts), "/options", func(i int) Bullet {
		cs := st.byOption[opts[i].ID]
		bl := Bullet{Text: Plain(opts[i].Name + " — " + st.optionGlance(cs)), Notes: st.splitNotes(cs)}
		for _, c := range cs {
			bl.Cites = mergeCites(bl.Cites, b.cites(c))
		}
		return bl
	})
}

// demandsSection summarises the "demands" topic brief when the set has one.
func (st *state) demandsSection(b *replyBuilder) {
	t, ok := st.set.Brief("demands")
	if !ok {
		return
	}
	var cs []*briefs.Claim
	for _, sec := range t.Sections {
		cs = append(cs, sec.Claims...)
	}
	addCapped(b, t.Name, len(cs), "/demands", func(i int) Bullet {
		return b.claimPlain(cs[i], "") // disputes get their own section
	})
}

// nextStepsSection lists announced next steps and deadlines by date.
func (st *state) nextStepsSection(b *replyBuilder) {
	var next []*briefs.Claim
	for _, c := range st.set.Claims() {
		if c.When != nil && c.When.Kind == "next" {
			next = append(next, c)
		}
	}
	sort.SliceStable(next, func(i, j int) bool { return next[i].When.Date < next[j].When.Date })
	addCapped(b, "Next steps and deadlines", len(next), "/timeline", func(i int) Bullet {
		return b.claimPlain(next[i], whenLabel(next[i].When)+" — ")
	})
}

// openDisputesSection names each recorded contradiction and its sources.
func (st *state) openDisputesSection(b *replyBuilder) {
	ds := st.set.Disputes
	addCapped(b, "Open disputes", len(ds), "/disputes", func(i int) Bullet {
		var docs []string
		var cites []Cite
		for _, id := range ds[i].Claims {
			c, ok := st.set.Claim(id)
			if !ok {
				continue
			}
			cites = mergeCites(cites, b.cites(c))
			for _, ct := range c.Cites() {
				if !slices.Contains(docs, ct.Doc) {
					docs = append(docs, ct.Doc)
				}
			}
		}
		var what string
		switch ds[i].DisputeKind() {
		case briefs.DisputeWithin:
			what = " — within one document, " + strings.Join(docs, ", ") + "."
		case briefs.DisputePeople:
			what = " — views differ, as reported in " + strings.Join(docs, ", ") + "."
		default:
			what = " — documents " + strings.Join(docs, ", ") + " differ."
		}
		return Bullet{Text: Plain(ds[i].About + what), Cites: cites}
	})
}

// addCapped adds a section of at most digestMaxPerSection of n bullets,
// built in order by bullet (so only shown bullets number sources), and a
// last line saying where to find the rest.
func addCapped(b *replyBuilder, heading string, n int, more string, bullet func(i int) Bullet) {
	addCappedAt(b, heading, n, digestMaxPerSection, "…and %d more: "+more, bullet)
}

func addCappedAt(b *replyBuilder, heading string, n, limit int, moreFormat string, bullet func(i int) Bullet) {
	if n == 0 {
		return
	}
	s := Section{Heading: heading}
	for i := 0; i < n && i < limit; i++ {
		s.Bullets = append(s.Bullets, bullet(i))
	}
	if n > limit {
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(fmt.Sprintf(moreFormat, n-limit))})
	}
	b.r.Sections = append(b.r.Sections, s)
}
