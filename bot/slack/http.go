package slack

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/briefbot/briefbot/webhook"
)

// Body size caps. A slash command is a short form; an interaction payload
// can carry the message it came from.
const (
	maxCommandBody     = 16 << 10
	maxInteractionBody = 1 << 20
)

// jsonType is the content type of every JSON answer.
const jsonType = "application/json; charset=utf-8"

// routes are the adapter's endpoints.
func (a *Adapter) routes() []webhook.Route {
	return []webhook.Route{
		{Path: "/slack/commands", Limit: maxCommandBody, Serve: a.serveCommand},
		{Path: "/slack/interactivity", Limit: maxInteractionBody, Serve: a.serveInteraction},
		{Path: "/slack/events", Limit: maxEventBody, Serve: a.serveEvents},
	}
}

// serveCommand answers POST /slack/commands.
func (a *Adapter) serveCommand(ctx context.Context, r *webhook.Request) webhook.Response {
	body, err := a.verifier.checkSigned(r, formType, errContentType)
	if err != nil {
		return a.reject(r, err)
	}
	c, err := decodeCommand(body)
	if err != nil {
		a.log.Warn("unreadable slash command", "path", r.Path, "err", err)
		return jsonAnswer(usageNotice(a.names.String("I could not read that command. Try /help.")))
	}
	out, dup := a.answer(ctx, c)
	if dup {
		return webhook.Response{Status: http.StatusOK}
	}
	a.followUps(c, out.msgs[1:])
	if out.first == nil {
		return jsonAnswer(newPayload(out.msgs[0], ephemeral))
	}
	return webhook.Response{Status: http.StatusOK, ContentType: jsonType, Body: out.first}
}

// serveInteraction answers POST /slack/interactivity: it acknowledges at
// once and shares in the background.
func (a *Adapter) serveInteraction(_ context.Context, r *webhook.Request) webhook.Response {
	body, err := a.verifier.checkSigned(r, formType, errContentType)
	if err != nil {
		return a.reject(r, err)
	}
	s, ok, err := decodeInteraction(body)
	if err != nil {
		a.log.Warn("unreadable interaction", "path", r.Path, "err", err)
	}
	if ok {
		a.background(func(ctx context.Context) { a.act(ctx, s) })
	}
	return webhook.Response{Status: http.StatusOK}
}

// reject answers a request that failed verification: 401, a log line
// (sampled: at most 10 a minute, each saying how many were not logged),
// nothing processed. A body that could not be read at all is a 400. A
// replay of a request already answered gets an empty 200.
func (a *Adapter) reject(r *webhook.Request, err error) webhook.Response {
	if errors.Is(err, errReplayed) {
		// Answered once already: the same empty 200 as a duplicate, and
		// nothing runs again.
		a.log.Debug("slack request replayed; ignored", "path", r.Path)
		return webhook.Response{Status: http.StatusOK}
	}
	status := http.StatusUnauthorized
	if !isVerifyError(err) {
		status = http.StatusBadRequest
	}
	if ok, suppressed := a.rejects.allow(time.Now()); ok {
		a.log.Warn("slack request rejected", "path", r.Path, "remote_addr", r.RemoteAddr,
			"reason", err.Error(), "retry_num", r.Header.Get("X-Slack-Retry-Num"), "not_logged_since_last", suppressed)
	}
	if status == http.StatusUnauthorized && a.onSigFail != nil {
		a.onSigFail()
	}
	return webhook.Text(status, http.StatusText(status)+": "+err.Error()+"\n")
}

func isVerifyError(err error) bool {
	for _, e := range []error{errMissingHeaders, errBadTimestamp, errStale, errBadSignature, errContentType, errJSONType, errTooLarge, errReplayed} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// jsonAnswer is p as the 200 response.
func jsonAnswer(p payload) webhook.Response {
	body, err := marshal(p)
	if err != nil {
		// Our own blocks always encode; answer rather than fail.
		body = []byte(`{"response_type":"ephemeral","text":"Something went wrong."}`)
	}
	return webhook.Response{Status: http.StatusOK, ContentType: jsonType, Body: body}
}
