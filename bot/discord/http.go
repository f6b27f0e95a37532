package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
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

// Handler returns the HTTP interactions endpoint. It verifies the Ed25519
// signature over timestamp and body before anything else; any failure is
// answered 401, as Discord requires.
func (a *Adapter) Handler() http.Handler { return http.HandlerFunc(a.serveHTTP) }

func (a *Adapter) serveHTTP(w http.ResponseWriter, r *http.Request) {
	sig, ts, ok := signatureHeaders(r.Header)
	if !ok {
		a.refuse(w, "missing or malformed signature headers")
		return
	}
	body, status := readBody(w, r)
	if status != 0 {
		writeError(w, status, http.StatusText(status))
		return
	}
	if !verify(a.publicKey, sig, ts, body) {
		a.refuse(w, "bad signature")
		return
	}
	if !a.fresh(ts) {
		a.refuse(w, "stale signature timestamp")
		return
	}
	in, err := decodeInteraction(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !a.firstDelivery(in) {
		a.log.Info("discord interaction delivered twice; ignored", "interaction_id", in.ID)
		writeError(w, http.StatusConflict, "interaction already answered")
		return
	}
	ans := a.interact(r.Context(), in)
	out, err := encodeAnswer(ans.body)
	if err != nil {
		a.log.Error("discord encode response", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
	if ans.after != nil {
		a.background(func(ctx context.Context) { a.finish(ctx, in, ans) })
	}
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
func (a *Adapter) refuse(w http.ResponseWriter, why string) {
	if a.onSigFail != nil {
		a.onSigFail()
	}
	a.log.Debug("discord interaction refused", "reason", why)
	writeError(w, http.StatusUnauthorized, "invalid request signature")
}

// signatureHeaders returns the decoded signature and the timestamp.
func signatureHeaders(h http.Header) (sig []byte, ts string, ok bool) {
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

// readBody reads at most maxBody bytes; a larger body gets 413.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, int) {
	if r.ContentLength > maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, http.StatusRequestEntityTooLarge
		}
		return nil, http.StatusBadRequest
	}
	return body, 0
}

// verify checks the Ed25519 signature over timestamp followed by body.
func verify(key ed25519.PublicKey, sig []byte, ts string, body []byte) bool {
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(key, msg, sig)
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

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Write(b)
}
