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
