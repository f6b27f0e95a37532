package rank

import (
	"github.com/briefbot/briefbot/briefs"
)

// QueryTerm is one term of a question with its weight: a word's stem, or
// an entity's Term.
type QueryTerm struct {
	Key    string
	Weight float32
}

// Hit is a claim that matched, with its BM25 score and the part of the
// question it covers: the IDF-weighted share of the query terms it
// contains (0 to 1).
type Hit struct {
	Claim    *briefs.Claim
	Score    float32
	Coverage float32
}

// scores is per-query scratch space, reused through a pool so that a query
// allocates little more than its result.
type scores struct {
	score   []float32
	matched []float32
	touched []int32
}

func newScores(n int) *scores {
	return &scores{score: make([]float32, n), matched: make([]float32, n), touched: make([]int32, 0, 64)}
}

func (s *scores) reset() {
	for _, i := range s.touched {
		s.score[i], s.matched[i] = 0, 0
	}
	s.touched = s.touched[:0]
}

// Search scores the claims allowed by keep (nil: all) against the query
// and returns the best k, best first. extra is the weight of question
// words the index does not know: it counts against every claim's coverage.
func (ix *Index) Search(q []QueryTerm, extra float32, keep func(*briefs.Claim) bool, k int) []Hit {
	if k <= 0 || len(ix.claims) == 0 {
		return nil
	}
	sc := ix.scratch.Get().(*scores)
	defer func() { sc.reset(); ix.scratch.Put(sc) }()
	total := extra
	for _, t := range q {
		if t.Weight <= 0 {
			continue
		}
		ti, ok := ix.terms[t.Key]
		total += t.Weight * ix.weightOf(ti, ok)
		if !ok {
			continue
		}
		for _, p := range ti.post {
			if sc.score[p.claim] == 0 {
				sc.touched = append(sc.touched, p.claim)
			}
			norm := k1 * (1 - b + b*ix.lens[p.claim]/ix.avg)
			sc.score[p.claim] += t.Weight * ti.idf * p.tf * (k1 + 1) / (p.tf + norm)
			sc.matched[p.claim] += t.Weight * ti.idf
		}
	}
	if total == 0 {
		return nil
	}
	return ix.top(sc, total, keep, k)
}

// weightOf is a term's IDF, or the largest one for a term no claim has.
func (ix *Index) weightOf(ti *termInfo, ok bool) float32 {
	if ok {
		return ti.idf
	}
	return ix.MaxIDF()
}

// top picks the k best touched claims that keep allows.
func (ix *Index) top(sc *scores, total float32, keep func(*briefs.Claim) bool, k int) []Hit {
	var out []Hit
	for _, i := range sc.touched {
		c := ix.claims[i]
		if keep != nil && !keep(c) {
			continue
		}
		h := Hit{Claim: c, Score: sc.score[i], Coverage: min(1, sc.matched[i]/total)}
		if len(out) == k && !better(h, out[k-1], ix) {
			continue
		}
		if out == nil {
			out = make([]Hit, 0, k)
		}
		if len(out) < k {
			out = append(out, h)
		} else {
			out[k-1] = h
		}
		for j := len(out) - 1; j > 0 && better(out[j], out[j-1], ix); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// better orders hits by score, then by file order so results are stable.
func better(x, y Hit, ix *Index) bool {
	if x.Score != y.Score {
		return x.Score > y.Score
	}
	return ix.pos[x.Claim] < ix.pos[y.Claim]
}

// Position returns a claim's place in file order, -1 if not indexed.
func (ix *Index) Position(c *briefs.Claim) int {
	if i, ok := ix.pos[c]; ok {
		return int(i)
	}
	return -1
}

// Has reports whether claim c carries term (a stem or an entity's Term).
func (ix *Index) Has(c *briefs.Claim, term string) bool {
	i, ok := ix.pos[c]
	ti, found := ix.terms[term]
	if !ok || !found {
		return false
	}
	post := ti.post
	lo, hi := 0, len(post)
	for lo < hi {
		m := (lo + hi) / 2
		if post[m].claim < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(post) && post[lo].claim == i
}

// Claims returns the claims indexed, in file order. The slice is shared:
// do not modify it.
func (ix *Index) Claims() []*briefs.Claim { return ix.claims }
