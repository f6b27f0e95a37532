package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"math/big"
	"testing"
)

// order is the order L of the Ed25519 base point.
var order, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// plusOrder returns sig with S replaced by S+L: the same point, a
// non-canonical scalar that both implementations must refuse.
func plusOrder(sig []byte) []byte {
	le := make([]byte, 32)
	for i := range 32 {
		le[31-i] = sig[32+i]
	}
	s := new(big.Int).SetBytes(le)
	s.Add(s, order)
	be := s.FillBytes(make([]byte, 32))
	out := append([]byte(nil), sig[:32]...)
	for i := range 32 {
		out = append(out, be[31-i])
	}
	return out
}

func TestVerifierAgreesWithStdlib(t *testing.T) {
	k := newTestKey(t)
	other := newTestKey(t)
	v, err := newVerifier(k.pub)
	if err != nil {
		t.Fatal(err)
	}
	ts, body := "1760000000", []byte(`{"type":2,"id":"1"}`)
	good := ed25519.Sign(k.priv, append([]byte(ts), body...))
	flipped := append([]byte(nil), good...)
	flipped[5] ^= 1
	// A small-order R and S = 0: crypto/ed25519 accepts it for the
	// identity key only, never for ours.
	identityR, _ := hex.DecodeString("0100000000000000000000000000000000000000000000000000000000000000")
	smallOrder := append(identityR, make([]byte, 32)...)
	cases := []struct {
		name     string
		sig      []byte
		ts       string
		body     []byte
		accepted bool
	}{
		{"valid", good, ts, body, true},
		{"body changed", good, ts, []byte(`{"type":2,"id":"2"}`), false},
		{"timestamp changed", good, "1760000001", body, false},
		{"signature bit flipped", flipped, ts, body, false},
		{"non-canonical S", plusOrder(good), ts, body, false},
		{"other key's signature", ed25519.Sign(other.priv, append([]byte(ts), body...)), ts, body, false},
		{"small-order R, zero S", smallOrder, ts, body, false},
		{"short signature", good[:63], ts, body, false},
	}
	for _, c := range cases {
		msg := append([]byte(c.ts), c.body...)
		std := len(c.sig) == ed25519.SignatureSize && ed25519.Verify(k.pub, msg, c.sig)
		got := v.verify(c.sig, c.ts, c.body)
		if got != std || got != c.accepted {
			t.Errorf("%s: verifier says %v, crypto/ed25519 says %v, want %v", c.name, got, std, c.accepted)
		}
	}
}

func TestNewVerifierRefusesBadKey(t *testing.T) {
	// Not a point on the curve (y = 2 has no x).
	bad, _ := hex.DecodeString("0200000000000000000000000000000000000000000000000000000000000000")
	if _, err := newVerifier(bad); err == nil {
		t.Error("newVerifier accepted a key that is not on the curve")
	}
}

// FuzzVerifierAgreesWithStdlib: for any signature, timestamp and body, the
// verifier and crypto/ed25519 give the same verdict.
func FuzzVerifierAgreesWithStdlib(f *testing.F) {
	k := newTestKey(f)
	v, err := newVerifier(k.pub)
	if err != nil {
		f.Fatal(err)
	}
	good := ed25519.Sign(k.priv, []byte("1760000000{}"))
	f.Add(good, "1760000000", []byte("{}"))
	f.Add(plusOrder(good), "1760000000", []byte("{}"))
	f.Add(make([]byte, 64), "0", []byte(""))
	f.Fuzz(func(t *testing.T, sig []byte, ts string, body []byte) {
		if len(sig) != ed25519.SignatureSize {
			return
		}
		std := ed25519.Verify(k.pub, append([]byte(ts), body...), sig)
		if got := v.verify(sig, ts, body); got != std {
			t.Fatalf("verifier says %v, crypto/ed25519 says %v", got, std)
		}
	})
}
