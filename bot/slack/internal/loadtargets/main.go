// Command loadtargets writes signed Slack slash-command requests for a load
// test of the commands endpoint: vegeta JSON targets, one per line, each a
// /stance command from its own user with its own trigger id, signed with
// the given secret, so no request is a duplicate of another.
//
//	go run ./bot/slack/internal/loadtargets -n 30000 -secret S -url http://127.0.0.1:18080/slack/commands > targets.jsonl
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/briefbot/briefbot/bot/slack"
)

type target struct {
	Method string              `json:"method"`
	URL    string              `json:"url"`
	Body   string              `json:"body"`
	Header map[string][]string `json:"header"`
}

func main() {
	n := flag.Int("n", 30000, "number of requests")
	endpoint := flag.String("url", "http://127.0.0.1:18080/slack/commands", "endpoint")
	secret := flag.String("secret", "", "signing secret (required)")
	actor := flag.String("actor", "poland", "actor for /stance")
	flag.Parse()
	if err := run(*n, *endpoint, *secret, *actor); err != nil {
		fmt.Fprintln(os.Stderr, "loadtargets:", err)
		os.Exit(1)
	}
}

func run(n int, endpoint, secret, actor string) error {
	if secret == "" {
		return errors.New("-secret is required")
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	now := time.Now().Unix()
	stamp := strconv.FormatInt(now, 10)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i := range n {
		id := run + "-" + strconv.Itoa(i)
		body := url.Values{
			"token": {"x"}, "team_id": {"T0LOAD"}, "channel_id": {"C0LOAD"}, "user_id": {"U" + id},
			"command": {"/stance"}, "text": {actor}, "trigger_id": {id},
			"response_url": {"http://127.0.0.1:9/commands/" + id},
		}.Encode()
		t := target{Method: "POST", URL: endpoint, Body: base64.StdEncoding.EncodeToString([]byte(body)), Header: map[string][]string{
			"Content-Type":              {"application/x-www-form-urlencoded"},
			"X-Slack-Request-Timestamp": {stamp},
			"X-Slack-Signature":         {slack.Sign(secret, now, []byte(body))},
		}}
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return w.Flush()
}
