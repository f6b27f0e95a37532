// Package briefs embeds, loads and validates the curated brief files: topics
// made of claims, each claim our own short sentence resting on cited
// paragraphs of the corpus, optionally with a verbatim quote.
package briefs

import (
	"embed"
	"io/fs"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/seeds"
)

//go:embed actors options people topics disputes.yaml dossier.yaml
var embedded embed.FS

// Embedded returns the briefs shipped inside the binary.
func Embedded() fs.FS { return embedded }

// Kinds of brief.
const (
	KindActor  = "actor"
	KindOption = "option"
	KindPerson = "person"
	KindTopic  = "topic"
)

// Stances lists the stances an actor can take on an option, in
// display order.
func Stances() []string {
	return []string{"offers", "supports", "conditional", "rejects", "undecided"}
}

// Set is one consistent, validated generation of corpus and briefs. It is
// never modified after Load returns, so it can be shared by goroutines and
// swapped whole on reload.
type Set struct {
	Corpus   *seeds.Corpus
	Briefs   []*Brief // in file order
	Disputes []*Dispute
	// Drafts are the claims still marked draft: true, set aside by Load:
	// they are in no brief of the set, so nothing served ever shows them.
	Drafts []*Claim
	// Dossier is the folder's dossier file, nil when it has none.
	Dossier *Dossier

	byID     map[string]*Brief
	claims   map[string]*Claim
	disputes map[string][]*Dispute // claim id → disputes it is part of
}

// Brief is one topic: an actor, an option, a person or a free topic.
type Brief struct {
	Kind      string    `yaml:"kind" json:"kind"`
	ID        string    `yaml:"id" json:"id"`
	Name      string    `yaml:"name" json:"name"`
	Aliases   []string  `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Short     string    `yaml:"short,omitempty" json:"short,omitempty"` // for narrow tables
	Office    string    `yaml:"office,omitempty" json:"office,omitempty"`
	SpeaksFor string    `yaml:"speaks_for,omitempty" json:"speaks_for,omitempty"`
	Sections  []Section `yaml:"sections" json:"sections"`

	File string `yaml:"-" json:"-"`
	Line int    `yaml:"-" json:"-"`
}

// Section groups claims under a heading.
type Section struct {
	Heading string   `yaml:"heading" json:"heading"`
	Claims  []*Claim `yaml:"claims" json:"claims"`
}

// Claim is one sourced statement.
type Claim struct {
	ID       string    `yaml:"id" json:"id"`
	Text     string    `yaml:"text" json:"text"`
	Cite     []string  `yaml:"cite" json:"cite"`
	Quote    string    `yaml:"quote,omitempty" json:"quote,omitempty"`
	By       string    `yaml:"by,omitempty" json:"by,omitempty"`
	Reported bool      `yaml:"reported,omitempty" json:"reported,omitempty"`
	Position *Position `yaml:"position,omitempty" json:"position,omitempty"`
	When     *When     `yaml:"when,omitempty" json:"when,omitempty"`
	// Draft marks a claim no person has reviewed yet; Drafted says what
	// was written by a program and from what (see draft.go).
	Draft   bool     `yaml:"draft,omitempty" json:"draft,omitempty"`
	Drafted *Drafted `yaml:"drafted,omitempty" json:"drafted,omitempty"`

	// AccordingTo names whom a reported claim rests on ("two officials,
	// as reported by a newspaper"): required with
	// reported, and shown wherever the claim is.
	AccordingTo string `yaml:"according_to,omitempty" json:"according_to,omitempty"`
	// About lists people the claim is about without being their words; it
	// appears on their /who pages.
	About []string `yaml:"about,omitempty" json:"about,omitempty"`

	Brief *Brief     `yaml:"-" json:"-"`
	Line  int        `yaml:"-" json:"-"`
	node  *yaml.Node // only while loading
}

// Position is an actor's stance on an option. Scope says whose
// doing the stance is about, where that matters: the actor's own
// contribution (ScopeOwn) or what it backs others doing (ScopeOthers);
// empty means in general.
type Position struct {
	Actor  string `yaml:"actor,omitempty" json:"actor"`
	Option string `yaml:"option,omitempty" json:"option"`
	Stance string `yaml:"stance" json:"stance"`
	Scope  string `yaml:"scope,omitempty" json:"scope,omitempty"`
}

// Scopes of a position.
const (
	ScopeOwn    = "own"
	ScopeOthers = "others"
)

// When places a claim on the timeline.
type When struct {
	Date     string `yaml:"date" json:"date"`
	Until    string `yaml:"until,omitempty" json:"until,omitempty"`
	Resolved string `yaml:"resolved,omitempty" json:"resolved,omitempty"`
	Kind     string `yaml:"kind,omitempty" json:"kind,omitempty"`
}

// Dispute records claims that contradict each other: documents that
// differ (DisputeSources, the default), one document in tension with itself
// (DisputeWithin), or people who disagree as the documents report them
// (DisputePeople).
type Dispute struct {
	ID     string   `yaml:"id" json:"id"`
	Kind   string   `yaml:"kind,omitempty" json:"kind,omitempty"`
	About  string   `yaml:"about" json:"about"`
	Claims []string `yaml:"claims" json:"claims"`

	File string `yaml:"-" json:"-"`
	Line int    `yaml:"-" json:"-"`
}

// Kinds of dispute.
const (
	DisputeSources = "sources"
	DisputeWithin  = "within"
	DisputePeople  = "people"
)

// DisputeKind is the dispute's kind, DisputeSources when none is given.
func (d *Dispute) DisputeKind() string {
	if d.Kind == "" {
		return DisputeSources
	}
	return d.Kind
}

// Cite is one parsed citation.
type Cite struct {
	Doc  string
	Para string
}
