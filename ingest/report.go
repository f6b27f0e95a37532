package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/seeds"
)

// emptyFS has no files.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// fingerprint names a document file by its text.
func fingerprint(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:8])
}

// shortArticle is how few words of article text deserve a warning.
const shortArticle = 120

// checks lists what a curator should look at before drafting claims.
func checks(src *Source, ex *Extracted, d *prepared, article []seeds.Paragraph, dropped []seeds.FurnitureRule) []string {
	var out []string
	for _, f := range []struct {
		key string
		f   Field
	}{{"title", ex.Meta.Title}, {"outlet", ex.Meta.Outlet}, {"author", ex.Meta.Author}, {"date", ex.Meta.Date}} {
		switch {
		case f.f.Value == "" && f.key == "date" && ex.Meta.NotBefore.Value != "":
			out = append(out, "date: none found; not_before "+ex.Meta.NotBefore.Value+" — "+ex.Meta.NotBefore.Basis)
		case f.f.Value == "":
			out = append(out, f.key+": none found"+basisSuffix(f.f.Basis))
		case !f.f.Stated:
			out = append(out, fmt.Sprintf("%s: %q is inferred from %s", f.key, f.f.Value, f.f.Basis))
		}
	}
	if ex.Meta.Translated.Value == "true" {
		out = append(out, "translated: "+ex.Meta.Translated.Basis)
	}
	out = append(out, fmt.Sprintf("furniture: %d rule(s) proposed; %d of %d paragraphs are article text — read them all with briefbot paragraphs and adjust the rules in %s",
		len(d.rules), len(article), len(d.paras), seeds.MetadataFile))
	for _, r := range dropped {
		out = append(out, fmt.Sprintf("furniture: a proposed rule (%s) matched no paragraph and was left out", r.Why))
	}
	if n := words(article); n < shortArticle {
		out = append(out, fmt.Sprintf("only %d words of article text: check that the whole article came through", n))
	}
	if src.Kind == KindText {
		if lines := brokenLines(d.paras); lines != "" {
			out = append(out, "lines "+lines+" look like one paragraph broken over several lines; each line is its own paragraph — join them in the file before citing, if so")
		}
	}
	if src.URL != "" && src.URL != src.Name {
		out = append(out, "fetched from "+src.URL+" (redirected from "+src.Name+")")
	}
	return append(out, ex.Notes...)
}

func basisSuffix(b string) string {
	if b == "" {
		return ""
	}
	return " — " + b
}

func words(ps []seeds.Paragraph) int {
	n := 0
	for _, p := range ps {
		n += len(strings.Fields(p.Text))
	}
	return n
}

// brokenLines finds runs of adjacent lines that do not end a sentence, as
// text wrapped at a fixed width does.
func brokenLines(ps []seeds.Paragraph) string {
	run, first := 0, 0
	for i := 1; i < len(ps); i++ {
		prev := strings.TrimSpace(ps[i-1].Raw)
		last, _ := utf8.DecodeLastRuneInString(prev)
		adjacent := ps[i].Line == ps[i-1].Line+strings.Count(ps[i-1].Raw, "\n")+1
		if adjacent && len(prev) > 50 && !strings.ContainsRune(".!?:\"”’)…", last) {
			if run == 0 {
				first = ps[i-1].Line
			}
			run++
			continue
		}
		if run >= 2 {
			return fmt.Sprintf("%d–%d", first, ps[i-1].Line)
		}
		run = 0
	}
	if run >= 2 {
		return fmt.Sprintf("%d–%d", first, ps[len(ps)-1].Line)
	}
	return ""
}

func (in *Ingester) result(source string, src *Source, ex *Extracted, d *prepared) *Result {
	return &Result{Source: source, Entry: d.entry, Meta: ex.Meta, Paragraphs: len(d.paras),
		Article: len(articleOf(ex.Text, d.rules)), Check: d.check}
}
