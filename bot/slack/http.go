package slack

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Body size caps. A slash command is a short form; an interaction payload
// can carry the message it came from.
const (
	maxCommandBody     = 16 << 10
	maxInteractionBody = 1 << 20
)

// handleCommand answers POST /slack/commands.
func (a *Adapter) handleCommand(w http.ResponseWriter, r *http.Request) {
	body, err := a.verifier.readSigned(r, maxCommandBody)
	if err != nil {
		a.reject(w, r, err)
		return
	}
	c, err := decodeCommand(body)
	if err != nil {
		a.log.Warn("unreadable slash command", "path", r.URL.Path, "err", err)
		writeJSON(w, usageNotice(a.names.String("I could not read that command. Try /help.")))
		return
	}
	out, dup := a.answer(r.Context(), c)
	if dup {
		w.WriteHeader(http.StatusOK)
		return
	}
	if out.first == nil {
		writeJSON(w, newPayload(out.msgs[0], ephemeral))
	} else {
		writeBody(w, out.first)
	}
	a.followUps(c, out.msgs[1:])
}

// handleInteraction answers POST /slack/interactivity: it acknowledges at
// once and shares in the background.
func (a *Adapter) handleInteraction(w http.ResponseWriter, r *http.Request) {
	body, err := a.verifier.readSigned(r, maxInteractionBody)
	if err != nil {
		a.reject(w, r, err)
		return
	}
	s, ok, err := decodeInteraction(body)
	if err != nil {
		a.log.Warn("unreadable interaction", "path", r.URL.Path, "err", err)
	}
	w.WriteHeader(http.StatusOK)
	if ok {
		a.background(func(ctx context.Context) { a.act(ctx, s) })
	}
}

// reject answers a request that failed verification: 401, a log line
// (sampled: at most 10 a minute, each saying how many were not logged),
// nothing processed. A body that could not be read at all is a 400. A
// replay of a request already answered gets an empty 200.
func (a *Adapter) reject(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errReplayed) {
		// Answered once already: the same empty 200 as a duplicate, and
		// nothing runs again.
		a.log.Debug("slack request replayed; ignored", "path", r.URL.Path)
		w.WriteHeader(http.StatusOK)
		return
	}
	status := http.StatusUnauthorized
	if !isVerifyError(err) {
		status = http.StatusBadRequest
	}
	if ok, suppressed := a.rejects.allow(time.Now()); ok {
		a.log.Warn("slack request rejected", "path", r.URL.Path, "remote_addr", r.RemoteAddr,
			"reason", err.Error(), "retry_num", r.Header.Get("X-Slack-Retry-Num"), "not_logged_since_last", suppressed)
	}
	if status == http.StatusUnauthorized && a.onSigFail != nil {
		a.onSigFail()
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(http.StatusText(status) + ": " + err.Error() + "\n"))
}

func isVerifyError(err error) bool {
	for _, e := range []error{errMissingHeaders, errBadTimestamp, errStale, errBadSignature, errContentType, errJSONType, errTooLarge, errReplayed} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// writeJSON sends p as the 200 response.
func writeJSON(w http.ResponseWriter, p payload) {
	body, err := marshal(p)
	if err != nil {
		// Our own blocks always encode; answer rather than fail.
		body = []byte(`{"response_type":"ephemeral","text":"Something went wrong."}`)
	}
	writeBody(w, body)
}

// writeBody sends a JSON body as the 200 response.
func writeBody(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
