package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/yuin/goldmark"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// maxElements bounds the elements of one page handed to readability.
const maxElements = 100_000

// Extracted is a source made into corpus text with its proposed metadata.
type Extracted struct {
	// Text is the document as the corpus keeps it: one paragraph per line.
	Text  string
	Meta  Metadata
	Notes []string // what the extraction did that a curator should know

	pageText string // all the visible text of the page, for paywall prompts
}

// extract turns a source into corpus text. A plain-text source is kept
// byte for byte; HTML goes through readability; Markdown is rendered and
// read like an article.
func extract(src *Source, o Options) (*Extracted, error) {
	switch src.Kind {
	case KindHTML:
		return extractHTML(src)
	case KindMarkdown:
		return extractMarkdown(src, o)
	}
	return extractText(src, o)
}

func extractText(src *Source, o Options) (*Extracted, error) {
	body, notes, err := decodeText(src, o.Charset)
	if err != nil {
		return nil, err
	}
	ex := &Extracted{Text: body, Notes: notes}
	if strings.TrimSpace(body) == "" {
		return nil, errors.New("the text is empty")
	}
	return ex, nil
}

// decodeText returns a plain-text source as UTF-8: as it is when it is
// UTF-8 already (a byte-order mark dropped), else decoded from the charset
// named by --charset or by the server.
func decodeText(src *Source, charsetName string) (string, []string, error) {
	body := src.Body
	if bytes.IndexByte(body, 0) >= 0 {
		return "", nil, errors.New("not a text file (it contains NUL bytes)")
	}
	var notes []string
	if charsetName == "" && src.ContentType != "" {
		if _, name, certain := charset.DetermineEncoding(body, src.ContentType); certain && name != "utf-8" {
			charsetName = name
		}
	}
	if charsetName != "" && !strings.EqualFold(charsetName, "utf-8") {
		dec, err := decodeFrom(body, charsetName)
		if err != nil {
			return "", nil, err
		}
		body = dec
		notes = append(notes, "converted from "+charsetName+" to UTF-8")
	}
	if !utf8.Valid(body) {
		return "", nil, errors.New("not UTF-8 text: if it is text in another encoding, name it with --charset (e.g. --charset windows-1252)")
	}
	if b, ok := bytes.CutPrefix(body, []byte("\xef\xbb\xbf")); ok {
		body = b
		notes = append(notes, "dropped the UTF-8 byte-order mark")
	}
	return string(body), notes, nil
}

func decodeFrom(body []byte, name string) ([]byte, error) {
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", name)
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, fmt.Errorf("decoding from %s: %w", name, err)
	}
	return out, nil
}

func extractHTML(src *Source) (*Extracted, error) {
	r, err := charset.NewReader(bytes.NewReader(src.Body), src.ContentType)
	if err != nil {
		return nil, fmt.Errorf("cannot read the page's charset: %w", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("cannot parse the HTML: %w", err)
	}
	if n := countElements(doc, maxElements+1); n > maxElements {
		return nil, fmt.Errorf("the page has more than %d elements", maxElements)
	}
	pageURL, _ := url.Parse(src.URL)
	pm := readPageMeta(doc)
	article, err := readable(doc, pageURL)
	if err != nil {
		return nil, err
	}
	ex := &Extracted{Meta: metaFrom(pm, pageURL, article.Byline())}
	if ex.Meta.Title.Value == "" && article.Title() != "" {
		ex.Meta.Title = Field{Value: clean(article.Title()), Stated: true, Basis: "the page's title as readability reads it"}
		ex.Meta.TitlePrinted = true
	}
	if article.Node != nil {
		ex.Text = paragraphs(render.InnerText(article.Node))
	}
	ex.pageText = render.InnerText(doc)
	if strings.TrimSpace(ex.Text) == "" {
		return nil, errors.New("empty extraction: readability found no article text on the page")
	}
	return ex, nil
}

// readable runs readability over a parsed page. A page that makes it
// panic is refused like any page it cannot read.
func readable(doc *html.Node, pageURL *url.URL) (article readability.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("readability could not read the page: %v", r)
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxElements
	article, err = p.ParseDocument(doc, pageURL)
	if err != nil {
		return article, fmt.Errorf("readability: %w", err)
	}
	return article, nil
}

func extractMarkdown(src *Source, o Options) (*Extracted, error) {
	text, notes, err := decodeText(src, o.Charset)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(text), &buf); err != nil {
		return nil, fmt.Errorf("markdown: %w", err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		return nil, fmt.Errorf("markdown: %w", err)
	}
	ex := &Extracted{Text: paragraphs(render.InnerText(doc)), Notes: notes}
	if h1 := readPageMeta(doc).h1; h1 != "" {
		ex.Meta.Title = Field{Value: h1, Stated: true, Basis: "the first heading (# …) of the Markdown"}
		ex.Meta.TitlePrinted = true
	}
	if strings.TrimSpace(ex.Text) == "" {
		return nil, errors.New("the Markdown has no text")
	}
	return ex, nil
}

// paragraphs writes rendered text the way the corpus keeps it: each
// paragraph on one line, whitespace inside it collapsed, a blank line
// between paragraphs, so no two lines are ever read as one paragraph.
func paragraphs(rendered string) string {
	var b strings.Builder
	for _, line := range strings.Split(rendered, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(line)
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func countElements(n *html.Node, limit int) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				count++
			}
			walk(c)
		}
	}
	walk(n)
	return count
}

// readAllLimited reads at most max bytes and says when there was more.
func readAllLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("larger than the %d bytes allowed (--max-bytes)", max)
	}
	return b, nil
}
