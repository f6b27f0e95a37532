package reload

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watch reloads whenever files under dirs change, until ctx ends. Bursts of
// events (an editor saving, a git checkout, a copy of many files) are
// gathered: the reload runs once no event has arrived for debounce.
// Folders created later are watched too.
func (r *Reloader) Watch(ctx context.Context, dirs []string, debounce time.Duration) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("reload: watch: %w", err)
	}
	defer w.Close()
	for _, d := range dirs {
		if err := addTree(w, d); err != nil {
			return err
		}
	}
	r.opts.Log.Info("watching for changes", "dirs", strings.Join(dirs, ","))
	timer := time.NewTimer(debounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if r.relevant(w, ev) {
				timer.Reset(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			r.opts.Log.Warn("watch error", "err", err)
		case <-timer.C:
			_ = r.Reload("watch") // logged and counted inside
		}
	}
}

// relevant reports whether ev may change the set, and watches new folders.
func (r *Reloader) relevant(w *fsnotify.Watcher, ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod || ignored(filepath.Base(ev.Name)) {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if err := addTree(w, ev.Name); err != nil {
			r.opts.Log.Warn("watch new folder", "err", err)
		}
	}
	return true
}

// ignored names editors' and tools' temporary files.
func ignored(base string) bool {
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") ||
		strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".tmp")
}

// addTree watches root and every folder under it (fsnotify is not
// recursive). A plain file is ignored.
func addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return fmt.Errorf("reload: watch %s: %w", root, err)
			}
			return nil // vanished while walking
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && ignored(d.Name()) {
			return filepath.SkipDir
		}
		if err := w.Add(p); err != nil {
			return fmt.Errorf("reload: watch %s: %w", p, err)
		}
		return nil
	})
}
