package bot_test

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// shipped loads the embedded corpus and briefs, as `briefbot serve` does.
func shipped(tb testing.TB) *bot.Engine {
	tb.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		tb.Fatal(err)
	}
	return bot.New(set, bot.Options{})
}

// BenchmarkStancePoland answers /stance poland end to end: parse, route,
// build the reply and render it as text.
func BenchmarkStancePoland(b *testing.B) {
	e := shipped(b)
	req := bot.Request{Platform: bot.PlatformCLI, Text: "/stance poland"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r := e.Handle(ctx, req)
		if len(bot.RenderText(r)) == 0 {
			b.Fatal("empty reply")
		}
	}
}

// BenchmarkLoadEmbedded loads and validates the embedded corpus and briefs
// and builds the engine, as start-up does.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		set, err := briefs.LoadDirs("", "")
		if err != nil {
			b.Fatal(err)
		}
		bot.New(set, bot.Options{})
	}
}

// BenchmarkShowSourcesUS answers "Show sources" for /stance us, the answer
// citing the most paragraphs: run the command, gather its citations and
// build the paragraphs reply.
func BenchmarkShowSourcesUS(b *testing.B) {
	e := shipped(b)
	req := bot.Request{Platform: bot.PlatformSlack, Text: "/stance us", Sources: true}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := e.Handle(ctx, req); r.Outcome != bot.OutcomeOK {
			b.Fatal(r.Title)
		}
	}
}

// BenchmarkTimelineNamed answers /timeline as Slack with a prefix: the
// longest answer, every command it names renamed for the platform.
func BenchmarkTimelineNamed(b *testing.B) {
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		b.Fatal(err)
	}
	for _, prefix := range []string{"", "bb-"} {
		e := bot.New(set, bot.Options{Prefix: prefix})
		for _, platform := range []string{bot.PlatformCLI, bot.PlatformSlack} {
			b.Run(platform+"/"+prefix, func(b *testing.B) {
				req := bot.Request{Platform: platform, Text: "/" + prefix + "timeline"}
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					if r := e.Handle(ctx, req); r.Outcome != bot.OutcomeOK {
						b.Fatal(r.Outcome)
					}
				}
			})
		}
	}
}
