package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/internal/lazyre"
	"github.com/briefbot/briefbot/seeds"
)

// corpus is a corpus folder being added to. It holds the folder's lock
// from open to close.
type corpus struct {
	dir     string
	meta    []byte // documents.yaml as read
	entries []seeds.Entry
	docs    *seeds.Corpus // nil while the corpus has no documents
	lock    string
	failAt  string // tests: "doc" or "meta" makes that write fail
}

const lockName = ".ingest.lock"

// openCorpus locks a corpus folder and reads it. A corpus that does not
// load is refused: adding to it would hide its problems.
func openCorpus(dir string) (*corpus, error) {
	metaPath := filepath.Join(dir, seeds.MetadataFile)
	if _, err := os.Stat(metaPath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: create the corpus first with --init (empty) or --init --embedded (starting from the shipped documents)", dir, seeds.MetadataFile)
	}
	c := &corpus{dir: dir, lock: filepath.Join(dir, lockName)}
	f, err := os.OpenFile(c.lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another ingest is writing to %s (if none is running, delete %s)", dir, c.lock)
		}
		return nil, err
	}
	_ = f.Close()
	if err := c.read(); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *corpus) read() error {
	var err error
	if c.meta, err = os.ReadFile(filepath.Join(c.dir, seeds.MetadataFile)); err != nil {
		return err
	}
	if c.entries, err = seeds.Entries(os.DirFS(c.dir)); err != nil {
		return err
	}
	if len(c.entries) == 0 {
		return nil
	}
	if c.docs, err = seeds.Load(os.DirFS(c.dir)); err != nil {
		return fmt.Errorf("the corpus in %s does not load; fix it first (briefbot check --corpus %s):\n%w", c.dir, c.dir, err)
	}
	return nil
}

func (c *corpus) close() { _ = os.Remove(c.lock) }

var numberedID = lazyre.New(`^([a-z_-]*?)(\d+)$`)

// nextID is the next stable id: the prefix most ids share ("d") and one
// more than the highest number, padded like them (d005 after d004).
func (c *corpus) nextID() (id, number string) {
	prefix, best, width, counts := "d", -1, 3, map[string]int{}
	for _, e := range c.entries {
		if m := numberedID().FindStringSubmatch(e.ID); m != nil {
			counts[m[1]]++
			if counts[m[1]] > counts[prefix] || (counts[m[1]] == counts[prefix] && m[1] < prefix) {
				prefix = m[1]
			}
		}
	}
	for _, e := range c.entries {
		if m := numberedID().FindStringSubmatch(e.ID); m != nil && m[1] == prefix {
			n, _ := strconv.Atoi(m[2])
			best = max(best, n)
			width = max(width, len(m[2]))
		}
	}
	for n := best + 1; ; n++ {
		number = fmt.Sprintf("%0*d", width, n)
		if !c.hasID(prefix + number) {
			return prefix + number, number
		}
	}
}

func (c *corpus) hasID(id string) bool {
	for _, e := range c.entries {
		if e.ID == id {
			return true
		}
	}
	return false
}

// duplicate refuses a document the corpus already holds: the same URL,
// the same text, or most of the same paragraphs.
func (c *corpus) duplicate(text string, urls ...string) error {
	for _, e := range c.entries {
		for _, u := range urls {
			if u != "" && e.URL != "" && sameURL(u, e.URL) {
				return fmt.Errorf("duplicate: %s is already in the corpus as %s (%s)", u, e.ID, e.File)
			}
		}
	}
	if c.docs == nil {
		return nil
	}
	fresh := seeds.Split(text)
	for _, d := range c.docs.Docs {
		if shared, of := overlap(fresh, d.Paragraphs); shared == of || (of >= 3 && shared*5 >= of*4) {
			return fmt.Errorf("duplicate: the text is already in the corpus as %s (%s): %d of its %d paragraphs are there word for word", d.ID, d.File, shared, of)
		}
	}
	return nil
}

// overlap counts how many substantive paragraphs of fresh appear in old.
func overlap(fresh, old []seeds.Paragraph) (shared, of int) {
	have := make(map[string]bool, len(old))
	for _, p := range old {
		have[strings.Join(strings.Fields(p.Raw), " ")] = true
	}
	for _, p := range fresh {
		t := strings.Join(strings.Fields(p.Raw), " ")
		if len(t) < 80 && len(fresh) > 3 {
			continue
		}
		of++
		if have[t] {
			shared++
		}
	}
	return shared, max(of, 1)
}

// sameURL compares URLs as pages: scheme and host case-insensitively,
// without fragment, tracking parameters or a trailing slash.
func sameURL(a, b string) bool { return normURL(a) == normURL(b) }

func normURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	u.Scheme, u.Host, u.Fragment, u.User = strings.ToLower(u.Scheme), strings.ToLower(u.Host), "", nil
	u.Host = strings.TrimSuffix(strings.TrimSuffix(u.Host, ":443"), ":80")
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") || k == "fbclid" || k == "gclid" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String()
}

// write adds the document and its entry. It first loads the corpus as it
// would be, in memory; then writes the document and the metadata each to
// a temporary file renamed into place, removing the document again if the
// metadata cannot be written. Nothing half-written stays behind.
func (c *corpus) write(e seeds.Entry, text string, notes map[string]string) error {
	newMeta, err := seeds.AppendEntry(c.meta, e, notes)
	if err != nil {
		return err
	}
	docName := path.Join("docs", e.File)
	ov := overlay{base: os.DirFS(c.dir), files: map[string][]byte{seeds.MetadataFile: newMeta, docName: []byte(text)}}
	if _, err := seeds.Load(ov); err != nil {
		return fmt.Errorf("the corpus would not load with the new document, so nothing was written:\n%w", err)
	}
	docPath := filepath.Join(c.dir, filepath.FromSlash(docName))
	if _, err := os.Lstat(docPath); err == nil {
		return fmt.Errorf("%s exists already; nothing was written", docPath)
	}
	if err := os.MkdirAll(filepath.Dir(docPath), 0o755); err != nil {
		return err
	}
	if err := c.writeFile(docPath, []byte(text), "doc"); err != nil {
		return err
	}
	if err := c.writeFile(filepath.Join(c.dir, seeds.MetadataFile), newMeta, "meta"); err != nil {
		_ = os.Remove(docPath)
		return fmt.Errorf("%w (the document was removed again)", err)
	}
	return nil
}

func (c *corpus) writeFile(name string, data []byte, step string) error {
	if c.failAt == step {
		return fmt.Errorf("write %s: failing as the test asked", name)
	}
	return WriteAtomic(name, data)
}

// WriteAtomic writes a file beside its destination and renames it there,
// so a reader sees the old file or the new one, never a part.
func WriteAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// overlay is a folder with some files replaced, to load a corpus as it
// would be before writing it.
type overlay struct {
	base  fs.FS
	files map[string][]byte
}

func (o overlay) Open(name string) (fs.File, error) { return o.base.Open(name) }

func (o overlay) ReadFile(name string) ([]byte, error) {
	if b, ok := o.files[name]; ok {
		return b, nil
	}
	return fs.ReadFile(o.base, name)
}

// Init creates a corpus folder: empty, or holding the embedded documents.
// When briefsDir is not empty it creates that folder too, empty or with a
// copy of the embedded briefs. Existing folders that are not empty are
// refused. Each folder is built beside its place and renamed there.
func Init(corpusDir, briefsDir string, embedded bool) error {
	for _, d := range []string{corpusDir, briefsDir} {
		if d != "" && !emptyOrMissing(d) {
			return fmt.Errorf("%s exists and is not empty; --init creates a new folder", d)
		}
	}
	err := createDir(corpusDir, func(tmp string) error {
		if embedded {
			return os.CopyFS(tmp, seeds.Embedded())
		}
		if err := os.Mkdir(filepath.Join(tmp, "docs"), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, seeds.MetadataFile), seeds.EmptyMetadata(), 0o644)
	})
	if err != nil || briefsDir == "" {
		return err
	}
	err = createDir(briefsDir, func(tmp string) error {
		if embedded {
			return os.CopyFS(tmp, briefs.Embedded())
		}
		return nil
	})
	if err != nil {
		_ = os.RemoveAll(corpusDir)
	}
	return err
}

func emptyOrMissing(dir string) bool {
	ents, err := os.ReadDir(dir)
	return errors.Is(err, fs.ErrNotExist) || (err == nil && len(ents) == 0)
}

func createDir(dir string, fill func(tmp string) error) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*.tmp")
	if err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	if err := filepath.WalkDir(tmp, fixMode); err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	_ = os.Remove(dir) // an empty folder may stand in the way
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	return nil
}

// fixMode makes copied files writable by their owner: embedded files come
// out read-only.
func fixMode(p string, d fs.DirEntry, err error) error {
	if err != nil {
		return err
	}
	if d.IsDir() {
		return os.Chmod(p, 0o755)
	}
	return os.Chmod(p, 0o644)
}
