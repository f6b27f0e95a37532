package discord

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/picture"
)

// TestMatrixPicture: /matrix is sent with a PNG attached and shown in an
// embed of its own (attachment://…), followed by every row in words (the
// text version), within Discord's limits; the preview gives the same file.
func TestMatrixPicture(t *testing.T) {
	e := shippedEngine(t, nil)
	r := e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: "/matrix"})
	msgs := render(r)
	checkMessages(t, "/matrix", msgs)
	if len(msgs[0].Files) != 1 || !bytes.HasPrefix(msgs[0].Files[0].Data, []byte("\x89PNG")) {
		t.Fatalf("the first message attaches %d files", len(msgs[0].Files))
	}
	name := msgs[0].Files[0].Name
	var image bool
	var words strings.Builder
	for _, m := range msgs {
		for _, em := range m.Embeds {
			if em.Image != nil && em.Image.URL == "attachment://"+name {
				image = true
				if em.Description != "" || len(em.Fields) > 0 {
					t.Errorf("the picture's embed holds text too: %q, %d fields", em.Description, len(em.Fields))
				}
			}
			for _, f := range em.Fields {
				if strings.Contains(f.Name, "in words") {
					words.WriteString(f.Value + "\n")
				}
			}
		}
	}
	if !image {
		t.Error("no embed shows the picture")
	}
	var tab *bot.Table
	for _, s := range r.Sections {
		if s.Table != nil {
			tab = s.Table
		}
	}
	for _, row := range tab.Rows {
		line := "**" + escapeMarkdown(row.Label) + "**" + escapeMarkdown(strings.TrimPrefix(tab.RowWords(row), row.Label))
		if !strings.Contains(words.String(), line) {
			t.Errorf("the text version lacks %q", line)
		}
	}
	p := NewPreviews(r)
	if f := p.Files(); !bytes.Equal(f[name], msgs[0].Files[0].Data) {
		t.Errorf("the preview's files are %d, not the attached picture", len(f))
	}
	raw, err := p.Post()
	if err != nil || !strings.Contains(string(raw), `"url": "attachment://`+name+`"`) {
		t.Errorf("the preview does not show the picture: %v", err)
	}
	var sent []json.RawMessage
	if err := json.Unmarshal(raw, &sent); err != nil || len(sent) != len(msgs) {
		t.Errorf("preview: %d messages (%v), want %d", len(sent), err, len(msgs))
	}
}

// TestTableTooLargeForAPicture: a table past what a picture shows legibly
// stays a code block of its grid.
func TestTableTooLargeForAPicture(t *testing.T) {
	tab := &bot.Table{Caption: "Grid", Columns: make([]bot.TableColumn, picture.MaxColumns+1), Rows: []bot.TableRow{{Label: "Row"}}}
	r := &bot.Reply{Outcome: bot.OutcomeOK, Title: "Grid", Sections: []bot.Section{{Pre: "Row O O O", Table: tab}}}
	msgs := render(r)
	if len(msgs[0].Files) != 0 || !strings.Contains(msgs[0].Embeds[len(msgs[0].Embeds)-1].Description, "```\nRow O O O\n```") {
		t.Errorf("files %d, embeds %+v", len(msgs[0].Files), msgs[0].Embeds)
	}
}
