package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// matrixTable returns the table of /matrix and its section.
func matrixTable(t *testing.T, r *bot.Reply) (*bot.Table, bot.Section) {
	t.Helper()
	for _, s := range r.Sections {
		if s.Table != nil {
			return s.Table, s
		}
	}
	t.Fatal("/matrix has no table")
	return nil, bot.Section{}
}

// TestMatrixTable: the table behind /matrix says what its Pre grid says,
// cell by cell; combined cells keep their parts (own part, then what the
// actor backs others doing; reported only); every stated cell carries the
// claims behind it, each citing a source of the reply; the key names every
// code.
func TestMatrixTable(t *testing.T) {
	e := shipped(t)
	r := ask(e, "/matrix")
	tab, sec := matrixTable(t, r)
	grid := strings.Split(sec.Pre, "\n")
	if len(grid) != len(tab.Rows)+1 {
		t.Fatalf("the grid has %d lines for %d rows", len(grid), len(tab.Rows))
	}
	for i, row := range tab.Rows {
		if len(row.Cells) != len(tab.Columns) {
			t.Fatalf("row %s has %d cells for %d columns", row.ID, len(row.Cells), len(tab.Columns))
		}
		fields := strings.Fields(strings.TrimPrefix(grid[i+1], row.Label))
		for j, c := range row.Cells {
			if j >= len(fields) || fields[j] != c.Code {
				t.Errorf("%s × %s: table %q, grid line %q", row.ID, tab.Columns[j].ID, c.Code, grid[i+1])
			}
			checkCell(t, r, row.ID+" × "+tab.Columns[j].ID, c)
		}
	}
	cell := func(row, col string) bot.TableCell {
		for _, rw := range tab.Rows {
			for j, c := range rw.Cells {
				if rw.ID == row && tab.Columns[j].ID == col {
					return c
				}
			}
		}
		t.Fatalf("no cell %s × %s", row, col)
		return bot.TableCell{}
	}
	us := cell("united-states", "ground-troops")
	if us.Code != "R|S" || len(us.Parts) != 2 || us.Parts[0].Tone != bot.ToneRejects || us.Parts[0].Others ||
		us.Parts[1].Tone != bot.ToneSupports || !us.Parts[1].Others {
		t.Errorf("United States × ground troops: %+v", us)
	}
	uk := cell("united-kingdom", "ground-troops")
	if uk.Code != "O/U*" || len(uk.Parts) != 2 || uk.Parts[0].Reported || !uk.Parts[1].Reported {
		t.Errorf("United Kingdom × ground troops: %+v", uk)
	}
	codes := map[string]bool{}
	for _, k := range tab.Key {
		codes[k.Code] = true
	}
	for _, want := range []string{"O", "S", "C", "R", "U", "·", "O/U", "*", "R|S"} {
		if !codes[want] {
			t.Errorf("the key lacks %q: %+v", want, tab.Key)
		}
	}
}

func checkCell(t *testing.T, r *bot.Reply, where string, c bot.TableCell) {
	t.Helper()
	if c.Empty() {
		if c.Code != "·" || len(c.Claims) > 0 || c.Words != "" {
			t.Errorf("%s: empty cell %+v", where, c)
		}
		return
	}
	if len(c.Claims) == 0 || c.Words == "" {
		t.Errorf("%s: %q rests on no claim, or has no words", where, c.Code)
	}
	for _, p := range c.Parts {
		if !strings.Contains(c.Code, p.Code) || p.Tone == bot.ToneNone {
			t.Errorf("%s: part %+v does not fit code %q", where, p, c.Code)
		}
	}
	for _, b := range c.Claims {
		if len(b.Cites) == 0 {
			t.Errorf("%s: claim %q cites nothing", where, b.Text)
		}
		for _, ct := range b.Cites {
			if ct.Source < 1 || ct.Source > len(r.Sources) {
				t.Errorf("%s: claim %q cites source %d of %d", where, b.Text, ct.Source, len(r.Sources))
			}
		}
	}
}

// TestTableRowWords: a row in words groups the columns by what the cells
// say, and says when nothing is stated.
func TestTableRowWords(t *testing.T) {
	tab := &bot.Table{Columns: []bot.TableColumn{{Label: "Air"}, {Label: "Sea"}, {Label: "Land"}}}
	row := bot.TableRow{Label: "Ruritania", Cells: []bot.TableCell{
		{Code: "O", Words: "offers", Parts: []bot.CellPart{{Code: "O", Tone: bot.ToneOffers}}},
		{Code: "·"},
		{Code: "O", Words: "offers", Parts: []bot.CellPart{{Code: "O", Tone: bot.ToneOffers}}},
	}}
	if got, want := tab.RowWords(row), "Ruritania — offers: Air, Land"; got != want {
		t.Errorf("RowWords = %q, want %q", got, want)
	}
	if got := tab.RowWords(bot.TableRow{Label: "Utopia", Cells: []bot.TableCell{{Code: "·"}}}); got != "Utopia — nothing stated" {
		t.Errorf("empty row: %q", got)
	}
}

// TestMatrixDigest: "matrix" is a digest kind: the matrix, table and all,
// as a post for a channel; the shared /matrix answer is left as it was.
func TestMatrixDigest(t *testing.T) {
	e := shipped(t)
	if k, err := e.DigestKind("Matrix"); err != nil || k != bot.DigestMatrix {
		t.Fatalf("DigestKind(Matrix) = %q, %v", k, err)
	}
	d, snap, err := e.Digest("matrix", nil)
	if err != nil || snap != nil {
		t.Fatal(err)
	}
	if d.Private || d.Command != "digest" || !strings.HasPrefix(d.Title, "Digest: ") {
		t.Errorf("matrix digest: private %v, command %q, title %q", d.Private, d.Command, d.Title)
	}
	matrixTable(t, d)
	if r := ask(e, "/matrix"); !r.Private || r.Command != "matrix" {
		t.Errorf("the /matrix answer changed: private %v, command %q", r.Private, r.Command)
	}
}
