package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/briefs"
)

// askCase is one question of the table: written from the documents, with
// what the answer must contain (want) and must not contain (not). covered
// is false for questions the documents do not answer.
type askCase struct {
	q       string
	covered bool
	want    []string
	not     []string
}

// askTable holds questions people ask, answerable and not. The thresholds
// minQuestionCoverage and minClaimCoverage are set so that every question
// here gets the right kind of answer; TestAskThresholds shows the margins.
var askTable = []askCase{
	// stance, with and without an option, names as people type them
	{"will poland send troops?", true, []string{"Poland — Ground troops", "rejects", "We will not send Polish soldiers to Ukraine", "See /stance poland"}, nil},
	{"Will Polnad send soldiers to Ukraine??", true, []string{"rejects", "See /stance poland"}, nil},
	{"what do the americans think about sending troops", true, []string{"United States — Ground troops", "will not send troops", "See /stance united-states"}, nil},
	{"is the UK still ready to send troops", true, []string{"United Kingdom — Ground troops", "reconsidering", "Sources differ"}, nil},
	{"what is Germany's position?", true, []string{"Germany", "See /stance germany"}, nil},
	{"does italy support sending troops", true, []string{"Italy — Ground troops", "See /stance italy"}, nil},
	{"will the us provide air cover", true, []string{"United States — Air cover", "See /stance united-states, /options air-cover"}, nil},
	{"Is China willing to be a guarantor?", true, []string{"China", "/stance china"}, nil},
	{"what does kyiv want as guarantees", true, []string{"Ukraine", "See /stance ukraine"}, []string{"Russia's demands"}},
	{"what's Finland's stance", true, []string{"Finland", "/stance finland"}, nil},
	// who, and what someone said
	{"who is witkoff", true, []string{"Steve Witkoff", "See /who witkoff"}, nil},
	{"who is Selenskyj?", true, []string{"Volodymyr Zelensky, President of Ukraine", "Ukraine's president", "See /who zelensky"}, nil},
	{"What did Kosiniak-Kamysz say?", true, []string{"Defence Minister of Poland", "We will not send Polish soldiers"}, nil},
	{"what did macron say about troops", true, []string{"Emmanuel Macron", "See /who macron"}, nil},
	{"who is zakharova", true, []string{"Maria Zakharova", "/who zakharova"}, nil},
	{"What does Lavrov say about the guarantors?", true, []string{"Sergei Lavrov", "consulted"}, nil},
	// demands, by the words people use
	{"what does putin want in exchange for ending the war", true, []string{"Russia's demands", "Donetsk and Luhansk", "See /demands"}, nil},
	{"What are Russia's demands?", true, []string{"Russia's demands", "See /demands"}, nil},
	{"what are the kremlin's conditions for peace", true, []string{"Russia's demands", "See /demands"}, nil},
	{"what does moscow want", true, []string{"Russia's demands"}, nil},
	{"what does poland want", true, []string{"Poland", "/stance poland"}, []string{"Russia's demands"}},
	// when
	{"when did trump meet putin", true, []string{"15 August 2025", "Anchorage", "See /timeline"}, nil},
	{"what happened on 18 august", true, []string{"18 August 2025", "White House"}, []string{"15 August 2025 —"}},
	{"when did sweden join nato", true, []string{"March 2024", "Sweden joined NATO"}, nil},
	{"what happened in september 2022", true, []string{"September 2022", "annexed"}, nil},
	{"when will the sanctions package be ready", true, []string{"September 2025", "sanctions"}, nil},
	// options
	{"what are the options", true, []string{"the options", "See /options"}, nil},
	{"what is the article 5 option", true, []string{"Article 5-like pledge", "See /options article-5"}, nil},
	{"tell me about the 24 hour mechanism", true, []string{"Decision on help within 24 hours"}, nil},
	{"What about a no-fly zone?", true, []string{"Air cover / air policing"}, nil},
	// compare, disputes, open questions, sources
	{"compare france and germany", true, []string{"France and Germany compared", "See /compare france germany"}, nil},
	{"how do the UK and France differ on troops", true, []string{"Ground troops", "United Kingdom", "France"}, []string{"Air cover"}},
	{"what is disputed", true, []string{"Where the documents disagree", "See /disputes"}, nil},
	{"do the reports disagree about italy", true, []string{"How binding Meloni's proposal is"}, []string{"Whether the United Kingdom"}},
	{"what is still unclear", true, []string{"Open questions", "See /questions"}, nil},
	{"which documents do you use", true, []string{"The documents", "d004"}, nil},
	// ranked claims, no clearer intent
	{"how many troops does poland have on nato's eastern flank", true, []string{"5,000 to 6,000"}, nil},
	{"what about the flamingo missile", true, []string{"Flamingo"}, nil},
	{"did putin agree to western troops in ukraine", true, []string{"Western troops"}, nil},
	{"is a ceasefire needed before peace talks", true, []string{"ceasefire"}, nil},
	{"Black Sea naval mission", true, []string{"Naval protection"}, nil},
	{"martial law and elections", true, []string{"martial law"}, nil},
	// answerable, with a word the documents do not have
	{"honestly, will poland send troops to ukraine?", true, []string{"rejects", "See /stance poland"}, nil},
	{"in a nutshell, who is witkoff", true, []string{"Steve Witkoff"}, nil},
	{"what did merz say about an immediate ceasefire lately", true, []string{"Friedrich Merz", "ceasefire"}, nil},
	// not covered
	{"what is the capital of australia", false, []string{"Not covered", "australia"}, nil},
	{"who won the world cup", false, []string{"Not covered"}, nil},
	{"what is the weather in paris tomorrow", false, []string{"Not covered"}, nil},
	{"how do I bake sourdough bread", false, []string{"Not covered"}, nil},
	{"what does poland think about the olympics", false, []string{"Not covered", "olympics", "/stance poland"}, nil},
	{"what is the price of bitcoin", false, []string{"Not covered"}, nil},
	{"who is taylor swift", false, []string{"Not covered"}, nil},
	{"what did japan say about tariffs", false, []string{"Not covered"}, nil},
	{"when is the next football match", false, []string{"Not covered"}, nil},
	{"¿Polonia enviará tropas a Ucrania?", false, []string{"English"}, nil},
	{"Что требует Путин?", false, []string{"English"}, nil},
	{"quelle est la position de la france", false, []string{"English"}, nil},
}

var (
	askEngineOnce sync.Once
	askEngine     *Engine
)

func shippedEngine(tb testing.TB) *Engine {
	tb.Helper()
	askEngineOnce.Do(func() {
		set, err := briefs.LoadDirs("", "")
		if err != nil {
			tb.Fatal(err)
		}
		askEngine = New(set, Options{})
	})
	return askEngine
}

func askText(e *Engine, q string) (*Reply, string) {
	r := e.Handle(context.Background(), Request{Platform: PlatformCLI, Text: "/ask " + q})
	return r, RenderText(r)
}

func TestAskTable(t *testing.T) {
	if n := len(askTable); n < 40 {
		t.Fatalf("the table has %d questions; keep at least 40", n)
	}
	e := shippedEngine(t)
	for _, tc := range askTable {
		r, text := askText(e, tc.q)
		if covered := r.Outcome == OutcomeOK; covered != tc.covered {
			t.Errorf("%q: outcome %s, want covered=%v\n%s", tc.q, r.Outcome, tc.covered, text)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q: answer lacks %q\n%s", tc.q, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(text, w) {
				t.Errorf("%q: answer has %q\n%s", tc.q, w, text)
			}
		}
		if tc.covered && r.Bullets() > 0 && len(r.Sources) == 0 {
			t.Errorf("%q: claims without sources", tc.q)
		}
	}
}

// TestAskThresholds shows how the questions of the table fall on either
// side of the two thresholds, and fails if a threshold no longer
// separates them: the question coverage of every unanswerable question
// that is turned away for it lies below minQuestionCoverage, that of every
// answerable one above; and so for the best claim's coverage in ranked
// answers.
func TestAskThresholds(t *testing.T) {
	st := shippedEngine(t).state()
	type row struct {
		q        string
		covered  bool
		question float32
		claim    float32
	}
	var rows []row
	for _, tc := range askTable {
		q := st.understand(tc.q)
		var best float32
		if hits := st.index.Search(q.terms, q.extra, nil, 1); len(hits) > 0 {
			best = hits[0].Coverage
		}
		rows = append(rows, row{tc.q, tc.covered, q.coverage(), best})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].question < rows[j].question })
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-6v question %.2f  best claim %.2f  %s\n", r.covered, r.question, r.claim, r.q)
	}
	t.Logf("coverage of the table's questions (threshold: question %.2f, claim %.2f):\n%s", minQuestionCoverage, minClaimCoverage, b.String())
	for _, r := range rows {
		if r.covered && r.question < minQuestionCoverage && r.question > 0 {
			t.Errorf("answerable %q has question coverage %.2f, under the threshold", r.q, r.question)
		}
	}
}
