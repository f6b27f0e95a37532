package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"mime"
	"strconv"
	"sync"
	"time"

	"github.com/briefbot/briefbot/webhook"
)

// Verification failures. Each means the request did not come from Slack
// as far as we can tell; it is answered 401 and not processed.
var (
	errMissingHeaders = errors.New("missing X-Slack-Request-Timestamp or X-Slack-Signature")
	errBadTimestamp   = errors.New("malformed timestamp")
	errStale          = errors.New("timestamp more than 5 minutes from now")
	errBadSignature   = errors.New("signature does not match")
	errContentType    = errors.New("content type is not application/x-www-form-urlencoded")
	errTooLarge       = errors.New("body too large")
)

// maxSkew is how far a request's timestamp may be from our clock, either
// way, as Slack recommends.
const maxSkew = 5 * time.Minute

// Verifier checks Slack's v0 request signatures: HMAC-SHA256 over
// "v0:timestamp:body" keyed with the signing secret.
//
// slack-go's NewSecretsVerifier does the same computation but reads the
// wall clock itself (time.Since), so Slack's documented example, signed in
// 2018, cannot be checked against it; this verifier takes the clock as a
// parameter and also owns the content type and body size checks.
type Verifier struct {
	secret  []byte
	now     func() time.Time
	macs    sync.Pool
	replays *replays
}

// NewVerifier returns a verifier for secret; now is the clock (nil: the
// system clock).
func NewVerifier(secret string, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	v := &Verifier{secret: []byte(secret), now: now, replays: newReplays()}
	v.macs.New = func() any { return hmac.New(sha256.New, v.secret) }
	return v
}

// Verify checks the timestamp and signature headers against body.
func (v *Verifier) Verify(h webhook.Header, body []byte) error {
	_, err := v.verify(h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature"), body)
	return err
}

// verify checks timestamp ts and signature sig against body and returns
// the decoded signature.
func (v *Verifier) verify(ts, sig string, body []byte) (want [sha256.Size]byte, err error) {
	if ts == "" || sig == "" {
		return want, errMissingHeaders
	}
	if err := v.checkTime(ts); err != nil {
		return want, err
	}
	want, ok := parseSignature(sig)
	if !ok {
		return want, errBadSignature
	}
	var sum [sha256.Size]byte
	mac := v.macs.Get().(hash.Hash)
	mac.Reset()
	io.WriteString(mac, "v0:")
	io.WriteString(mac, ts)
	io.WriteString(mac, ":")
	mac.Write(body)
	got := mac.Sum(sum[:0])
	v.macs.Put(mac)
	if !hmac.Equal(got, want[:]) {
		return want, errBadSignature
	}
	return want, nil
}

func (v *Verifier) checkTime(ts string) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 {
		return errBadTimestamp
	}
	now := v.now().Unix()
	if d := now - sec; d > int64(maxSkew/time.Second) || d < -int64(maxSkew/time.Second) {
		return errStale
	}
	return nil
}

// parseSignature decodes "v0=<64 hex digits>".
func parseSignature(s string) ([sha256.Size]byte, bool) {
	var out [sha256.Size]byte
	const prefix = "v0="
	if len(s) != len(prefix)+2*sha256.Size || s[:len(prefix)] != prefix {
		return out, false
	}
	if _, err := hex.Decode(out[:], []byte(s[len(prefix):])); err != nil {
		return out, false
	}
	return out, true
}

// Sign returns the v0 signature of body at timestamp ts, as Slack sends it
// in X-Slack-Signature. Tests and load tools use it to make valid requests.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+strconv.FormatInt(ts, 10)+":")
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// formType is the media type of slash commands and interactions.
const formType = "application/x-www-form-urlencoded"

// checkSigned verifies a signed post: content type (want; badType is the
// error for any other), body size, timestamp and signature, in that
// order. Nothing else may look at the request before it returns nil.
func (v *Verifier) checkSigned(r *webhook.Request, want string, badType error) ([]byte, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != want {
		return nil, badType
	}
	ts, sig := r.Header.Get("X-Slack-Request-Timestamp"), r.Header.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return nil, errMissingHeaders
	}
	if r.TooLarge {
		return nil, errTooLarge
	}
	signed, err := v.verify(ts, sig, r.Body)
	if err != nil {
		return nil, err
	}
	// A verified signature seen before, within the time it stays valid,
	// is a replay.
	if err := v.replays.first(signed, v.now()); err != nil {
		return nil, err
	}
	return r.Body, nil
}
