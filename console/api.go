package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// askRequest is the body of POST /api/ask.
type askRequest struct {
	Command string `json:"command"`
	// Dossier, when set, asks this one command of that dossier (the
	// picker); empty means the console's default.
	Dossier string `json:"dossier,omitempty"`
}

// askResponse is the reply itself, its plain-text form and one preview per
// platform the console knows how to render.
type askResponse struct {
	*bot.Reply
	Text     string             `json:"text"`
	Previews map[string]preview `json:"previews"`
}

func (c *Console) ask(w http.ResponseWriter, r *http.Request) {
	// A JSON content type makes a cross-site form post impossible without
	// a CORS preflight, which the console never grants.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{"console: POST /api/ask wants Content-Type: application/json"})
		return
	}
	var req askRequest
	if err := decode(w, r, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{"console: POST /api/ask: " + err.Error()})
		return
	}
	command := asCommand(req.Command)
	reply := c.opts.Engine.Handle(r.Context(), bot.Request{
		Platform:   bot.PlatformConsole,
		UserID:     "console",
		ChannelID:  "console",
		Text:       command,
		Dossier:    req.Dossier,
		DM:         true, // the console is one person's conversation with the bot
		ManageHint: "The local console does not change channel settings; do that from Slack or Discord.",
	})
	writeJSON(w, http.StatusOK, askResponse{Reply: reply, Text: bot.RenderText(reply),
		Previews: c.previews(reply, strings.TrimSpace(command), c.replyForms(reply))})
}

// asCommand reads free text, anything that does not start with a slash, as
// a question for /ask.
func asCommand(text string) string {
	if t := strings.TrimSpace(text); t != "" && !strings.HasPrefix(t, "/") {
		return "/ask " + t
	}
	return text
}

// decode reads one JSON object of at most maxAskBody bytes, with no unknown
// fields and nothing after it.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAskBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("body is larger than %d bytes", maxAskBody)
		}
		return fmt.Errorf("body is not {\"command\": \"…\"}: %v", err)
	}
	if dec.More() {
		return errors.New("body has more than one JSON value")
	}
	return nil
}

// commandInfo is one row of the command table as the page's hints need it.
type commandInfo struct {
	Name     string    `json:"name"`
	Usage    string    `json:"usage"`
	Summary  string    `json:"summary"`
	Args     []argInfo `json:"args"`
	Examples []string  `json:"examples"`
	Manage   bool      `json:"manage,omitempty"`
	// Platforms is the usage line on each platform previewed, where the
	// command is registered under another name than in the console.
	Platforms map[string]string `json:"platforms,omitempty"`
	// Also are the other names typed text may use for the command: the
	// table's own name and each platform's, with and without the prefix.
	Also []string `json:"also,omitempty"`
}

// alsoNames lists the names besides the console's own that typed text may
// use for cmd, as bot.Naming.Lookup accepts them.
func alsoNames(cmd bot.Command, here bot.Naming) []string {
	own := here.Name(cmd)
	var out []string
	add := func(name string) {
		if name != "" && name != own && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	for _, name := range append([]string{cmd.Name}, slices.Sorted(maps.Values(cmd.Names))...) {
		add(name)
		add(here.Prefix() + name)
	}
	return out
}

type argInfo struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Required    bool     `json:"required"`
	Description string   `json:"description"`
	Choices     []string `json:"choices,omitempty"`
}

func (c *Console) commands(w http.ResponseWriter, _ *http.Request) {
	table := c.opts.Engine.Commands()
	here := c.opts.Engine.Naming(bot.PlatformConsole)
	out := make([]commandInfo, 0, len(table))
	for _, cmd := range table {
		ci := commandInfo{Name: here.Name(cmd), Usage: here.Usage(cmd), Summary: cmd.Summary,
			Args: []argInfo{}, Examples: []string{}, Manage: cmd.Manage, Also: alsoNames(cmd, here)}
		for _, ex := range cmd.Examples {
			ci.Examples = append(ci.Examples, here.String(ex))
		}
		for _, p := range c.opts.Previews {
			if u := c.opts.Engine.Naming(p.Platform).Usage(cmd); u != ci.Usage {
				if ci.Platforms == nil {
					ci.Platforms = map[string]string{}
				}
				ci.Platforms[p.Platform] = u
			}
		}
		for _, a := range cmd.Args {
			ci.Args = append(ci.Args, argInfo{Name: a.Name, Kind: string(a.Kind), Required: a.Required,
				Description: a.Description, Choices: a.Choices})
		}
		out = append(out, ci)
	}
	writeJSON(w, http.StatusOK, out)
}

// dossiers is GET /api/dossiers: the loaded dossiers, for the picker.
func (c *Console) dossiers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, c.opts.Engine.DossierList())
}

// completable reports whether GET /api/complete answers for kind.
func completable(kind bot.ArgKind) bool {
	switch kind {
	case bot.ArgActor, bot.ArgOption, bot.ArgPerson, bot.ArgDocument, bot.ArgCommand:
		return true
	}
	return false
}

func (c *Console) complete(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	kind := bot.ArgKind(q.Get("kind"))
	if !completable(kind) {
		writeJSON(w, http.StatusBadRequest, apiError{"console: GET /api/complete: kind must be actor, option, person, document or command"})
		return
	}
	typed := q.Get("q")
	if len(typed) > maxCompleteLen {
		writeJSON(w, http.StatusBadRequest, apiError{fmt.Sprintf("console: GET /api/complete: q is longer than %d bytes", maxCompleteLen)})
		return
	}
	n := defaultChoices
	if s := q.Get("n"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > maxChoices {
			writeJSON(w, http.StatusBadRequest, apiError{fmt.Sprintf("console: GET /api/complete: n must be 1 to %d", maxChoices)})
			return
		}
		n = v
	}
	in := bot.Request{Platform: bot.PlatformConsole, ChannelID: "console", Dossier: q.Get("dossier")}
	choices := c.opts.Engine.CompleteIn(r.Context(), in, kind, typed, n)
	if choices == nil {
		choices = []bot.Choice{}
	}
	writeJSON(w, http.StatusOK, choices)
}

// digestsResponse says whether digests come to the console, and which came.
type digestsResponse struct {
	Enabled bool     `json:"enabled"`
	Digests []Digest `json:"digests"`
}

func (c *Console) digests(w http.ResponseWriter, _ *http.Request) {
	resp := digestsResponse{Digests: []Digest{}}
	if c.opts.Digests != nil {
		resp.Enabled = true
		for _, d := range c.opts.Digests() {
			if d.Reply != nil {
				d.Previews = c.digestPreview(d.Reply)
			}
			resp.Digests = append(resp.Digests, d)
		}
	}
	writeJSON(w, http.StatusOK, resp)
}
