package bot

import (
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/briefs"
)

// matrixTable is the structure of /matrix: one row per actor, one column
// per option, each cell with the stances it shows (the same codes as the
// Pre grid, from matrixCell) and the claims behind them.
func (st *state) matrixTable(b *replyBuilder, rows, opts []*briefs.Brief) *Table {
	t := &Table{Caption: "Positions at a glance", Corner: "Actor", Key: matrixKeyEntries()}
	for i, o := range opts {
		t.Columns = append(t.Columns, TableColumn{ID: o.ID, Label: o.Name, Number: strconv.Itoa(i + 1)})
	}
	for _, a := range rows {
		row := TableRow{ID: a.ID, Label: shortName(a)}
		for _, o := range opts {
			row.Cells = append(row.Cells, st.tableCell(b, a.ID, o.ID))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// tableCell is one cell: the code the grid shows, its stances in words
// and as parts, and a bullet for every claim behind it, headed by the
// stance it shows.
func (st *state) tableCell(b *replyBuilder, actor, option string) TableCell {
	cell := TableCell{Code: st.matrixCell(actor, option)}
	gs := groupStances(st.positionsOn(actor, option))
	if len(gs) == 0 {
		return cell
	}
	cell.Words = labels(gs)
	for _, g := range gs {
		cell.Parts = append(cell.Parts, CellPart{Code: g.code(), Tone: Tone(g.stance), Reported: g.reportedOnly(), Others: scopeRank(g.scope) == 1})
		head := g.label()
		head = strings.ToUpper(head[:1]) + head[1:] + ": "
		for _, c := range g.claims {
			cell.Claims = append(cell.Claims, b.claim(c, head))
		}
	}
	return cell
}

// matrixKeyEntries is the key of the matrix's codes, the same meanings as
// the Key section words them.
func matrixKeyEntries() []KeyEntry {
	var key []KeyEntry
	for _, s := range briefs.Stances() {
		key = append(key, KeyEntry{Code: stanceCode(s), Meaning: s, Tone: Tone(s)})
	}
	return append(key,
		KeyEntry{Code: "·", Meaning: "not stated"},
		KeyEntry{Code: "O/U", Meaning: "the documents report different positions"},
		KeyEntry{Code: "*", Meaning: "rests only on what documents report as someone's account"},
		KeyEntry{Code: "R|S", Meaning: "the actor's own part, then what it backs others doing"},
	)
}
