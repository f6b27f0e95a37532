package bot

import "strings"

// Table is a grid of short coded cells, rows against columns, such as the
// position matrix (actors against options). It is the structure
// behind a section's Pre text: each surface draws it its own way (a table
// block, a picture, an HTML table), and one that cannot keeps the Pre
// text. Tables are shared like the rest of a Reply: read-only.
type Table struct {
	// Caption names the table ("Positions at a glance").
	Caption string `json:"caption"`
	// Corner heads the column of row labels ("Actor").
	Corner  string        `json:"corner,omitempty"`
	Columns []TableColumn `json:"columns"`
	Rows    []TableRow    `json:"rows"`
	// Key says what the codes of the cells mean, in the order to show it.
	Key []KeyEntry `json:"key,omitempty"`
}

// TableColumn is one column: its id, its name, and its number in the
// Pre text ("7").
type TableColumn struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Number string `json:"number"`
}

// TableRow is one row: its id, its name as the Pre text shows it, and
// one cell per column.
type TableRow struct {
	ID    string      `json:"id"`
	Label string      `json:"label"`
	Cells []TableCell `json:"cells"`
}

// TableCell is one cell: its code as the Pre text shows it ("R|S", "O*",
// "·"), the same in words, the parts it is made of (each with its tone,
// for colour), and the claims it rests on.
type TableCell struct {
	Code   string     `json:"code"`
	Words  string     `json:"words,omitempty"`
	Parts  []CellPart `json:"parts,omitempty"`
	Claims []Bullet   `json:"claims,omitempty"`
}

// Empty reports whether nothing is stated in the cell.
func (c TableCell) Empty() bool { return len(c.Parts) == 0 }

// CellPart is one stance in a cell: its code ("O*"), its tone, whether
// it rests only on reported claims, and whether it is what the row backs
// others doing (shown after the bar in "R|S") rather than its own part.
type CellPart struct {
	Code     string `json:"code"`
	Tone     Tone   `json:"tone"`
	Reported bool   `json:"reported,omitempty"`
	Others   bool   `json:"others,omitempty"`
}

// Tone is what a cell part says, for colour: one per stance a position
// can take. Surfaces map tones to colours; the set of tones is fixed by
// the brief format, not by any corpus.
type Tone string

// Tones of the stances a position can take.
const (
	ToneOffers      Tone = "offers"
	ToneSupports    Tone = "supports"
	ToneConditional Tone = "conditional"
	ToneRejects     Tone = "rejects"
	ToneUndecided   Tone = "undecided"
	ToneNone        Tone = "" // nothing stated
)

// Tones lists the tones in the order a key shows them.
func Tones() []Tone {
	return []Tone{ToneOffers, ToneSupports, ToneConditional, ToneRejects, ToneUndecided}
}

// KeyEntry is one line of a table's key: a code ("O", "O/U", "*", "R|S")
// and what it means; Tone is set for the codes of a single stance.
type KeyEntry struct {
	Code    string `json:"code"`
	Meaning string `json:"meaning"`
	Tone    Tone   `json:"tone,omitempty"`
}

// RowWords says a row in words, one stated cell after another, grouped by
// what they say: "Acme — offers: Price cap;
// supports: Air cover / air policing, Naval protection". It is the text
// version of a row for surfaces that show the table as a picture.
func (t *Table) RowWords(r TableRow) string {
	var order []string
	cols := map[string][]string{}
	for i, c := range r.Cells {
		if c.Empty() || i >= len(t.Columns) {
			continue
		}
		w := c.Words
		if _, ok := cols[w]; !ok {
			order = append(order, w)
		}
		cols[w] = append(cols[w], t.Columns[i].Label)
	}
	if len(order) == 0 {
		return r.Label + " — nothing stated"
	}
	parts := make([]string, len(order))
	for i, w := range order {
		parts[i] = w + ": " + strings.Join(cols[w], ", ")
	}
	return r.Label + " — " + strings.Join(parts, "; ")
}

// Cells counts the table's cells, row labels and column headers included,
// and the characters in them, so that a surface can tell whether it fits.
func (t *Table) Cells() (cells, chars int) {
	cells = (len(t.Rows) + 1) * (len(t.Columns) + 1)
	chars = len([]rune(t.Corner))
	for _, c := range t.Columns {
		chars += len([]rune(c.Label))
	}
	for _, r := range t.Rows {
		chars += len([]rune(r.Label))
		for _, c := range r.Cells {
			chars += len([]rune(c.Code))
		}
	}
	return cells, chars
}
