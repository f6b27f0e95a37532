// Package rank finds the claims of a brief set that answer a free-text
// question. It never writes a sentence: it returns claims, best first,
// with how much of the question each one covers.
//
// Each claim is indexed as a bag of terms: the Snowball (Porter2) stems of
// the words of its text and quote, English stop words left out, and the
// entities it is about — its brief, the actor and option of its position,
// the person who said it, the documents it cites, and every actor, option,
// person or topic whose name or alias its text mentions. A question names
// entities by the same alias tables, so "the americans" finds claims that
// say "US" or "Washington". Claims are scored with BM25.
package rank

import (
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/briefbot/briefbot/briefs"
)

// BM25 parameters: the usual values.
const (
	k1 = 1.2
	b  = 0.75
)

// Weights of where a term was found in a claim.
const (
	weightText   = 1.0
	weightQuote  = 0.5
	weightName   = 0.5 // the brief's name and the section heading
	weightEntity = 1.0
	weightSide   = 0.5 // the actor a quoted person speaks for
)

// maxAliasWords bounds the length of an alias looked for in a text.
const maxAliasWords = 8

// Entity is something a text can name: an actor, option, person or topic
// brief, or a document.
type Entity struct {
	Kind string // briefs.KindActor, KindOption, KindPerson, KindTopic or KindDocument
	ID   string
}

// KindDocument is the kind of a document entity.
const KindDocument = "document"

// Term is the index term of an entity.
func (e Entity) Term() string { return "\x00" + e.Kind + ":" + e.ID }

// Index is the ranking index of one brief set. It is read-only once built
// and safe for concurrent use.
type Index struct {
	set      *briefs.Set
	claims   []*briefs.Claim
	pos      map[*briefs.Claim]int32
	terms    map[string]*termInfo
	lens     []float32
	avg      float32
	aliases  map[string][]Entity // normalised alias → what it names
	maxWords int                 // words in the longest alias
	stems    map[string]string   // word → stem, for every word indexed
	sides    map[string]string   // person id → actor id they speak for
	scratch  sync.Pool           // *scores
}

type termInfo struct {
	idf  float32
	post []posting
}

type posting struct {
	claim int32
	tf    float32
}

// Build indexes every claim of set.
func Build(set *briefs.Set) *Index {
	ix := &Index{set: set, pos: map[*briefs.Claim]int32{}, terms: map[string]*termInfo{},
		aliases: map[string][]Entity{}, stems: map[string]string{}, sides: map[string]string{}}
	ix.buildAliases(set)
	ix.claims = set.Claims()
	ix.lens = make([]float32, len(ix.claims))
	bag := map[string]float32{}
	var total float32
	for i, c := range ix.claims {
		ix.pos[c] = int32(i)
		clear(bag)
		ix.bagOf(c, bag)
		for t, tf := range bag {
			ti := ix.terms[t]
			if ti == nil {
				ti = &termInfo{}
				ix.terms[t] = ti
			}
			ti.post = append(ti.post, posting{claim: int32(i), tf: tf})
			ix.lens[i] += tf
		}
		total += ix.lens[i]
	}
	if len(ix.claims) > 0 {
		ix.avg = total / float32(len(ix.claims))
	}
	n := float64(len(ix.claims))
	for _, ti := range ix.terms {
		df := float64(len(ti.post))
		ti.idf = float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
	}
	ix.scratch.New = func() any { return newScores(len(ix.claims)) }
	return ix
}

// buildAliases fills the alias table from every brief's id, name and
// aliases, and every document's id.
func (ix *Index) buildAliases(set *briefs.Set) {
	for _, br := range set.Briefs {
		e := Entity{Kind: br.Kind, ID: br.ID}
		for _, name := range br.Names() {
			ix.addAlias(briefs.Normalize(name), e)
		}
		if br.Kind == briefs.KindPerson && br.SpeaksFor != "" {
			ix.sides[br.ID] = br.SpeaksFor
		}
	}
	for _, d := range set.Corpus.Docs {
		ix.addAlias(briefs.Normalize(d.ID), Entity{Kind: KindDocument, ID: d.ID})
	}
}

func (ix *Index) addAlias(key string, e Entity) {
	if key == "" || strings.Count(key, " ") >= maxAliasWords {
		return
	}
	for _, have := range ix.aliases[key] {
		if have == e {
			return
		}
	}
	ix.aliases[key] = append(ix.aliases[key], e)
	ix.maxWords = max(ix.maxWords, strings.Count(key, " ")+1)
}

// bagOf collects a claim's terms with their weights.
func (ix *Index) bagOf(c *briefs.Claim, bag map[string]float32) {
	ix.addText(bag, c.Text, weightText)
	ix.addText(bag, c.Quote, weightQuote)
	if br := c.Brief; br != nil {
		ix.addWords(bag, Words(br.Name, 0), weightName)
		ix.addHeading(bag, c)
		if br.Kind != "" {
			bag[Entity{Kind: br.Kind, ID: br.ID}.Term()] += weightEntity
		}
	}
	if p := c.Position; p != nil {
		bag[Entity{Kind: briefs.KindActor, ID: p.Actor}.Term()] += weightEntity
		bag[Entity{Kind: briefs.KindOption, ID: p.Option}.Term()] += weightEntity
	}
	if c.By != "" {
		ix.addPerson(bag, c.By, weightEntity)
	}
	for _, ct := range c.Cites() {
		bag[Entity{Kind: KindDocument, ID: ct.Doc}.Term()] = weightEntity
	}
}

// addHeading adds the words of the heading of the section holding c.
func (ix *Index) addHeading(bag map[string]float32, c *briefs.Claim) {
	for _, sec := range c.Brief.Sections {
		for _, x := range sec.Claims {
			if x == c {
				ix.addWords(bag, Words(sec.Heading, 0), weightName)
				return
			}
		}
	}
}

// addPerson adds a person and, with less weight, the actor they speak for.
func (ix *Index) addPerson(bag map[string]float32, id string, w float32) {
	bag[Entity{Kind: briefs.KindPerson, ID: id}.Term()] += w
	if side, ok := ix.sides[id]; ok {
		bag[Entity{Kind: briefs.KindActor, ID: side}.Term()] += w * weightSide
	}
}

// addText adds the stems of a text's words and the entities it mentions.
func (ix *Index) addText(bag map[string]float32, text string, w float32) {
	if text == "" {
		return
	}
	words := Words(text, 0)
	ix.addWords(bag, words, w)
	for _, m := range ix.Spot(words) {
		for _, e := range m.Entities {
			if e.Kind == briefs.KindPerson {
				ix.addPerson(bag, e.ID, w)
				continue
			}
			bag[e.Term()] += w
		}
	}
}

func (ix *Index) addWords(bag map[string]float32, words []Word, w float32) {
	for _, wd := range words {
		if IsStop(wd.Text) {
			continue
		}
		st, ok := ix.stems[wd.Text]
		if !ok {
			st = Stem(wd.Text)
			ix.stems[wd.Text] = st
		}
		bag[st] += w
	}
}

// Set returns the brief set the index was built from.
func (ix *Index) Set() *briefs.Set { return ix.set }

// Len returns the number of claims indexed.
func (ix *Index) Len() int { return len(ix.claims) }

// StemOf returns the stem of a lower-case word, and whether the word or
// its stem occurs in some claim. Known words cost no stemming.
func (ix *Index) StemOf(word string) (stem string, known bool) {
	if st, ok := ix.stems[word]; ok {
		return st, true
	}
	st := Stem(word)
	_, known = ix.terms[st]
	return st, known
}

// IDF returns the inverse document frequency of a term, 0 when no claim
// has it.
func (ix *Index) IDF(term string) float32 {
	if ti, ok := ix.terms[term]; ok {
		return ti.idf
	}
	return 0
}

// MaxIDF is the IDF a term found in a single claim would have: the weight
// given to a word of the question that no claim contains.
func (ix *Index) MaxIDF() float32 {
	n := float64(len(ix.claims))
	return float32(math.Log(1 + (n-1+0.5)/(1+0.5)))
}

// Words returns every distinct word indexed, sorted, for spelling
// suggestions.
func (ix *Index) Words() []string {
	out := make([]string, 0, len(ix.stems))
	for w := range ix.stems {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}
