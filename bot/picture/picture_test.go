package picture_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/picture"
	"github.com/briefbot/briefbot/briefs"
)

// shippedMatrix is the table of /matrix over the shipped briefs.
func shippedMatrix(t testing.TB) *bot.Table {
	t.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Fatal(err)
	}
	r := bot.New(set, bot.Options{}).Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: "/matrix"})
	for _, s := range r.Sections {
		if s.Table != nil {
			return s.Table
		}
	}
	t.Fatal("/matrix has no table")
	return nil
}

// find returns the row and column of a cell.
func find(t *testing.T, tab *bot.Table, row, col string) (int, int) {
	t.Helper()
	for i, r := range tab.Rows {
		for j, c := range tab.Columns {
			if r.ID == row && c.ID == col {
				return i, j
			}
		}
	}
	t.Fatalf("no cell %s × %s", row, col)
	return 0, 0
}

// TestMatrixPicture: the shipped matrix is a PNG narrow enough for a
// phone to show whole; each stated cell is painted in its stance's
// colour, a combined cell (own part, then what is backed for others) in
// two bands; an empty cell in neither. PICTURE_OUT=file.png keeps it.
func TestMatrixPicture(t *testing.T) {
	tab := shippedMatrix(t)
	raw, err := picture.PNG(tab)
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("PICTURE_OUT"); p != "" {
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() > 1000 || b.Dx() < 500 || b.Dy() > 1400 {
		t.Errorf("picture is %v; want 500 to 1000 pixels wide for a phone", b.Size())
	}
	colourAt := func(r image.Rectangle, fx float64) color.RGBA {
		c := color.RGBAModel.Convert(img.At(r.Min.X+int(float64(r.Dx())*fx), r.Min.Y+3)).(color.RGBA)
		return c
	}
	for _, tc := range []struct {
		row, col string
		left     bot.Tone
		right    bot.Tone
	}{
		{"poland", "ground-troops", bot.ToneRejects, bot.ToneRejects},
		{"france", "ground-troops", bot.ToneOffers, bot.ToneOffers},
		{"italy", "ground-troops", bot.ToneConditional, bot.ToneConditional},
		{"united-states", "ground-troops", bot.ToneRejects, bot.ToneSupports},
	} {
		i, j := find(t, tab, tc.row, tc.col)
		r := picture.CellRect(tab, i, j)
		if got, want := colourAt(r, 0.1), picture.ToneColour(tc.left); got != want {
			t.Errorf("%s × %s: left of the cell is %v, want %v (%s)", tc.row, tc.col, got, want, tc.left)
		}
		if got, want := colourAt(r, 0.9), picture.ToneColour(tc.right); got != want {
			t.Errorf("%s × %s: right of the cell is %v, want %v (%s)", tc.row, tc.col, got, want, tc.right)
		}
	}
	i, j := find(t, tab, "poland", "naval")
	for _, tone := range bot.Tones() {
		if colourAt(picture.CellRect(tab, i, j), 0.5) == picture.ToneColour(tone) {
			t.Errorf("the empty cell poland × naval is painted %s", tone)
		}
	}
}

// TestPictureHostileLabels: names that are long, right to left, or made of
// symbols are drawn (cut where needed) without a panic, within bounds.
func TestPictureHostileLabels(t *testing.T) {
	long := strings.Repeat("Averyveryverylongwordwithoutspaces", 5)
	tab := &bot.Table{Caption: long, Corner: "x",
		Columns: []bot.TableColumn{{ID: "a", Label: long}, {ID: "b", Label: "שלום עולם 🙂 <b>&amp;"}, {ID: "c", Label: ""}},
		Rows: []bot.TableRow{{ID: "r", Label: long, Cells: []bot.TableCell{
			{Code: "O/U*|R/S", Words: "offers", Parts: []bot.CellPart{{Code: "O", Tone: bot.ToneOffers}, {Code: "U*", Tone: bot.ToneUndecided, Reported: true}, {Code: "R", Tone: bot.ToneRejects, Others: true}}},
			{Code: "·"},
		}}},
		Key: []bot.KeyEntry{{Code: "O", Meaning: long, Tone: bot.ToneOffers}, {Code: "*", Meaning: long + " " + long}},
	}
	img, err := picture.Draw(tab)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() > 2400 || b.Dy() > 4000 {
		t.Errorf("picture is %v", b.Size())
	}
}

// TestPictureTooLarge: a table too large to read as a picture is refused.
func TestPictureTooLarge(t *testing.T) {
	tab := &bot.Table{Columns: make([]bot.TableColumn, picture.MaxColumns+1), Rows: make([]bot.TableRow, 1)}
	if _, err := picture.PNG(tab); !errors.Is(err, picture.ErrTooLarge) {
		t.Errorf("PNG of %d columns: %v", len(tab.Columns), err)
	}
	if _, err := picture.PNG(&bot.Table{}); err == nil {
		t.Error("PNG of an empty table: no error")
	}
}

// BenchmarkMatrixPNG measures drawing and encoding the shipped matrix.
func BenchmarkMatrixPNG(b *testing.B) {
	tab := shippedMatrix(b)
	for b.Loop() {
		if _, err := picture.PNG(tab); err != nil {
			b.Fatal(err)
		}
	}
}
