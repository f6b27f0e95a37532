package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// FuzzSourcesParagraphs feeds /sources arbitrary text, as a user could type
// it: it never panics, echoes typed text only as user text, and every
// paragraph it shows is its document's text word for word.
func FuzzSourcesParagraphs(f *testing.F) {
	for _, s := range []string{"d004:p21", "d004 p21", "D004 ¶18, 21", "d004:p21 d001:p7", "d004:p0", "d004:p999999",
		"p21", "d004:", ":p21", "d004 d001 p3", "d004:p21:p22", "¶¶", "d004 " + strings.Repeat("p1 ", 50), "<!channel>:p1"} {
		f.Add(s)
	}
	e := fixture(f)
	set := e.Set()
	f.Fuzz(func(t *testing.T, args string) {
		r := ask(e, "/sources "+args)
		checkUserSpans(t, r)
		for _, s := range r.Sections {
			for _, bl := range s.Bullets {
				if bl.Verbatim == "" {
					continue
				}
				c := bl.Cites[0]
				d, ok := set.Corpus.Doc(r.Sources[c.Source-1].Doc)
				p, found := d.Paragraph(c.Paras[0])
				if !ok || !found || p.Text != bl.Verbatim || p.Furniture != "" {
					t.Errorf("%q: shows %q for %s:%s", args, bl.Verbatim, d.ID, c.Paras[0])
				}
			}
		}
		if r.Outcome == bot.OutcomeOK && r.Command == "sources" && len(r.Sources) == 0 {
			t.Errorf("%q: an answer without sources", args)
		}
	})
}
