package bot

import (
	"fmt"
	"strings"
	"testing"
)

func TestFitKeepsFirstItemsAndCountsTheRest(t *testing.T) {
	r := &Reply{Title: "T"}
	for s := 0; s < 5; s++ {
		sec := Section{Heading: fmt.Sprint("S", s)}
		for b := 0; b < 10; b++ {
			sec.Bullets = append(sec.Bullets, Bullet{Text: Plain(fmt.Sprintf("b%d.%d", s, b))})
		}
		r.Sections = append(r.Sections, sec)
	}
	r.Sections = append(r.Sections, Section{Heading: "table", Pre: "a b"})
	// A made-up measure: one message per 7 items plus one for the notice.
	count := func(x *Reply) int { return (items(x) + 6) / 7 }
	got := Fit(r, 3, count, ReadMore("https://c.example/", "/x y"))
	if !CutShort(got) || CutShort(r) {
		t.Fatal("the cut reply does not end with the notice, or the original changed")
	}
	if count(got) > 3 {
		t.Fatalf("%d messages, want at most 3", count(got))
	}
	notice := got.Sections[len(got.Sections)-1]
	kept := items(got) - 1
	if want := fmt.Sprintf("Cut short: %d of 51 items not shown", 51-kept); notice.Heading != want {
		t.Errorf("notice %q, want %q", notice.Heading, want)
	}
	if kept != 20 {
		t.Errorf("kept %d items, want the 20 that fit", kept)
	}
	if l := notice.Bullets[0].Link; l != "https://c.example/#%2Fx%20y" {
		t.Errorf("link %q", l)
	}
	if Fit(r, 100, count, ReadMore("", "/x")) != r {
		t.Error("a reply that fits was changed")
	}
	if b := ReadMore("", "/x"); b.Link != "" || !strings.Contains(b.Text.String(), "/ask") {
		t.Errorf("without a console the notice names narrower commands: %+v", b)
	}
}
