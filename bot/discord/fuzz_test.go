package discord

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzDecodeInteraction feeds arbitrary bodies to the decoder and, when
// they decode, to the interaction logic: neither may panic, and every
// answer must encode. The seed corpus is in testdata/fuzz.
func FuzzDecodeInteraction(f *testing.F) {
	f.Add(pingJSON("1"))
	f.Add(commandJSON("2", 2, "stance", 16, opt{Name: "actor", Type: 3, Value: "poland"}))
	f.Add(commandJSON("3", 4, "compare", 0, opt{Name: "other", Type: 3, Value: "ger", Focused: true}))
	f.Add(buttonJSON("4", "share:/stance poland"))
	f.Add([]byte(`{"id":"5","type":2,"token":"t","data":{"name":"stance","options":[{"name":"x","type":1,"options":[{"name":"y","type":3,"value":7}]}]}}`))
	f.Add([]byte(`{"id":"6","type":3,"token":"t","message":{"components":[{"type":1,"components":[{"type":2}]}]},"data":{"custom_id":"sharekey:AAAA"}}`))
	e := fixtureEngine(f, nil)
	a, err := New(e, Options{Mode: ModeHTTP, AppID: "1", PublicKey: newTestKey(f).hex(), APIURL: "http://127.0.0.1:1"})
	if err != nil {
		f.Fatal(err)
	}
	a.deferAfter = time.Minute
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeInteraction(body)
		if err != nil {
			return
		}
		ans := a.interact(t.Context(), in)
		if _, err := json.Marshal(ans.body); err != nil {
			t.Fatalf("answer does not encode: %v", err)
		}
	})
}
