package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/briefbot/briefbot/webhook"
)

// Limits of the interactions endpoint.
const (
	// maxBody bounds an interaction request. The largest ones are button
	// presses, which carry the message (up to 10 embeds) they came from.
	maxBody = 128 << 10
	// maxSkew is how far a signed timestamp may be from our clock; with
	// the de-duplication of ids it stops replays of captured requests.
	maxSkew = 5 * time.Minute
)

// Route is the HTTP interactions endpoint. It verifies the Ed25519
// signature over timestamp and body before anything else; any failure is
// answered 401, as Discord requires.
func (a *Adapter) Route() webhook.Route {
	return webhook.Route{Path: "/discord/interactions", Limit: maxBody, Serve: a.serveInteraction}
}

// Handler is the interactions endpoint for net/http.
func (a *Adapter) Handler() http.Handler { return webhook.HTTP(a.Route()) }

func (a *Adapter) serveInteraction(ctx context.Context, r *webhook.Request) webhook.Response {
	sig, ts, ok := signatureHeaders(r.Header)
	if !ok {
		return a.refuse("missing or malformed signature headers")
	}
	if r.TooLarge {
		return jsonError(http.StatusRequestEntityTooLarge, http.StatusText(http.StatusRequestEntityTooLarge))
	}
	if !a.verifier.verify(sig, ts, r.Body) {
		return a.refuse("bad signature")
	}
	if !a.fresh(ts) {
		return a.refuse("stale signature timestamp")
	}
	in, err := decodeInteraction(r.Body)
	if err != nil {
		return jsonError(http.StatusBadRequest, err.Error())
	}
	if !a.firstDelivery(in) {
		a.log.Info("discord interaction delivered twice; ignored", "interaction_id", in.ID)
		return jsonError(http.StatusConflict, "interaction already answered")
	}
	ans := a.interact(ctx, in)
	out, err := encodeAnswer(ans.body)
	if err != nil {
		a.log.Error("discord encode response", "err", err)
		return jsonError(http.StatusInternalServerError, "internal error")
	}
	if ans.after != nil {
		a.background(func(ctx context.Context) { a.finish(ctx, in, ans) })
	}
	return webhook.Response{Status: http.StatusOK, ContentType: "application/json", Body: out}
}

// encodeAnswer returns the JSON of a response body; one already encoded
// (from the response cache) is sent as it is.
func encodeAnswer(body any) ([]byte, error) {
	if raw, ok := body.(json.RawMessage); ok {
		return raw, nil
	}
	return json.Marshal(body)
}

// refuse answers 401 and counts the failure.
func (a *Adapter) refuse(why string) webhook.Response {
	if a.onSigFail != nil {
		a.onSigFail()
	}
	a.log.Debug("discord interaction refused", "reason", why)
	return jsonError(http.StatusUnauthorized, "invalid request signature")
}

// signatureHeaders returns the decoded signature and the timestamp.
func signatureHeaders(h webhook.Header) (sig []byte, ts string, ok bool) {
	ts = h.Get("X-Signature-Timestamp")
	s := h.Get("X-Signature-Ed25519")
	if ts == "" || len(s) != 2*ed25519.SignatureSize {
		return nil, "", false
	}
	sig, err := hex.DecodeString(s)
	if err != nil {
		return nil, "", false
	}
	return sig, ts, true
}

// fresh reports whether a signed timestamp (Unix seconds) is within maxSkew
// of our clock.
func (a *Adapter) fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := a.now().Sub(time.Unix(sec, 0))
	return d <= maxSkew && d >= -maxSkew
}

// jsonError is an error answer: {"error": msg}.
func jsonError(status int, msg string) webhook.Response {
	b, _ := json.Marshal(map[string]string{"error": msg})
	return webhook.Response{Status: status, ContentType: "application/json", Body: b}
}
