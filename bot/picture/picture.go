// Package picture draws a table of the reply model (such as the position
// matrix) as a PNG: a title, column names set vertically, one coloured
// cell per stance with its code, and the key below. It is drawn for a
// phone: about 850 pixels wide, with text large enough to read when a chat
// client shows it at half that width. It knows tones and codes, never a
// platform; adapters attach the picture as they can.
package picture

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/briefbot/briefbot/bot"
)

// Layout, in pixels.
const (
	pad        = 24  // around everything
	cellW      = 48  // one column
	cellH      = 44  // one row
	gap        = 2   // between cells
	headMax    = 280 // the tallest column name, set vertically
	maxWidth   = 2400
	maxHeight  = 4000
	labelGap   = 12 // between row names and the first column
	titleSize  = 30
	labelSize  = 22
	headSize   = 19
	codeSize   = 21
	smallCode  = 17 // codes of four characters or more
	keySize    = 19
	lineFactor = 1.3
)

// Limits: a table too large to read as a picture is refused, and the
// caller keeps its text.
const (
	MaxRows    = 60
	MaxColumns = 30
)

// ErrTooLarge is returned for a table with more rows or columns than a
// picture can show legibly.
var ErrTooLarge = errors.New("picture: table too large to draw legibly")

// Colours of the tones (the Okabe–Ito palette, told apart by most colour
// blind readers), of an empty cell, and of the text.
var (
	toneColour = map[bot.Tone]color.RGBA{
		bot.ToneOffers:      {0x00, 0x9E, 0x73, 0xFF},
		bot.ToneSupports:    {0x56, 0xB4, 0xE9, 0xFF},
		bot.ToneConditional: {0xE6, 0x9F, 0x00, 0xFF},
		bot.ToneRejects:     {0xD5, 0x5E, 0x00, 0xFF},
		bot.ToneUndecided:   {0xA0, 0xA0, 0xA0, 0xFF},
	}
	emptyColour = color.RGBA{0xEE, 0xEF, 0xF1, 0xFF}
	background  = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink         = color.RGBA{0x1D, 0x1C, 0x1D, 0xFF}
	muted       = color.RGBA{0x61, 0x60, 0x61, 0xFF}
)

// ToneColour returns the colour a tone is drawn in, for surfaces that
// want to match the picture (the zero colour for none).
func ToneColour(t bot.Tone) color.RGBA { return toneColour[t] }

// fonts are the Go fonts, parsed once: they never change.
var fonts = sync.OnceValues(func() (*[2]*opentype.Font, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	return &[2]*opentype.Font{reg, bold}, nil
})

// faces are the sizes one drawing uses. A face is not safe for concurrent
// use, so each drawing makes its own.
type faces struct {
	title, label, head, code, small, key, keyBold font.Face
}

func newFaces() (*faces, error) {
	fs, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("picture: fonts: %w", err)
	}
	face := func(f *opentype.Font, size float64) font.Face {
		fc, err2 := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err2 != nil && err == nil {
			err = err2
		}
		return fc
	}
	reg, bold := fs[0], fs[1]
	f := &faces{
		title: face(bold, titleSize), label: face(bold, labelSize), head: face(reg, headSize),
		code: face(bold, codeSize), small: face(bold, smallCode), key: face(reg, keySize), keyBold: face(bold, keySize),
	}
	if err != nil {
		return nil, fmt.Errorf("picture: %w", err)
	}
	return f, nil
}

// PNG draws the table and encodes it.
func PNG(t *bot.Table) ([]byte, error) {
	img, err := Draw(t)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("picture: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Draw draws the table.
func Draw(t *bot.Table) (*image.RGBA, error) {
	if len(t.Rows) == 0 || len(t.Columns) == 0 {
		return nil, errors.New("picture: empty table")
	}
	if len(t.Rows) > MaxRows || len(t.Columns) > MaxColumns {
		return nil, ErrTooLarge
	}
	f, err := newFaces()
	if err != nil {
		return nil, err
	}
	l := layout(t, f)
	img := image.NewRGBA(image.Rect(0, 0, l.width, l.height))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	drawText(img, f.title, ink, pad, pad+ascent(f.title), t.Caption)
	drawHeads(img, t, f, l)
	drawRows(img, t, f, l)
	drawKey(img, t, f, l)
	return img, nil
}

// geometry is where things go.
type geometry struct {
	width, height int
	labelW        int // the column of row names
	headTop       int // top of the column names
	headH         int // height of the column names
	gridTop       int // top of the first row
	keyTop        int
	keyLines      [][]keyPiece
	headLines     [][]string // each column's name in lines
}

// keyPiece is a swatch (when tone is set, or a code in bold) and words.
type keyPiece struct {
	code   string
	tone   bot.Tone
	swatch bool
	words  string
}

func layout(t *bot.Table, f *faces) geometry {
	var l geometry
	for _, r := range t.Rows {
		l.labelW = max(l.labelW, textWidth(f.label, r.Label))
	}
	l.headTop = pad + lineHeight(f.title) + 8
	for _, c := range t.Columns {
		lines := wrap(f.head, c.Label, headMax)
		if len(lines) > 2 {
			lines = append(lines[:1], cut(f.head, strings.Join(lines[1:], " "), headMax))
		}
		l.headLines = append(l.headLines, lines)
		for _, ln := range lines {
			l.headH = max(l.headH, textWidth(f.head, ln))
		}
	}
	l.headH += 10
	l.gridTop = l.headTop + l.headH
	gridW := pad + l.labelW + labelGap + len(t.Columns)*cellW
	l.width = min(max(gridW+pad, 600), maxWidth)
	l.keyTop = l.gridTop + len(t.Rows)*cellH + 20
	l.keyLines = keyLines(t, f, l.width-2*pad)
	l.height = min(l.keyTop+len(l.keyLines)*lineHeight(f.key)+pad, maxHeight)
	return l
}

// drawHeads sets each column's name vertically, read from the bottom up,
// its lines side by side within the column.
func drawHeads(img *image.RGBA, t *bot.Table, f *faces, l geometry) {
	x0 := pad + l.labelW + labelGap
	m := f.head.Metrics()
	lh := (m.Ascent + m.Descent).Ceil() // two lines fit a column
	for i, lines := range l.headLines {
		colX := x0 + i*cellW + (cellW-len(lines)*lh)/2
		for k, ln := range lines {
			w := textWidth(f.head, ln)
			strip := image.NewRGBA(image.Rect(0, 0, w, lh))
			draw.Draw(strip, strip.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
			drawText(strip, f.head, muted, 0, ascent(f.head), ln)
			// Turn the strip a quarter left: its bottom edge becomes the
			// right edge, its start the bottom.
			bottom := l.gridTop - 6
			left := colX + k*lh
			for y := 0; y < lh; y++ {
				for x := 0; x < w; x++ {
					img.SetRGBA(left+y, bottom-x, strip.RGBAAt(x, y))
				}
			}
		}
	}
}

// drawRows draws each row's name and its cells.
func drawRows(img *image.RGBA, t *bot.Table, f *faces, l geometry) {
	x0 := pad + l.labelW + labelGap
	for i, r := range t.Rows {
		y := l.gridTop + i*cellH
		drawText(img, f.label, ink, pad+l.labelW-textWidth(f.label, r.Label), y+(cellH+ascent(f.label))/2-2, r.Label)
		for j, c := range r.Cells {
			if j >= len(t.Columns) {
				break
			}
			drawCell(img, f, image.Rect(x0+j*cellW, y, x0+(j+1)*cellW-gap, y+cellH-gap), c)
		}
	}
}

// drawCell fills a cell with one band per part, left to right (own part,
// then what the row backs others doing), reported-only parts striped,
// and writes the code in the middle.
func drawCell(img *image.RGBA, f *faces, r image.Rectangle, c bot.TableCell) {
	if c.Empty() {
		draw.Draw(img, r, image.NewUniform(emptyColour), image.Point{}, draw.Src)
		centre(img, f.code, muted, r, c.Code)
		return
	}
	n := len(c.Parts)
	dark := 0
	for k, p := range c.Parts {
		band := image.Rect(r.Min.X+k*r.Dx()/n, r.Min.Y, r.Min.X+(k+1)*r.Dx()/n, r.Max.Y)
		fill(img, band, toneColour[p.Tone], p.Reported)
		if !p.Reported && luminance(toneColour[p.Tone]) < 0.45 {
			dark++
		}
	}
	if n > 1 {
		// A white rule between own part and others, as the bar in R|S.
		for k, p := range c.Parts[1:] {
			if p.Others && !c.Parts[k].Others {
				x := r.Min.X + (k+1)*r.Dx()/n
				draw.Draw(img, image.Rect(x-1, r.Min.Y, x+1, r.Max.Y), image.NewUniform(background), image.Point{}, draw.Src)
			}
		}
	}
	face := f.code
	if len([]rune(c.Code)) >= 4 {
		face = f.small
	}
	text := ink
	if dark*2 > n {
		text = background
	}
	centre(img, face, text, r, c.Code)
}

// fill paints a band in a colour; striped (a pale tint with stripes of the
// colour) when it rests only on reported claims.
func fill(img *image.RGBA, r image.Rectangle, c color.RGBA, striped bool) {
	if !striped {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
		return
	}
	pale := tint(c, 0.6)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if (x+y)%10 < 3 {
				img.SetRGBA(x, y, c)
			} else {
				img.SetRGBA(x, y, pale)
			}
		}
	}
}

// keyLines lays out the key: a swatch per tone, then the other codes,
// each with its meaning, wrapped to width.
func keyLines(t *bot.Table, f *faces, width int) [][]keyPiece {
	var lines [][]keyPiece
	var cur []keyPiece
	used := 0
	for _, k := range t.Key {
		p := keyPiece{code: k.Code, tone: k.Tone, swatch: k.Tone != bot.ToneNone || k.Code == "·", words: k.Meaning}
		w := pieceWidth(f, p)
		if len(cur) > 0 && (used+w > width || !p.swatch) {
			lines = append(lines, cur)
			cur, used = nil, 0
		}
		if !p.swatch {
			// Long meanings wrap onto lines of their own.
			for i, ln := range wrap(f.key, p.words, width-keyIndent(t, f)) {
				q := keyPiece{words: ln}
				if i == 0 {
					q.code = p.code
				}
				lines = append(lines, []keyPiece{q})
			}
			continue
		}
		cur = append(cur, p)
		used += w
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// keyIndent is where the meanings of the codes without a swatch start.
func keyIndent(t *bot.Table, f *faces) int {
	indent := 0
	for _, k := range t.Key {
		if k.Tone == bot.ToneNone && k.Code != "·" {
			indent = max(indent, textWidth(f.keyBold, k.Code+"  "))
		}
	}
	return indent
}

const swatchW = 34

func pieceWidth(f *faces, p keyPiece) int {
	if p.swatch {
		return swatchW + 6 + textWidth(f.key, p.words) + 22
	}
	return textWidth(f.keyBold, p.code+"  ") + textWidth(f.key, p.words)
}

func drawKey(img *image.RGBA, t *bot.Table, f *faces, l geometry) {
	lh := lineHeight(f.key)
	indent := keyIndent(t, f)
	for i, line := range l.keyLines {
		y := l.keyTop + i*lh
		x := pad
		for _, p := range line {
			base := y + ascent(f.key)
			if p.swatch {
				sw := image.Rect(x, y+2, x+swatchW, y+lh-4)
				if p.tone == bot.ToneNone {
					draw.Draw(img, sw, image.NewUniform(emptyColour), image.Point{}, draw.Src)
				} else {
					fill(img, sw, toneColour[p.tone], false)
				}
				centre(img, f.small, swatchText(p.tone), sw, p.code)
				drawText(img, f.key, ink, x+swatchW+6, base, p.words)
				x += pieceWidth(f, p)
				continue
			}
			drawText(img, f.keyBold, ink, x, base, p.code)
			drawText(img, f.key, ink, x+indent, base, p.words)
		}
	}
}

func swatchText(t bot.Tone) color.RGBA {
	if t != bot.ToneNone && luminance(toneColour[t]) < 0.45 {
		return background
	}
	return ink
}

// drawText writes s with its baseline at y.
func drawText(dst draw.Image, face font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// centre writes s in the middle of r.
func centre(img *image.RGBA, face font.Face, c color.Color, r image.Rectangle, s string) {
	w := textWidth(face, s)
	m := face.Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	drawText(img, face, c, r.Min.X+(r.Dx()-w)/2, r.Min.Y+(r.Dy()-h)/2+m.Ascent.Ceil(), s)
}

func textWidth(face font.Face, s string) int { return font.MeasureString(face, s).Ceil() }

func ascent(face font.Face) int { return face.Metrics().Ascent.Ceil() }

func lineHeight(face font.Face) int {
	m := face.Metrics()
	return int(float64((m.Ascent + m.Descent).Ceil()) * lineFactor)
}

// wrap breaks s into lines no wider than width, at spaces.
func wrap(face font.Face, s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(cur + " " + w)
		if cur != "" && textWidth(face, next) > width {
			lines = append(lines, cur)
			next = w
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, ln := range lines {
		lines[i] = cut(face, ln, width)
	}
	return lines
}

// cut shortens s with "…" until it is no wider than width.
func cut(face font.Face, s string, width int) string {
	if textWidth(face, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textWidth(face, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

func luminance(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// tint mixes c with white: share is how much white.
func tint(c color.RGBA, share float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v)*(1-share) + 255*share) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xFF}
}
