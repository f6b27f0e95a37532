package briefs

import "github.com/briefbot/briefbot/seeds"

// UncitedParagraph is article text that no claim cites.
type UncitedParagraph struct {
	Doc  string
	Para seeds.Paragraph
}

// Uncited lists every article paragraph no claim cites, in corpus order.
func Uncited(s *Set) []UncitedParagraph {
	cited := map[string]bool{}
	for _, c := range s.Claims() {
		for _, ct := range c.Cite {
			cited[ct] = true
		}
	}
	var out []UncitedParagraph
	for _, d := range s.Corpus.Docs {
		for _, p := range d.Article() {
			if !cited[d.ID+":"+p.ID] {
				out = append(out, UncitedParagraph{Doc: d.ID, Para: p})
			}
		}
	}
	return out
}

// ParaCoverage is one paragraph of a document with the claims that cite it.
type ParaCoverage struct {
	Para   seeds.Paragraph
	Claims []*Claim // reviewed claims citing it, in set order
	Drafts []*Claim // draft claims citing it, not served
}

// DocCoverage is how far a document is covered by reviewed claims.
type DocCoverage struct {
	Doc        *seeds.Document
	Paragraphs []ParaCoverage // every paragraph, furniture included
	Article    int            // article paragraphs
	Cited      int            // article paragraphs cited by a reviewed claim
	Drafts     int            // article paragraphs cited only by drafts
}

// Coverage returns every document of the set with, for each paragraph, the
// reviewed and draft claims that cite it.
func Coverage(s *Set) []DocCoverage {
	reviewed, drafts := citing(s.Claims()), citing(s.Drafts)
	out := make([]DocCoverage, 0, len(s.Corpus.Docs))
	for _, d := range s.Corpus.Docs {
		dc := DocCoverage{Doc: d, Paragraphs: make([]ParaCoverage, len(d.Paragraphs))}
		for i, p := range d.Paragraphs {
			key := d.ID + ":" + p.ID
			pc := ParaCoverage{Para: p, Claims: reviewed[key], Drafts: drafts[key]}
			dc.Paragraphs[i] = pc
			if p.Furniture != "" {
				continue
			}
			dc.Article++
			switch {
			case len(pc.Claims) > 0:
				dc.Cited++
			case len(pc.Drafts) > 0:
				dc.Drafts++
			}
		}
		out = append(out, dc)
	}
	return out
}

func citing(cs []*Claim) map[string][]*Claim {
	out := map[string][]*Claim{}
	for _, c := range cs {
		for _, ct := range c.Cite {
			out[ct] = append(out[ct], c)
		}
	}
	return out
}
