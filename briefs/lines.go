package briefs

import (
	"errors"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// docNode returns the top mapping of a parsed file.
func docNode(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		return root.Content[0]
	}
	return root
}

func docLine(root *yaml.Node) int { return docNode(root).Line }

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapKeyLine returns the line of key in a mapping node, or the node's line.
func mapKeyLine(m *yaml.Node, key string) int {
	if m == nil {
		return 0
	}
	if m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i].Line
			}
		}
	}
	return m.Line
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func lineAt(items []*yaml.Node, i int) int {
	if i < len(items) {
		return items[i].Line
	}
	return 0
}

// attachLines records the line of every claim of b from the parsed tree.
func attachLines(b *Brief, root *yaml.Node) {
	secs := seqItems(mapValue(docNode(root), "sections"))
	for i, sec := range b.Sections {
		if i >= len(secs) {
			break
		}
		items := seqItems(mapValue(secs[i], "claims"))
		for j, c := range sec.Claims {
			if c == nil {
				continue
			}
			c.Line = lineAt(items, j)
			if j < len(items) {
				c.node = items[j]
			}
		}
	}
}

// fieldLine is the line of a field of the claim, or the claim's line.
func (c *Claim) fieldLine(key string) int {
	if c.node == nil {
		return c.Line
	}
	return mapKeyLine(c.node, key)
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlLine digs the line number out of a yaml.v3 error.
func yamlLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}
