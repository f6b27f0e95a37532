package bot

import "strings"

// Immediate reports whether Handle answers req from memory alone: its
// command never waits on the store, and the bindings that choose its
// dossier are cached (or named in the command). An adapter that must
// answer within a deadline runs such a request inline, and hands only the
// others to a goroutine with a timer: under load, a goroutine and a timer
// per request cost more in the slowest answers than the answer itself.
func (e *Engine) Immediate(req Request) bool {
	if req.Mention || req.Sources {
		return false
	}
	p := parse(req.Text)
	if p.name != "" {
		if cmd, ok := e.commandIn(e.state(), p.name); ok && cmd.Waits {
			return false
		}
	}
	first, _, _ := strings.Cut(p.args, " ")
	if req.Dossier != "" || strings.HasPrefix(strings.ToLower(first), oneOffPrefix) {
		return true
	}
	return e.bindingsCached(req)
}

// bindingsCached follows bound's order of scopes and reports whether each
// one bound would read is in the cache.
func (e *Engine) bindingsCached(req Request) bool {
	scopes := make([]string, 0, 2)
	if req.ChannelID != "" {
		scopes = append(scopes, ChannelScope(req.Platform, req.ChannelID))
	}
	if req.DM {
		scopes = append(scopes, DMScope(req.Platform))
	} else if req.Workspace != "" {
		scopes = append(scopes, WorkspaceScope(req.Platform, req.Workspace))
	}
	for _, s := range scopes {
		known, bound := e.bindings.cached(s)
		if !known {
			return false
		}
		if bound {
			return true
		}
	}
	return true
}
