package picture

import (
	"image"

	"github.com/briefbot/briefbot/bot"
)

// CellRect is where Draw puts the cell of a row and column.
func CellRect(t *bot.Table, row, col int) image.Rectangle {
	f, err := newFaces()
	if err != nil {
		panic(err)
	}
	l := layout(t, f)
	x0 := pad + l.labelW + labelGap
	y := l.gridTop + row*cellH
	return image.Rect(x0+col*cellW, y, x0+(col+1)*cellW-gap, y+cellH-gap)
}
