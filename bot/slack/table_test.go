package slack

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// tableReply is a reply with one table section of rows × cols, its Pre
// text a grid of the codes.
func tableReply(rows, cols int) *bot.Reply {
	tab := &bot.Table{Caption: "Grid", Corner: "Row"}
	var pre strings.Builder
	for j := range cols {
		tab.Columns = append(tab.Columns, bot.TableColumn{ID: "c" + strconv.Itoa(j), Label: "Column " + strconv.Itoa(j), Number: strconv.Itoa(j + 1)})
	}
	for i := range rows {
		row := bot.TableRow{ID: "r" + strconv.Itoa(i), Label: "Row " + strconv.Itoa(i)}
		pre.WriteString(row.Label)
		for range cols {
			row.Cells = append(row.Cells, bot.TableCell{Code: "O", Words: "offers", Parts: []bot.CellPart{{Code: "O", Tone: bot.ToneOffers}}})
			pre.WriteString(" O")
		}
		pre.WriteString("\n")
		tab.Rows = append(tab.Rows, row)
	}
	return &bot.Reply{Outcome: bot.OutcomeOK, Title: "Grid", Private: true,
		Sections: []bot.Section{{Pre: pre.String(), Table: tab}, {Heading: "Key", Bullets: []bot.Bullet{{Text: bot.Plain("O offers")}}}}}
}

// TestTableBlock: a table that fits is one table block (header row, then
// a row per row with its label), and the message's text falls back to the
// grid (when it fits in a message's text); one past Slack's limits (100 rows, 20 cells a row) is sent as the
// grid in a code block instead.
func TestTableBlock(t *testing.T) {
	for _, tc := range []struct {
		rows, cols int
		table      bool
	}{
		{3, 4, true},
		{99, 3, true},
		{60, 19, false}, // too much JSON for one message
		{100, 4, false}, // 101 rows with the header
		{3, 20, false},  // 21 cells with the label
	} {
		name := strconv.Itoa(tc.rows) + "x" + strconv.Itoa(tc.cols)
		msgs := renderWire(t, tableReply(tc.rows, tc.cols), "/grid")
		var tables []wireBlock
		code := false
		for i, m := range msgs {
			checkLimits(t, name+" message "+strconv.Itoa(i+1), m)
			for _, b := range m.Blocks {
				if b.Type == "table" {
					tables = append(tables, b)
					if tc.rows < 10 && !strings.Contains(m.Text, "```\nRow 0 O") {
						t.Errorf("%s: the message with the table does not fall back to the grid: %.200q", name, m.Text)
					}
				}
				code = code || b.Type == "section" && strings.Contains(b.Text.Text, "```\nRow 0 O")
			}
		}
		if !tc.table {
			if len(tables) > 0 || !code {
				t.Errorf("%s: %d table blocks, code block %v; want the grid as code", name, len(tables), code)
			}
			continue
		}
		if len(tables) != 1 || code {
			t.Fatalf("%s: %d table blocks, code block %v; want one table", name, len(tables), code)
		}
		rows := tables[0].Rows
		if len(rows) != tc.rows+1 || rows[0][0].text() != "Row" || rows[0][1].text() != "Column 0" || rows[1][0].text() != "Row 0" || rows[1][1].text() != "O" {
			t.Errorf("%s: table rows %+v", name, rows[:2])
		}
	}
}

// TestMatrixTableBlock: /matrix over the shipped briefs is a table block
// with every actor and option, and the Key after it.
func TestMatrixTableBlock(t *testing.T) {
	eng := shippedEngine(t)
	r := eng.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, Text: "/matrix"})
	msgs := renderWire(t, r, "/matrix")
	var all strings.Builder
	n := 0
	for _, m := range msgs {
		for _, b := range m.Blocks {
			if b.Type == "table" {
				n++
				for _, row := range b.Rows {
					all.WriteString(row[0].text() + "|")
				}
			}
		}
	}
	if n != 1 || !strings.Contains(all.String(), "United States|") || !strings.Contains(all.String(), "Poland|") {
		t.Errorf("%d table blocks; row labels %q", n, all.String())
	}
}
