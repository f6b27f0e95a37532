// Package console is the local web console: a page where anyone can type
// the bot's commands with hints from the command table, read the answer,
// and see how it renders on Slack and Discord from the very payloads the
// adapters would send, and read the documents behind every answer with the
// claims that cite each paragraph. Beside it is a small JSON API (ask,
// commands, complete, digests, docs). The page is embedded and works offline.
package console

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

//go:embed static
var static embed.FS

// Engine is what the console needs of the bot core.
type Engine interface {
	Handle(ctx context.Context, req bot.Request) *bot.Reply
	Commands() []bot.Command
	// Naming names the commands as a platform registers them.
	Naming(platform string) bot.Naming
	CompleteIn(ctx context.Context, req bot.Request, kind bot.ArgKind, typed string, max int) []bot.Choice
	DossierList() []bot.DossierInfo
}

// Digest is a scheduled digest delivered to the console, with how each
// platform would show it (filled in by the console).
type Digest struct {
	At       time.Time          `json:"at"`
	Name     string             `json:"name"`
	Channel  string             `json:"channel,omitempty"`
	Reply    *bot.Reply         `json:"reply"`
	Previews map[string]preview `json:"previews,omitempty"`
}

// Options configure a Console.
type Options struct {
	Engine   Engine
	Previews []Preview
	// Digests returns the digests delivered to the console, newest first;
	// nil when scheduled digests do not go to the console.
	Digests func() []Digest
	// Set returns the corpus and briefs now served, for the documents
	// reader (GET /api/docs); nil turns the reader off.
	Set func() *briefs.Set
	Log *slog.Logger
}

// Console serves the page and its API.
type Console struct {
	opts        Options
	files       fs.FS
	digestCache digestPreviews
}

// Limits of the API.
const (
	maxAskBody     = 16 << 10 // a command is at most 4 KiB; JSON framing aside
	maxCompleteLen = 200
	maxChoices     = 25
	defaultChoices = 8
)

// New returns a console.
func New(opts Options) *Console {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic("console: embedded files: " + err.Error()) // cannot happen: the folder is embedded
	}
	return &Console{opts: opts, files: files}
}

// Routes mounts the page and the API on mux.
func (c *Console) Routes(mux *http.ServeMux) {
	assets := http.StripPrefix("/console/", http.FileServerFS(c.files))
	mux.Handle("GET /{$}", c.guard(http.HandlerFunc(c.index)))
	mux.Handle("GET /console/", c.guard(pageHeaders(assets)))
	mux.Handle("POST /api/ask", c.guard(http.HandlerFunc(c.ask)))
	mux.Handle("GET /api/commands", c.guard(http.HandlerFunc(c.commands)))
	mux.Handle("GET /api/complete", c.guard(http.HandlerFunc(c.complete)))
	mux.Handle("GET /api/dossiers", c.guard(http.HandlerFunc(c.dossiers)))
	mux.Handle("GET /api/digests", c.guard(http.HandlerFunc(c.digests)))
	mux.Handle("GET /api/docs", c.guard(http.HandlerFunc(c.docs)))
	mux.Handle("GET /api/docs/{id}", c.guard(http.HandlerFunc(c.doc)))
}

func (c *Console) index(w http.ResponseWriter, r *http.Request) {
	page, err := fs.ReadFile(c.files, "index.html")
	if err != nil {
		c.fail(w, r, "read page", err)
		return
	}
	setPageHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(page)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError is every error answer of the API.
type apiError struct {
	Error string `json:"error"`
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	c.opts.Log.Error("console: "+what, "path", r.URL.Path, "err", err)
	writeJSON(w, http.StatusInternalServerError, apiError{"internal error; the server logged the details"})
}
