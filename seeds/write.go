package seeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"
)

// Entry is one document's entry in documents.yaml, as programs that add
// documents (briefbot ingest) write it.
type Entry = metaDoc

// FurnitureRule is one furniture rule of an entry: Why and exactly one of
// Exact, Contains, Suffix, From or Para.
type FurnitureRule = furnRule

// Entries reads the entries of the metadata file in fsys without reading
// the documents. Unlike Load it accepts a corpus with no documents yet.
func Entries(fsys fs.FS) ([]Entry, error) {
	raw, err := fs.ReadFile(fsys, MetadataFile)
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	return decodeEntries(raw)
}

func decodeEntries(raw []byte) ([]Entry, error) {
	var meta metaFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&meta); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("seeds: %s: %w", MetadataFile, err)
	}
	return meta.Documents, nil
}

// EmptyMetadata is documents.yaml for a corpus with no documents yet: the
// header of the embedded file, which explains every key, and an empty list.
func EmptyMetadata() []byte {
	raw, _ := fs.ReadFile(embedded, MetadataFile)
	head, _, _ := strings.Cut(string(raw), "\ndocuments:")
	return []byte(head + "\ndocuments:\n")
}

// AppendEntry returns metadata with e added at the end of its documents
// list. notes, keyed by YAML key, are written as comments above their keys
// (where a value was stated or inferred, and from what). The file's text,
// comments included, is kept as it was; the result is decoded again to
// make sure it holds exactly one more entry, e.
func AppendEntry(metadata []byte, e Entry, notes map[string]string) ([]byte, error) {
	before, err := decodeEntries(metadata)
	if err != nil {
		return nil, err
	}
	indent, err := listIndent(metadata)
	if err != nil {
		return nil, err
	}
	out := bytes.Clone(metadata)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	if len(before) > 0 {
		out = append(out, '\n')
	}
	out = append(out, FormatEntry(e, notes, indent)...)
	after, err := decodeEntries(out)
	if err != nil {
		return nil, fmt.Errorf("seeds: the new entry does not read back: %w", err)
	}
	if len(after) != len(before)+1 || after[len(after)-1].ID != e.ID {
		return nil, fmt.Errorf("seeds: %s: the new entry does not read back as entry %d", MetadataFile, len(before)+1)
	}
	return out, nil
}

// listIndent finds how the documents list is indented, and refuses a file
// whose list cannot be extended by appending: documents must be the last
// key, a block list or empty.
func listIndent(metadata []byte) (string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(metadata, &root); err != nil {
		return "", fmt.Errorf("seeds: %s: %w", MetadataFile, err)
	}
	if len(root.Content) == 0 {
		return "", fmt.Errorf("seeds: %s is empty; it needs a documents: list", MetadataFile)
	}
	top := root.Content[0]
	n := len(top.Content)
	if top.Kind != yaml.MappingNode || n < 2 || top.Content[n-2].Value != "documents" {
		return "", fmt.Errorf("seeds: %s: documents: must be the last key to add an entry", MetadataFile)
	}
	list := top.Content[n-1]
	switch {
	case list.Kind == yaml.ScalarNode && list.Tag == "!!null" && list.Value == "":
		return "  ", nil
	case list.Kind != yaml.SequenceNode || list.Style&yaml.FlowStyle != 0:
		return "", fmt.Errorf("seeds: %s: documents: must be a block list (one \"- id: …\" per document) to add an entry", MetadataFile)
	case len(list.Content) == 0:
		return "  ", nil
	}
	return strings.Repeat(" ", max(list.Content[0].Column-3, 0)), nil
}

// FormatEntry writes e as one item of the documents list, indented by
// indent, keys in the order of the shipped file.
func FormatEntry(e Entry, notes map[string]string, indent string) string {
	var b strings.Builder
	first := true
	put := func(key, value string) {
		pad := indent + "  "
		if note := notes[key]; note != "" {
			b.WriteString(pad + "# " + oneLine(note) + "\n")
		}
		if first {
			pad = indent + "- "
			first = false
		}
		b.WriteString(pad + key + ": " + value + "\n")
	}
	put("id", e.ID)
	put("file", e.File)
	if e.URL != "" {
		put("url", quote(e.URL))
	}
	put("title", quote(e.Title))
	put("title_printed", fmt.Sprint(e.TitlePrinted))
	put("outlet", quote(e.Outlet))
	put("author", quote(e.Author))
	put("date", quote(e.Date))
	if e.DateInferred {
		put("date_inferred", "true")
	}
	if e.NotBefore != "" {
		put("not_before", quote(e.NotBefore))
	}
	if e.DateBasis != "" {
		put("date_basis", quote(e.DateBasis))
	}
	if e.Dateline != "" {
		put("dateline", quote(e.Dateline))
	}
	put("translated", fmt.Sprint(e.Translated))
	if e.TranslationBasis != "" {
		put("translation_basis", quote(e.TranslationBasis))
	}
	writeFurniture(&b, e.Furniture, indent+"  ")
	return b.String()
}

func writeFurniture(b *strings.Builder, rules []FurnitureRule, pad string) {
	if len(rules) == 0 {
		return
	}
	b.WriteString(pad + "furniture:\n")
	for _, r := range rules {
		key, v := "exact", r.Exact
		switch {
		case r.Contains != "":
			key, v = "contains", r.Contains
		case r.Suffix != "":
			key, v = "suffix", r.Suffix
		case r.From != "":
			key, v = "from", r.From
		case r.Para != "":
			key, v = "para", r.Para
		}
		b.WriteString(pad + "  - " + key + ": " + quote(v) + "\n")
		b.WriteString(pad + "    why: " + quote(r.Why) + "\n")
	}
}

// quote writes s as a double-quoted scalar: JSON strings are valid YAML.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
