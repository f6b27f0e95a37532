package slack

import (
	"encoding/json"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// Limits of the table block: 100 rows of at most 20 cells, one table per
// message. Slack also refuses tables with too much text in their cells;
// tableMaxChars keeps well under what it takes.
const (
	tableMaxRows  = 100
	tableMaxCells = 20
	tableMaxChars = 8000
	// tableMaxJSON bounds the block's JSON, so that a message holding it
	// stays under the 20 KB a Socket Mode acknowledgement takes.
	tableMaxJSON = 15000
)

// tableFits reports whether a table can be sent as a table block: its
// header row and rows, each with the row label, within Slack's limits.
func tableFits(t *bot.Table) bool {
	_, chars := t.Cells()
	return len(t.Rows)+1 <= tableMaxRows && len(t.Columns)+1 <= tableMaxCells && chars <= tableMaxChars && len(t.Rows) > 0
}

// tablePiece renders a table as a table block, or reports that its JSON
// is too large for one message: a header row of column
// names (bold), then one row per table row, its label first, then the
// cells' codes. fallback is the same grid as text, for clients that
// cannot show the block.
func tablePiece(t *bot.Table, fallback string) (piece, bool) {
	header := []slackapi.TableCell{boldCell(t.Corner)}
	for _, c := range t.Columns {
		header = append(header, boldCell(c.Label))
	}
	block := slackapi.NewTableBlock("")
	block.AddRow(header...)
	for _, r := range t.Rows {
		cells := []slackapi.TableCell{slackapi.NewTableRawTextCell(nonEmpty(r.Label))}
		for _, c := range r.Cells {
			cells = append(cells, slackapi.NewTableRawTextCell(nonEmpty(c.Code)))
		}
		block.AddRow(cells...)
	}
	settings := []slackapi.ColumnSetting{{Align: slackapi.ColumnAlignmentLeft, IsWrapped: true}}
	for range t.Columns {
		settings = append(settings, slackapi.ColumnSetting{Align: slackapi.ColumnAlignmentCenter, IsWrapped: true})
	}
	block.WithColumnSettings(settings...)
	raw, err := json.Marshal(block)
	if err != nil || len(raw) > tableMaxJSON {
		return piece{}, false
	}
	return piece{block: block, size: len(raw), table: true, fallback: fallback}, true
}

// boldCell is a header cell: rich text in bold.
func boldCell(text string) slackapi.TableCell {
	el := slackapi.NewRichTextSectionTextElement(nonEmpty(text), &slackapi.RichTextSectionTextStyle{Bold: true})
	return slackapi.NewTableRichTextCell(slackapi.NewRichTextSection(el))
}

// nonEmpty keeps a cell from being empty, which Slack refuses.
func nonEmpty(s string) string {
	if s == "" {
		return " "
	}
	return s
}
