package ingest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/briefbot/briefbot/internal/lazyre"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Field is one proposed metadata value and what it rests on.
type Field struct {
	Value  string `json:"value,omitempty"`
	Stated bool   `json:"stated"` // the source states it; false means inferred
	Basis  string `json:"basis,omitempty"`
}

// Note is the field's basis as a curator reads it: stated or inferred, and
// from what.
func (f Field) Note() string {
	switch {
	case f.Value == "" && f.Basis == "":
		return ""
	case f.Value == "":
		return "not found: " + f.Basis
	case f.Stated:
		return "stated: " + f.Basis
	}
	return "inferred: " + f.Basis
}

// Metadata is what ingest proposes for a document's documents.yaml entry.
type Metadata struct {
	Title     Field  `json:"title"`
	Outlet    Field  `json:"outlet"`
	Author    Field  `json:"author"`
	Date      Field  `json:"date"`       // YYYY-MM-DD
	NotBefore Field  `json:"not_before"` // YYYY-MM-DD, when Date is empty
	Canonical string `json:"canonical,omitempty"`
	// TitlePrinted: the title is the page's own headline, not a description.
	TitlePrinted bool  `json:"title_printed"`
	Translated   Field `json:"translated"` // Value "true" when the text says so
}

// pageMeta is what the head of an HTML page says about it.
type pageMeta struct {
	meta      map[string]string // meta name or property (lower case) → first content
	title     string            // <title>
	h1        string            // the first <h1>
	timeAttr  string            // <time datetime> marked as the publication date
	canonical string
	ld        []map[string]any // JSON-LD objects that describe an article
}

// maxJSONLD bounds one JSON-LD script; larger ones are skipped.
const maxJSONLD = 256 << 10

// readPageMeta walks a parsed page once for its meta tags, title, first
// heading and JSON-LD.
func readPageMeta(doc *html.Node) *pageMeta {
	pm := &pageMeta{meta: map[string]string{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			pm.element(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return pm
}

func (pm *pageMeta) element(n *html.Node) {
	switch n.DataAtom {
	case atom.Meta:
		key := strings.ToLower(attr(n, "property"))
		if key == "" {
			key = strings.ToLower(attr(n, "name"))
		}
		if key == "" {
			key = strings.ToLower(attr(n, "itemprop"))
		}
		if v := clean(attr(n, "content")); key != "" && v != "" {
			if _, seen := pm.meta[key]; !seen {
				pm.meta[key] = v
			}
		}
	case atom.Title:
		if pm.title == "" && n.Parent != nil && n.Parent.DataAtom == atom.Head {
			pm.title = clean(textOf(n, 2000))
		}
	case atom.H1:
		if pm.h1 == "" {
			pm.h1 = clean(textOf(n, 2000))
		}
	case atom.Time:
		if pm.timeAttr == "" && (attr(n, "itemprop") == "datePublished" || hasAttr(n, "pubdate")) {
			pm.timeAttr = attr(n, "datetime")
		}
	case atom.Link:
		if pm.canonical == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
			pm.canonical = attr(n, "href")
		}
	case atom.Script:
		if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
			pm.addJSONLD(textOf(n, maxJSONLD+1))
		}
	}
}

func (pm *pageMeta) addJSONLD(raw string) {
	if len(raw) > maxJSONLD {
		return
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		return
	}
	collectArticles(v, &pm.ld, 0)
}

// collectArticles finds objects that describe an article: a headline or a
// publication date, at any depth of @graph or nested lists.
func collectArticles(v any, out *[]map[string]any, depth int) {
	if depth > 8 || len(*out) > 16 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			collectArticles(x, out, depth+1)
		}
	case map[string]any:
		if _, ok := t["headline"]; ok {
			*out = append(*out, t)
		} else if _, ok := t["datePublished"]; ok {
			*out = append(*out, t)
		}
		if g, ok := t["@graph"]; ok {
			collectArticles(g, out, depth+1)
		}
	}
}

// ldString returns a JSON-LD value as text: a string, the name of an
// object, or the names of a list joined with commas.
func ldString(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return clean(t)
	case map[string]any:
		return ldString(t["name"], depth+1)
	case []any:
		var names []string
		for _, x := range t {
			if s := ldString(x, depth+1); s != "" && len(names) < 6 {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func (pm *pageMeta) ld1(key string) (string, bool) {
	for _, obj := range pm.ld {
		if s := ldString(obj[key], 0); s != "" {
			return s, true
		}
	}
	return "", false
}

// metaFrom proposes the metadata of an HTML page, each field from the most
// explicit source that has it.
func metaFrom(pm *pageMeta, pageURL *url.URL, byline string) Metadata {
	var m Metadata
	m.Title = pm.firstOf(
		ldSource("headline"), metaSource("og:title"), metaSource("twitter:title"),
		fixed(pm.h1, "the page's first heading (<h1>)"), fixed(titleWithoutSite(pm.title, pm.meta["og:site_name"]), "the page's <title>"))
	m.TitlePrinted = m.Title.Value != ""
	m.Outlet = pm.firstOf(metaSource("og:site_name"), ldPath("publisher"), metaSource("application-name"))
	m.Author = pm.firstOf(ldPath("author"), metaSource("author"), authorMeta("article:author"),
		metaSource("parsely-author"), metaSource("sailthru.author"), metaSource("dc.creator"),
		fixed(clean(byline), "the byline readability found on the page"))
	m.Date = pm.date()
	if m.Date.Value == "" && pageURL != nil {
		m.Date = urlDate(pageURL)
	}
	if pm.canonical != "" && pageURL != nil {
		if c, err := pageURL.Parse(pm.canonical); err == nil && (c.Scheme == "http" || c.Scheme == "https") {
			m.Canonical = c.String()
		}
	}
	return m
}

// source proposes a value from the page, or nothing.
type source func(pm *pageMeta) Field

func (pm *pageMeta) firstOf(srcs ...source) Field {
	for _, s := range srcs {
		if f := s(pm); f.Value != "" {
			return f
		}
	}
	return Field{}
}

func metaSource(key string) source {
	return func(pm *pageMeta) Field {
		return Field{Value: pm.meta[key], Stated: true, Basis: fmt.Sprintf("<meta %s=%q> of the page", metaAttrName(key), key)}
	}
}

// authorMeta is article:author, which is often a profile URL, not a name.
func authorMeta(key string) source {
	return func(pm *pageMeta) Field {
		if v := pm.meta[key]; !strings.Contains(v, "://") {
			return metaSource(key)(pm)
		}
		return Field{}
	}
}

func ldSource(key string) source {
	return func(pm *pageMeta) Field {
		v, _ := pm.ld1(key)
		return Field{Value: v, Stated: true, Basis: "the page's JSON-LD " + key}
	}
}

func ldPath(key string) source {
	return func(pm *pageMeta) Field {
		v, _ := pm.ld1(key)
		return Field{Value: v, Stated: true, Basis: "the page's JSON-LD " + key + ".name"}
	}
}

func fixed(v, basis string) source {
	return func(*pageMeta) Field { return Field{Value: v, Stated: true, Basis: basis} }
}

func metaAttrName(key string) string {
	if strings.HasPrefix(key, "og:") || strings.HasPrefix(key, "article:") {
		return "property"
	}
	return "name"
}

// dateMetaKeys are the meta tags pages use for the publication date, most
// explicit first.
var dateMetaKeys = []string{"article:published_time", "og:published_time", "datepublished", "date", "pubdate",
	"publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
	"citation_publication_date"}

func (pm *pageMeta) date() Field {
	if v, ok := pm.ld1("datePublished"); ok {
		if d, ok := parseDate(v); ok {
			return Field{Value: d, Stated: true, Basis: fmt.Sprintf("the page's JSON-LD datePublished %q", v)}
		}
	}
	for _, k := range dateMetaKeys {
		if d, ok := parseDate(pm.meta[k]); ok {
			return Field{Value: d, Stated: true, Basis: fmt.Sprintf("<meta %s=%q content=%q> of the page", metaAttrName(k), k, pm.meta[k])}
		}
	}
	if d, ok := parseDate(pm.timeAttr); ok {
		return Field{Value: d, Stated: true, Basis: fmt.Sprintf("the page's <time datetime=%q> marked as the publication date", pm.timeAttr)}
	}
	return Field{}
}

var urlDateRE = lazyre.New(`/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)

// urlDate infers a date from a path such as /2025/08/20/.
func urlDate(u *url.URL) Field {
	m := urlDateRE().FindStringSubmatch(u.Path)
	if m == nil {
		return Field{}
	}
	d, ok := parseDate(fmt.Sprintf("%s-%02s-%02s", m[1], m[2], m[3]))
	if !ok {
		return Field{}
	}
	return Field{Value: d, Basis: fmt.Sprintf("the URL path %q; the page states no date", m[0])}
}

// titleWithoutSite drops a " | Site" or " - Site" ending from a <title>.
func titleWithoutSite(title, site string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: "} {
		if i := strings.LastIndex(title, sep); i > 0 {
			tail := strings.TrimSpace(title[i+len(sep):])
			if strings.EqualFold(tail, site) || (sep == " | " && len(tail) < 40) {
				return strings.TrimSpace(title[:i])
			}
		}
	}
	return title
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

// textOf is the text under n, at most max bytes.
func textOf(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() <= max; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// clean collapses whitespace and drops control characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

var isoDateRE = lazyre.New(`^\s*(\d{4})-(\d{2})-(\d{2})`)

// parseDate reads a publication date as YYYY-MM-DD: ISO 8601 (the date as
// written, whatever its zone), or a date in words ("20 August 2025").
func parseDate(s string) (string, bool) {
	if m := isoDateRE().FindStringSubmatch(s); m != nil {
		if t, err := time.Parse(time.DateOnly, m[1]+"-"+m[2]+"-"+m[3]); err == nil {
			return t.Format(time.DateOnly), true
		}
		return "", false
	}
	for _, dm := range FindDates(s) {
		if dm.HasYear {
			return dm.Date.Format(time.DateOnly), true
		}
	}
	return "", false
}
