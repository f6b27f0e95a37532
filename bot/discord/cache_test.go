package discord

import (
	"testing"

	"github.com/briefbot/briefbot/bot"
)

func TestRenderCache(t *testing.T) {
	c := newRenderCache(2, "", bot.Naming{})
	r := &bot.Reply{Title: "T", Sections: []bot.Section{{Heading: "H", Bullets: []bot.Bullet{{Text: bot.Plain("a claim")}}}}}
	first := c.get(r, "/x")
	first[0].Content = "Shared by someone"
	second := c.get(r, "/x")
	if second[0].Content != "" {
		t.Fatalf("a caller's change leaked into the cache: %q", second[0].Content)
	}
	if len(first[0].Embeds) == 0 || first[0].Embeds[0] != second[0].Embeds[0] {
		t.Fatal("the rendering was not reused")
	}
	c.get(&bot.Reply{Title: "2"}, "")
	c.get(&bot.Reply{Title: "3"}, "") // over the bound: starts over
	if len(c.m) > 2 {
		t.Fatalf("cache holds %d entries, bound 2", len(c.m))
	}
}
