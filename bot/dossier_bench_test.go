package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// Scale of the synthetic dossiers: benchDossiers dossiers of
// benchActors×benchActorClaims + benchOptions×benchOptionClaims claims.
const (
	benchDossiers     = 50
	benchDocs         = 10
	benchParas        = 100
	benchActors       = 20
	benchActorClaims  = 45
	benchOptions      = 10
	benchOptionClaims = 10
)

var benchWords = strings.Fields(`harbour levy council pilots berth cap fund vote hearing ship port
	passenger tax budget repair wall mayor guild season operator cruise ferry dock crane tide
	quay cargo fee toll license permit review audit board panel plan report study survey
	market price cost wage job union strike deal offer proposal motion debate ruling court
	appeal judge law rule code standard limit quota target deadline schedule timeline`)

func benchSentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// writeBenchDossier writes one synthetic dossier of 1,000 claims under dir.
func writeBenchDossier(tb testing.TB, dir string, n int) {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 7))
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	for _, d := range []string{"docs", "briefs/actors", "briefs/options"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	var meta strings.Builder
	meta.WriteString("documents:\n")
	for d := range benchDocs {
		var text strings.Builder
		for range benchParas {
			text.WriteString(benchSentence(r, 14) + "\n\n")
		}
		name := fmt.Sprintf("doc%02d.txt", d)
		must(os.WriteFile(filepath.Join(dir, "docs", name), []byte(text.String()), 0o644))
		fmt.Fprintf(&meta, "  - id: d%03d\n    file: %s\n    title: Synthetic document %d\n    title_printed: false\n    date: \"2031-01-%02d\"\n", d, name, d, d+1)
	}
	must(os.WriteFile(filepath.Join(dir, "documents.yaml"), []byte(meta.String()), 0o644))
	must(os.WriteFile(filepath.Join(dir, "briefs", "dossier.yaml"),
		fmt.Appendf(nil, "kind: dossier\nslug: d%d\ntitle: Synthetic dossier %d\ndescription: Generated for benchmarks.\n", n, n), 0o644))
	cite := func() string { return fmt.Sprintf("d%03d:p%d", r.IntN(benchDocs), 1+r.IntN(benchParas)) }
	for o := range benchOptions {
		var f strings.Builder
		fmt.Fprintf(&f, "kind: option\nid: o%d\nname: Option %d\nsections:\n  - heading: Claims\n    claims:\n", o, o)
		for c := range benchOptionClaims {
			fmt.Fprintf(&f, "      - id: o%d-c%d\n        text: %s\n        cite: [%s]\n", o, c, benchSentence(r, 10), cite())
		}
		must(os.WriteFile(filepath.Join(dir, "briefs", "options", fmt.Sprintf("o%d.yaml", o)), []byte(f.String()), 0o644))
	}
	for a := range benchActors {
		var f strings.Builder
		fmt.Fprintf(&f, "kind: actor\nid: a%d\nname: Actor %d\naliases: [party %d]\nsections:\n  - heading: Claims\n    claims:\n", a, a, a)
		for c := range benchActorClaims {
			fmt.Fprintf(&f, "      - id: a%d-c%d\n        text: %s\n        cite: [%s]\n", a, c, benchSentence(r, 10), cite())
			if c%5 == 0 {
				fmt.Fprintf(&f, "        position: {option: o%d, stance: supports}\n", (a+c)%benchOptions)
			}
		}
		must(os.WriteFile(filepath.Join(dir, "briefs", "actors", fmt.Sprintf("a%d.yaml", a)), []byte(f.String()), 0o644))
	}
}

// benchSources writes k synthetic dossiers and returns their sources.
func benchSources(tb testing.TB, k int) []briefs.Source {
	tb.Helper()
	root := tb.TempDir()
	var out []briefs.Source
	for i := range k {
		dir := filepath.Join(root, "d"+strconv.Itoa(i))
		writeBenchDossier(tb, dir, i)
		out = append(out, briefs.FolderSource(dir))
	}
	return out
}

func loadBench(tb testing.TB, srcs []briefs.Source) []*briefs.Set {
	tb.Helper()
	var sets []*briefs.Set
	for _, l := range briefs.LoadAll(srcs) {
		if l.Err != nil {
			tb.Fatal(l.Err)
		}
		sets = append(sets, l.Set)
	}
	return sets
}

// rssMiB is the process's resident memory, from /proc (0 elsewhere).
func rssMiB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkStartup50Dossiers loads and validates 50 dossiers of 1,000
// claims each from disk and builds the engine over them, as serve does at
// start-up; it reports the live heap and the resident memory afterwards.
func BenchmarkStartup50Dossiers(b *testing.B) {
	srcs := benchSources(b, benchDossiers)
	var e *bot.Engine
	for b.Loop() {
		sets := loadBench(b, srcs)
		var err error
		if e, err = bot.NewDossiers(sets, bot.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(rssMiB(), "rss-MiB")
	if len(e.Order()) != benchDossiers {
		b.Fatalf("%d dossiers", len(e.Order()))
	}
	claims := 0
	for _, s := range e.Order() {
		set, _ := e.Dossier(s)
		claims += len(set.Claims())
	}
	b.ReportMetric(float64(claims), "claims")
}

// memBindings is an in-memory Bindings.
type memBindings struct {
	mu sync.Mutex
	m  map[string]string
}

func (f *memBindings) Binding(_ context.Context, scope string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.m[scope]
	return s, ok, nil
}

func (f *memBindings) Bind(_ context.Context, b bot.Binding) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[b.Scope] = b.Dossier
	return nil
}

// benchEngine serves k synthetic dossiers, with channel "C<i>" bound to
// dossier i.
func benchEngine(b *testing.B, srcs []briefs.Source) *bot.Engine {
	k := len(srcs)
	sets := loadBench(b, srcs)
	mb := &memBindings{m: map[string]string{}}
	for i := range k {
		mb.m[bot.ChannelScope(bot.PlatformSlack, "C"+strconv.Itoa(i))] = "d" + strconv.Itoa(i)
	}
	e, err := bot.NewDossiers(sets, bot.Options{Bindings: mb})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkRequestDossiers answers /stance and /ask in a bound channel
// with 1 dossier loaded and with 50: the per-request cost of many
// dossiers is the binding lookup (cached) and the choice of state.
func BenchmarkRequestDossiers(b *testing.B) {
	for _, k := range []int{1, benchDossiers} {
		e := benchEngine(b, benchSources(b, k))
		ch := "C" + strconv.Itoa(k-1)
		for _, text := range []string{"/stance a3", "/ask what does actor 3 say about the harbour levy?"} {
			name := strings.Fields(text)[0][1:]
			b.Run(fmt.Sprintf("%s/dossiers=%d", name, k), func(b *testing.B) {
				req := bot.Request{Platform: bot.PlatformSlack, Workspace: "T1", ChannelID: ch, Text: text}
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					if r := e.Handle(ctx, req); r.Outcome == bot.OutcomeError {
						b.Fatal(bot.RenderText(r))
					}
				}
			})
		}
	}
}

// BenchmarkAnswersDuringReload answers /stance across 49 dossiers while
// dossier d0 is reloaded from disk over and over (reloading) or not at
// all (idle), and reports the 99th percentile of one answer's latency.
func BenchmarkAnswersDuringReload(b *testing.B) {
	srcs := benchSources(b, benchDossiers)
	e := benchEngine(b, srcs)
	for _, mode := range []string{"idle", "reloading"} {
		b.Run(mode, func(b *testing.B) {
			stop := make(chan struct{})
			var reloads atomic.Int64
			var wg sync.WaitGroup
			if mode == "reloading" {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						set, err := srcs[0].Load()
						if err != nil {
							panic(err)
						}
						if err := e.Replace("d0", set); err != nil {
							panic(err)
						}
						reloads.Add(1)
					}
				})
			}
			ctx := context.Background()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				i++
				req := bot.Request{Platform: bot.PlatformSlack, ChannelID: "C" + strconv.Itoa(1+i%(benchDossiers-1)), Text: "/stance a" + strconv.Itoa(i%benchActors)}
				start := time.Now()
				if r := e.Handle(ctx, req); r.Outcome != bot.OutcomeOK {
					b.Fatal(bot.RenderText(r))
				}
				lat = append(lat, time.Since(start))
			}
			close(stop)
			wg.Wait()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1000, "p50-µs")
			b.ReportMetric(float64(reloads.Load()), "reloads")
		})
	}
}
