package console

import (
	"net/http"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

// docSummary is one document of GET /api/docs: its metadata and how far
// reviewed claims cover it.
type docSummary struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	TitlePrinted bool   `json:"title_printed"`
	Outlet       string `json:"outlet,omitempty"`
	Author       string `json:"author,omitempty"`
	Date         string `json:"date"` // as a reader sees it: "20 August 2025 (inferred)"
	DateBasis    string `json:"date_basis,omitempty"`
	URL          string `json:"url,omitempty"`
	Translated   bool   `json:"translated,omitempty"`
	File         string `json:"file"`
	Paragraphs   int    `json:"paragraphs"`
	Article      int    `json:"article"` // paragraphs of article text
	Cited        int    `json:"cited"`   // … cited by a reviewed claim
	DraftsOnly   int    `json:"drafts_only"`
}

// docParagraph is one paragraph of GET /api/docs/{id} with the reviewed
// claims citing it. Draft claims are counted, never shown.
type docParagraph struct {
	ID        string      `json:"id"`
	Line      int         `json:"line"`
	Text      string      `json:"text"`
	Raw       string      `json:"raw,omitempty"` // the line as in the file, when it differs
	Furniture string      `json:"furniture,omitempty"`
	Claims    []paraClaim `json:"claims"`
	Drafts    int         `json:"drafts,omitempty"`
}

type paraClaim struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Brief     string `json:"brief"`
	BriefName string `json:"brief_name"`
	Kind      string `json:"kind"`
	Quote     string `json:"quote,omitempty"`
	By        string `json:"by,omitempty"`
	Reported  bool   `json:"reported,omitempty"`
	Stance    string `json:"stance,omitempty"` // "France offers <option>"
}

type docsResponse struct {
	Documents []docSummary `json:"documents"`
	Drafts    int          `json:"drafts"`
}

type docResponse struct {
	Document   docSummary     `json:"document"`
	Paragraphs []docParagraph `json:"paragraphs"`
}

func (c *Console) docs(w http.ResponseWriter, _ *http.Request) {
	set := c.set()
	if set == nil {
		writeJSON(w, http.StatusNotFound, apiError{"console: documents are not available here"})
		return
	}
	resp := docsResponse{Documents: []docSummary{}, Drafts: len(set.Drafts)}
	for _, dc := range briefs.Coverage(set) {
		resp.Documents = append(resp.Documents, summary(dc))
	}
	writeJSON(w, http.StatusOK, resp)
}

func (c *Console) doc(w http.ResponseWriter, r *http.Request) {
	set := c.set()
	if set == nil {
		writeJSON(w, http.StatusNotFound, apiError{"console: documents are not available here"})
		return
	}
	id := r.PathValue("id")
	for _, dc := range briefs.Coverage(set) {
		if dc.Doc.ID != id {
			continue
		}
		resp := docResponse{Document: summary(dc), Paragraphs: make([]docParagraph, 0, len(dc.Paragraphs))}
		for _, pc := range dc.Paragraphs {
			resp.Paragraphs = append(resp.Paragraphs, paragraph(set, pc))
		}
		writeJSON(w, http.StatusOK, resp)
		return
	}
	writeJSON(w, http.StatusNotFound, apiError{"console: no document " + quoteHost(id)})
}

func (c *Console) set() *briefs.Set {
	if c.opts.Set == nil {
		return nil
	}
	return c.opts.Set()
}

func summary(dc briefs.DocCoverage) docSummary {
	d := dc.Doc
	return docSummary{ID: d.ID, Title: d.Title, TitlePrinted: d.TitlePrinted, Outlet: d.Outlet, Author: d.Author,
		Date: d.DateLabel(), DateBasis: d.DateBasis, URL: d.URL, Translated: d.Translated, File: d.File,
		Paragraphs: len(d.Paragraphs), Article: dc.Article, Cited: dc.Cited, DraftsOnly: dc.Drafts}
}

func paragraph(set *briefs.Set, pc briefs.ParaCoverage) docParagraph {
	p := pc.Para
	out := docParagraph{ID: p.ID, Line: p.Line, Text: p.Text, Furniture: p.Furniture, Claims: []paraClaim{}, Drafts: len(pc.Drafts)}
	if p.Furniture != "" {
		out.Text = joinLines(p.Raw)
	} else if joinLines(p.Raw) != p.Text {
		out.Raw = p.Raw
	}
	for _, c := range pc.Claims {
		out.Claims = append(out.Claims, claimOf(set, c))
	}
	return out
}

func claimOf(set *briefs.Set, c *briefs.Claim) paraClaim {
	pc := paraClaim{ID: c.ID, Text: c.Text, Brief: c.Brief.ID, BriefName: c.Brief.Name, Kind: c.Brief.Kind,
		Quote: c.Quote, By: c.By, Reported: c.Reported}
	if p := c.Position; p != nil {
		pc.Stance = nameOf(set, p.Actor) + " " + p.Stance + ": " + nameOf(set, p.Option)
	}
	return pc
}

func nameOf(set *briefs.Set, id string) string {
	if b, ok := set.Brief(id); ok {
		return b.Name
	}
	return id
}

// joinLines is a paragraph's raw text on one line, as seeds joins a line
// broken mid-sentence.
func joinLines(raw string) string {
	if ps := seeds.Split(raw); len(ps) > 0 {
		return ps[0].Text
	}
	return raw
}
