package bot

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
	"github.com/briefbot/briefbot/seeds"
)

// benchQuestions mix the kinds of answer: structured ones and ranked ones.
var benchQuestions = []string{
	"/ask will poland send troops?",
	"/ask what does putin want in exchange for ending the war",
	"/ask how many troops does poland have on nato's eastern flank",
	"/ask what is the capital of australia",
}

// BenchmarkAsk answers /ask over the shipped briefs, end to end: parse,
// understand, rank, build the reply.
func BenchmarkAsk(b *testing.B) {
	e := shippedEngine(b)
	for _, q := range benchQuestions {
		b.Run(strings.Fields(q)[1]+"-"+strings.Fields(q)[len(strings.Fields(q))-1], func(b *testing.B) {
			benchAsk(b, e, q)
		})
	}
}

// BenchmarkAsk10k answers over a generated set of about 10,000 claims.
func BenchmarkAsk10k(b *testing.B) {
	set := bigSet(b, 32)
	e := New(set, Options{})
	b.Logf("%d claims", len(set.Claims()))
	for _, q := range benchQuestions {
		b.Run(strings.Fields(q)[1]+"-"+strings.Fields(q)[len(strings.Fields(q))-1], func(b *testing.B) {
			benchAsk(b, e, q)
		})
	}
}

func benchAsk(b *testing.B, e *Engine, q string) {
	req := Request{Platform: PlatformCLI, Text: q}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := e.Handle(ctx, req); r.Command != "ask" {
			b.Fatalf("%s: %+v", q, r)
		}
	}
}

// BenchmarkBuildIndex builds the /ask index of the shipped briefs, as
// start-up and every reload do, and reports the heap it keeps.
func BenchmarkBuildIndex(b *testing.B) {
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rank.Build(set)
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep := rank.Build(set)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc), "kept-bytes")
	runtime.KeepAlive(keep)
}

var (
	idLine   = regexp.MustCompile(`(?m)^(\s*-?\s*id: )([a-z0-9-]+)\s*$`)
	nameLine = regexp.MustCompile(`(?m)^name: (.*)$`)
	aliases  = regexp.MustCompile(`(?m)^(aliases|short): .*\n`)
	// position lines are dropped from the copies: a copy's position would
	// need a person speaking for the copy, and /ask ranks claims, not cells.
	position = regexp.MustCompile(`(?m)^\s*position: \{.*\}\s*\n`)
)

// bigSet is the shipped briefs copied n times: ids and names get a
// suffix, aliases are dropped, so that every copy validates against the
// same corpus.
func bigSet(tb testing.TB, n int) *briefs.Set {
	tb.Helper()
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	src := briefs.Embedded()
	out := fstest.MapFS{}
	err = fs.WalkDir(src, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		raw, err := fs.ReadFile(src, path)
		if err != nil {
			return err
		}
		out[path] = &fstest.MapFile{Data: raw}
		if path == "disputes.yaml" || path == "dossier.yaml" {
			return nil // one of each per dossier
		}
		for i := 1; i < n; i++ {
			s := idLine.ReplaceAllString(string(raw), fmt.Sprintf("${1}${2}-copy%d", i))
			s = nameLine.ReplaceAllStringFunc(s, func(line string) string {
				return fmt.Sprintf("name: %q", fmt.Sprintf("copy %d of %s", i, strings.Trim(strings.TrimPrefix(line, "name: "), `"'`)))
			})
			s = aliases.ReplaceAllString(s, "")
			s = position.ReplaceAllString(s, "")
			out[fmt.Sprintf("copy%d/%s", i, path)] = &fstest.MapFile{Data: []byte(s)}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	set, problems := briefs.Load(out, "generated", corpus)
	if len(problems) > 0 {
		tb.Fatalf("generated set: %v", problems[:min(3, len(problems))])
	}
	return set
}
