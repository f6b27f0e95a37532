// Command loadtargets writes signed Discord interaction requests for a load
// test of the interactions endpoint: vegeta JSON targets, one per line, each
// a /stance command with its own interaction id, signed with a key pair it
// makes. The public key goes to a file so the server under test can be
// started with it.
//
//	go run ./bot/discord/internal/loadtargets -n 30000 -url http://127.0.0.1:18080/discord/interactions \
//	    -pubkey pub.hex > targets.jsonl
package main

import (
	"bufio"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

type target struct {
	Method string              `json:"method"`
	URL    string              `json:"url"`
	Body   string              `json:"body"`
	Header map[string][]string `json:"header"`
}

func main() {
	n := flag.Int("n", 30000, "number of requests")
	url := flag.String("url", "http://127.0.0.1:18080/discord/interactions", "endpoint")
	pubFile := flag.String("pubkey", "", "write the public key (hex) here")
	seedFile := flag.String("seed", "", "read the private key seed (hex) from here instead of making one")
	actor := flag.String("actor", "", "actor for /stance (required: an actor id of the loaded dossier)")
	flag.Parse()
	if err := run(*n, *url, *pubFile, *seedFile, *actor); err != nil {
		fmt.Fprintln(os.Stderr, "loadtargets:", err)
		os.Exit(1)
	}
}

func run(n int, url, pubFile, seedFile, actor string) error {
	if actor == "" {
		return fmt.Errorf("--actor is required: an actor id of the dossier the server loads")
	}
	priv, err := key(seedFile)
	if err != nil {
		return err
	}
	if pubFile != "" {
		pub := hex.EncodeToString(priv.Public().(ed25519.PublicKey))
		if err := os.WriteFile(pubFile, []byte(pub+"\n"), 0o600); err != nil {
			return err
		}
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i := range n {
		body := interaction(run+"-"+strconv.Itoa(i), actor)
		sig := ed25519.Sign(priv, append([]byte(stamp), body...))
		t := target{Method: "POST", URL: url, Body: base64.StdEncoding.EncodeToString(body), Header: map[string][]string{
			"Content-Type":          {"application/json"},
			"X-Signature-Ed25519":   {hex.EncodeToString(sig)},
			"X-Signature-Timestamp": {stamp},
		}}
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return w.Flush()
}

func key(seedFile string) (ed25519.PrivateKey, error) {
	if seedFile == "" {
		_, priv, err := ed25519.GenerateKey(nil)
		return priv, err
	}
	raw, err := os.ReadFile(seedFile)
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(string(raw[:min(len(raw), 64)]))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: want a %d-byte seed in hex", seedFile, ed25519.SeedSize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func interaction(id, actor string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "application_id": "100000000000000001", "type": 2, "token": "load-" + id,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001", "version": 1,
		"member": map[string]any{"permissions": "0", "user": map[string]any{"id": "200000000000000001"}},
		"data": map[string]any{"id": "500000000000000001", "name": "stance", "type": 1,
			"options": []map[string]any{{"name": "actor", "type": 3, "value": actor}}},
	})
	return b
}
