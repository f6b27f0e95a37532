package discord

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/picture"
)

// file is an attachment of a message: a name and its bytes. Each send
// makes its own reader, so a rendering can be sent any number of times.
type file struct {
	Name        string
	ContentType string
	Data        []byte
}

// sdkFiles turns attachments into the SDK's files, each with a new reader.
func sdkFiles(fs []file) []*discordgo.File {
	if len(fs) == 0 {
		return nil
	}
	out := make([]*discordgo.File, len(fs))
	for i, f := range fs {
		out[i] = &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)}
	}
	return out
}

// tableFile is the name of a table's picture; an embed shows it as
// attachment://<name>.
const tableFile = "table.png"

// appendTable renders a table as a picture, attached to the message and
// shown in an embed of its own, followed by the same table in words, a
// line per row (the text version, for screen readers and for reading
// without the picture). A table too large to draw stays a code block.
func appendTable(out []block, s bot.Section) []block {
	img, err := picture.PNG(s.Table)
	if err != nil {
		return appendPre(out, s.Heading, s.Pre)
	}
	out = append(out, block{image: &file{Name: tableFile, ContentType: "image/png", Data: img}})
	lines := make([]string, len(s.Table.Rows))
	for i, r := range s.Table.Rows {
		words := strings.TrimPrefix(s.Table.RowWords(r), r.Label)
		lines[i] = "**" + escapeMarkdown(r.Label) + "**" + escapeMarkdown(words)
	}
	heading := s.Heading
	if heading == "" {
		heading = s.Table.Caption
	}
	return appendLines(out, heading+", in words", lines)
}

// addImage puts a picture in an embed of its own and attaches it to the
// message; nothing else goes into that embed, so that the picture comes
// before what follows it.
func (p *packer) addImage(f file) {
	e := p.room(0, true)
	m := p.last()
	if len(m.Files) > 0 {
		f.Name = strconv.Itoa(len(m.Files)+1) + "-" + f.Name
	}
	e.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + f.Name}
	m.Files = append(m.Files, f)
	p.closed = true
}
