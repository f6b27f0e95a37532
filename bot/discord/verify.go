package discord

import (
	"crypto/ed25519"
	"errors"
	"sync"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// stdlibRules makes verification accept exactly what crypto/ed25519
// accepts (cofactorless, non-canonical and small-order keys allowed).
var stdlibRules = &voi.Options{Verify: voi.VerifyOptionsStdLib}

// verifier checks Discord's Ed25519 signatures over timestamp followed by
// body. The application's public key is decompressed and its multiples
// tabulated once, at start, rather than on every request as
// crypto/ed25519.Verify does; that is most of what sets curve25519-voi's
// verification apart from the standard library's.
type verifier struct {
	key  *voi.ExpandedPublicKey
	msgs sync.Pool // *[]byte: timestamp+body buffers
}

func newVerifier(pub ed25519.PublicKey) (*verifier, error) {
	key, err := voi.NewExpandedPublicKey(voi.PublicKey(pub))
	if err != nil {
		return nil, errors.New("discord: public key (DISCORD_PUBLIC_KEY) is not a valid Ed25519 key")
	}
	v := &verifier{key: key}
	v.msgs.New = func() any { b := make([]byte, 0, 4096); return &b }
	return v, nil
}

// verify reports whether sig (64 bytes) signs ts followed by body.
func (v *verifier) verify(sig []byte, ts string, body []byte) bool {
	if len(sig) != ed25519.SignatureSize {
		return false
	}
	bp := v.msgs.Get().(*[]byte)
	msg := append(append((*bp)[:0], ts...), body...)
	ok := voi.VerifyExpandedWithOptions(v.key, msg, sig, stdlibRules)
	if cap(msg) <= maxBody {
		*bp = msg
		v.msgs.Put(bp)
	}
	return ok
}
