package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/internal/lazyre"
	"github.com/briefbot/briefbot/seeds"
)

// debris is one kind of page furniture recognised by its wording: web
// pages' own words (adverts, prompts, placeholders), never a topic's.
type debris struct {
	re    func() *regexp.Regexp
	why   string
	short bool // only paragraphs of at most shortDebris characters
	tail  bool // starts a block that runs to the end when near the end
}

const shortDebris = 120

var debrisRules = []debris{
	{re: lazyre.New(`(?i)^(skip to (main )?content|skip navigation|menu|main menu|home|search|close|back to top|toggle navigation)$`), why: "navigation", short: true},
	{re: lazyre.New(`(?i)(download|get|install) (the|our) (\w+ )?app\b|\bapp store\b|\bgoogle play\b|full experience in the app`), why: "app advertising", short: true, tail: true},
	{re: lazyre.New(`(?i)^(loading video|loading|video|watch|play video|watch video)\b.{0,20}$`), why: "video placeholder", short: true},
	{re: lazyre.New(`(?i)^(share|share this( article| story| page)?|share on \w+|share via \w+|tweet|copy link|link copied|email|print|comments?|\d+ comments?|follow us( on \w+)?)[.!:]?$`), why: "share prompt", short: true},
	{re: lazyre.New(`(?i)^(read also|read more|related|related articles|related stories|related content|more on this( story)?|see also|recommended|most read|most popular|you may also like|more from \S.*)\s*:?`), why: "related links", short: true, tail: true},
	{re: lazyre.New(`(?i)^(advertisement|advertising|ad|sponsored|sponsored content|promoted)$`), why: "advertising", short: true},
	{re: lazyre.New(`(?i)(sign up for|subscribe to) (our|the) \w*\s*newsletter|^subscribe( now)?$|already a subscriber`), why: "subscription prompt", short: true},
	{re: lazyre.New(`(?i)we use cookies|cookie (policy|settings)|accept (all )?cookies`), why: "cookie notice", short: true},
	{re: lazyre.New(`(?i)^(photo|image|picture|credit|photograph|illustration)( credit)?\s*:|^(article main image|main image|image|photo|overview logo|logo)$`), why: "image caption or placeholder", short: true},
	{re: lazyre.New(`(?i)^(continue reading|read the full (article|story)|click here to read)\b`), why: "teaser link", short: true},
}

var (
	embeddedPostRE = lazyre.New(`— .{1,60} \(@\w{1,15}\) (January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}`)
	inlineDataRE   = lazyre.New(`\S{200,}`)
	teaserSuffixes = []string{" Show more", " Read more", " … more", "… more"}
)

// proposeFurniture proposes furniture rules, in the format of
// documents.yaml, for what is not article text: header lines used for the
// metadata, and page debris recognised by its wording.
func proposeFurniture(paras []seeds.Paragraph, used map[string]string) []seeds.FurnitureRule {
	var rules []seeds.FurnitureRule
	covered := map[string]bool{}
	addExact := func(text, why string) {
		if !covered[text] {
			covered[text] = true
			rules = append(rules, seeds.FurnitureRule{Exact: text, Why: why})
		}
	}
	for i, p := range paras {
		if why, ok := used[p.Text]; ok {
			addExact(p.Text, why)
			continue
		}
		if r, ok := matchDebris(p); ok {
			if r.From != "" && i >= len(paras)*3/4 {
				rules = append(rules, r)
				return append(rules, suffixRules(paras[:i])...)
			}
			if r.Contains != "" || r.Para != "" {
				rules = append(rules, r)
				continue
			}
			addExact(p.Text, r.Why)
		}
	}
	return append(rules, suffixRules(paras)...)
}

// matchDebris recognises one paragraph as debris. A block that starts near
// the end gets a "from" rule; an embedded post a "contains" rule; inline
// data a "para" rule.
func matchDebris(p seeds.Paragraph) (seeds.FurnitureRule, bool) {
	switch {
	case strings.Contains(p.Text, "pic.twitter.com"):
		return seeds.FurnitureRule{Contains: "pic.twitter.com", Why: "embedded post"}, true
	case embeddedPostRE().MatchString(p.Text):
		return seeds.FurnitureRule{Exact: p.Text, Why: "embedded post"}, true
	case inlineDataRE().MatchString(p.Text):
		return seeds.FurnitureRule{Para: p.ID, Why: "inline data, not text"}, true
	}
	n := utf8.RuneCountInString(p.Text)
	for _, d := range debrisRules {
		if d.short && n > shortDebris || !d.re().MatchString(p.Text) {
			continue
		}
		if d.tail {
			return seeds.FurnitureRule{From: p.Text, Why: d.why}, true
		}
		return seeds.FurnitureRule{Exact: p.Text, Why: d.why}, true
	}
	return seeds.FurnitureRule{}, false
}

// suffixRules cut teaser expanders ("… Show more") off paragraphs.
func suffixRules(paras []seeds.Paragraph) []seeds.FurnitureRule {
	var out []seeds.FurnitureRule
	for _, s := range teaserSuffixes {
		for _, p := range paras {
			if strings.HasSuffix(p.Text, s) && len(p.Text) > len(s)+20 {
				out = append(out, seeds.FurnitureRule{Suffix: s, Why: "teaser expander"})
				break
			}
		}
	}
	return out
}

var paywallRE = lazyre.New(`(?i)(subscribe|log in|sign in|register) to (continue|keep) reading|to (continue|keep) reading,? (please )?(subscribe|log in|sign in|register)|(is|are) (only )?(available|reserved) (to|for) (subscribers|members)|you have reached your (free )?(article|story) limit|become a (member|subscriber) to (read|continue)|for subscribers only|subscriber[- ]only (article|content)`)

// paywallWords is how little article text, next to a paywall prompt, makes
// a page a stub rather than an article.
const paywallWords = 150

// paywall reports the prompt of a paywall stub: a page with a paywall
// prompt and fewer than paywallWords words of article text.
func paywall(raw string, article []seeds.Paragraph) (string, bool) {
	words := 0
	for _, p := range article {
		words += len(strings.Fields(p.Text))
	}
	m := paywallRE().FindString(raw)
	return fmt.Sprintf("%d words of article text and %q", words, m), m != "" && words < paywallWords
}
