package ingest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/internal/lazyre"
	"github.com/briefbot/briefbot/seeds"
)

// headerParas is how many paragraphs from the top may hold a byline or a
// date line.
const headerParas = 8

var (
	bylineRE     = lazyre.New(`^(?:By|Written by|Published by|Text:?)\s+(\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|and|&|de|van|von|da|der|la|le|al|bin))*)`)
	dateLeadRE   = lazyre.New(`(?i)^(published|updated|posted|first published|last updated)\b`)
	translatedRE = lazyre.New(`(?i)\b(translated (from|by|into|to)\b|english version by|translation by|machine[- ]translated|articles are translated)`)
)

// textMeta fills, from the text itself, what the page's head did not say:
// title, author, date (or the earliest date the text allows) and whether it
// says it is a translation. It returns the header lines it used, to be
// proposed as furniture with their reason.
func textMeta(m *Metadata, paras []seeds.Paragraph, ref time.Time) map[string]string {
	used := map[string]string{}
	if m.Title.Value == "" {
		titleFromText(m, paras, used)
	} else if i := indexOf(paras, m.Title.Value); i >= 0 && i < headerParas {
		used[paras[i].Text] = "headline (kept as the title)"
	}
	bylineFromText(m, paras, used)
	dateFromText(m, paras, ref, used)
	if m.Date.Value == "" {
		notBefore(m, paras, ref)
	}
	translation(m, paras, used)
	return used
}

func titleFromText(m *Metadata, paras []seeds.Paragraph, used map[string]string) {
	if len(paras) == 0 {
		return
	}
	first := paras[0].Text
	words := len(strings.Fields(first))
	if words >= 3 && utf8.RuneCountInString(first) <= 200 && !strings.HasSuffix(first, ".") {
		m.Title = Field{Value: first, Stated: true, Basis: "the first line of the text, a headline"}
		m.TitlePrinted = true
		used[first] = "headline (kept as the title)"
		return
	}
	m.Title = Field{Value: openingWords(first, 12), Basis: "no headline is printed: the opening words of the text; replace them with a neutral description"}
}

func openingWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + " …"
}

func bylineFromText(m *Metadata, paras []seeds.Paragraph, used map[string]string) {
	for i, p := range paras {
		if i >= headerParas {
			return
		}
		if utf8.RuneCountInString(p.Text) > 160 {
			continue
		}
		if g := bylineRE().FindStringSubmatch(p.Text); g != nil {
			if m.Author.Value == "" {
				m.Author = Field{Value: strings.TrimRight(g[1], " .,"), Stated: true, Basis: fmt.Sprintf("the byline %q printed in the text", p.Text)}
			}
			used[p.Text] = "byline"
			return
		}
	}
}

// dateFromText takes the date from a date line near the top ("Published
// 20 August 2025", "Wednesday, August 20"), and marks that line as
// furniture even when the page's metadata gave the date.
func dateFromText(m *Metadata, paras []seeds.Paragraph, ref time.Time, used map[string]string) {
	for i, p := range paras {
		if i >= headerParas {
			return
		}
		if ds := FindDates(p.Text); len(ds) > 0 && isDateLine(p.Text, ds[0]) && textDate(m, p.Text, ds[0], ref) {
			why := "date line"
			if used[p.Text] == "byline" {
				why = "byline and date line"
			}
			used[p.Text] = why
			return
		}
	}
}

// isDateLine: a short line that is mostly its date, or says it is one.
func isDateLine(text string, d DateMention) bool {
	rest := strings.TrimSpace(strings.Replace(text, d.Raw, "", 1))
	return utf8.RuneCountInString(rest) <= 40 || (dateLeadRE().MatchString(text) && utf8.RuneCountInString(text) <= 120)
}

// textDate sets the date from a date line unless the metadata had one.
func textDate(m *Metadata, line string, d DateMention, ref time.Time) bool {
	if m.Date.Value != "" {
		return true
	}
	t, how, ok := ResolveYear(d, ref)
	if !ok {
		return false
	}
	m.Date = Field{Value: t.Format(time.DateOnly), Stated: d.HasYear, Basis: fmt.Sprintf("printed in the text: %q", line)}
	if !d.HasYear {
		m.Date.Basis = fmt.Sprintf("printed %q without a year; %s", d.Raw, how)
	}
	return true
}

// notBefore bounds an undated text by the latest full date it mentions.
func notBefore(m *Metadata, paras []seeds.Paragraph, ref time.Time) {
	var latest DateMention
	for _, p := range paras {
		for _, d := range FindDates(p.Text) {
			if d.HasYear && !d.Date.After(ref) && d.Date.After(latest.Date) {
				latest = d
			}
		}
	}
	if !latest.HasYear {
		m.Date.Basis = "no publication date in the page's metadata, its URL or its text, and the text mentions no dated day to bound it; set date or not_before by hand"
		return
	}
	m.NotBefore = Field{Value: latest.Date.Format(time.DateOnly),
		Basis: fmt.Sprintf("No date is printed. The latest date the text mentions is %s (%q), so the text is from that day or later.", latest.Date.Format("2 January 2006"), latest.Raw)}
}

func translation(m *Metadata, paras []seeds.Paragraph, used map[string]string) {
	for _, p := range paras {
		if translatedRE().MatchString(p.Text) {
			m.Translated = Field{Value: "true", Stated: true, Basis: fmt.Sprintf("The text says %q.", p.Text)}
			if utf8.RuneCountInString(p.Text) <= 160 {
				used[p.Text] = "translation credit"
			}
			return
		}
	}
}

func indexOf(paras []seeds.Paragraph, text string) int {
	want := strings.Join(strings.Fields(text), " ")
	for i, p := range paras {
		if p.Text == want {
			return i
		}
	}
	return -1
}
