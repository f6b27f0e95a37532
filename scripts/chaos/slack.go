package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// slackMessage is a message in a channel as conversations.history returns it.
type slackMessage struct {
	Type     string          `json:"type"`
	TS       string          `json:"ts"`
	Text     string          `json:"text"`
	BotID    string          `json:"bot_id"`
	AppID    string          `json:"app_id"`
	Blocks   json.RawMessage `json:"blocks,omitempty"`
	Metadata *slackMetadata  `json:"metadata,omitempty"`
	micros   int64
}

type slackMetadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

func slackError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": code})
}

// slackAuthed checks the bot token the way Slack takes it: a bearer
// header or a token field.
func slackAuthed(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "Bearer xoxb-") || strings.HasPrefix(r.FormValue("token"), "xoxb-")
}

// slackRefused answers a request refused before the method runs: 429
// with Retry-After while limited, not_authed without a bot token.
func (f *fake) slackRefused(w http.ResponseWriter, r *http.Request, method string) bool {
	if wait, ok := f.limited("slack " + method); ok {
		retryAfterHeader(w, wait)
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
		return true
	}
	if !slackAuthed(r) {
		slackError(w, "not_authed")
		return true
	}
	return false
}

// slackPost is chat.postMessage.
func (f *fake) slackPost(w http.ResponseWriter, r *http.Request) {
	if f.slackRefused(w, r, "chat.postMessage") {
		return
	}
	channel := r.FormValue("channel")
	if channel == "" {
		slackError(w, "channel_not_found")
		return
	}
	m := &slackMessage{Type: "message", Text: r.FormValue("text"), BotID: "B0CHAOS", AppID: "A0CHAOS"}
	if b := r.FormValue("blocks"); b != "" {
		m.Blocks = json.RawMessage(b)
	}
	if md := r.FormValue("metadata"); md != "" {
		m.Metadata = &slackMetadata{}
		if err := json.Unmarshal([]byte(md), m.Metadata); err != nil || m.Metadata.EventType == "" {
			slackError(w, "invalid_metadata_format")
			return
		}
	}
	f.mu.Lock()
	now := time.Now()
	m.micros = max(now.UnixMicro(), f.lastTS+1)
	f.lastTS = m.micros
	m.TS = fmt.Sprintf("%d.%06d", m.micros/1e6, m.micros%1e6)
	f.slack[channel] = append(f.slack[channel], m)
	rec := record{Platform: "slack", Channel: channel, ID: m.TS, At: now}
	if m.Metadata != nil {
		rec.Key, _ = m.Metadata.EventPayload["key"].(string)
		if p, ok := m.Metadata.EventPayload["part"].(float64); ok {
			rec.Part = int(p)
		}
	}
	f.save(rec)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "channel": channel, "ts": m.TS, "message": m})
}

// slackHistory is conversations.history: messages newer than oldest (and
// not newer than latest), newest first, limit per page (default 100, at
// most 999), the next page behind a cursor; metadata only when
// include_all_metadata is set.
func (f *fake) slackHistory(w http.ResponseWriter, r *http.Request) {
	if f.slackRefused(w, r, "conversations.history") {
		return
	}
	q, err := readHistoryQuery(r)
	if err != "" {
		slackError(w, err)
		return
	}
	f.mu.Lock()
	var page []slackMessage
	more := false
	msgs := f.slack[r.FormValue("channel")]
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if !q.keeps(m.micros) {
			continue
		}
		if len(page) == q.limit {
			more = true
			break
		}
		c := *m
		if !q.metadata {
			c.Metadata = nil
		}
		page = append(page, c)
	}
	f.mu.Unlock()
	next := ""
	if more {
		next = base64.StdEncoding.EncodeToString([]byte("next_ts:" + strconv.FormatInt(page[len(page)-1].micros, 10)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "messages": nonNil(page), "has_more": more,
		"response_metadata": map[string]string{"next_cursor": next}})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// historyQuery is what conversations.history was asked for, in microseconds.
type historyQuery struct {
	oldest, latest, before int64 // before: from the cursor
	inclusive, metadata    bool
	limit                  int
}

func readHistoryQuery(r *http.Request) (historyQuery, string) {
	q := historyQuery{limit: 100, latest: 1 << 62, before: 1 << 62}
	var bad bool
	if v := r.FormValue("oldest"); v != "" {
		q.oldest, bad = slackTS(v)
	}
	if v := r.FormValue("latest"); v != "" && !bad {
		q.latest, bad = slackTS(v)
	}
	if v := r.FormValue("limit"); v != "" && !bad {
		n, err := strconv.Atoi(v)
		q.limit, bad = min(max(n, 1), 999), err != nil
	}
	if c := r.FormValue("cursor"); c != "" && !bad {
		raw, err := base64.StdEncoding.DecodeString(c)
		ts, ok := strings.CutPrefix(string(raw), "next_ts:")
		n, err2 := strconv.ParseInt(ts, 10, 64)
		if err != nil || !ok || err2 != nil {
			return q, "invalid_cursor"
		}
		q.before = n
	}
	if bad {
		return q, "invalid_arguments"
	}
	q.inclusive = slices.Contains([]string{"1", "true"}, r.FormValue("inclusive"))
	q.metadata = slices.Contains([]string{"1", "true"}, r.FormValue("include_all_metadata"))
	return q, ""
}

func (q historyQuery) keeps(micros int64) bool {
	if micros >= q.before {
		return false
	}
	if q.inclusive {
		return micros >= q.oldest && micros <= q.latest
	}
	return micros > q.oldest && micros < q.latest
}

// slackTS reads a Slack timestamp such as 1700000000.000100 in microseconds.
func slackTS(s string) (int64, bool) {
	sec, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0, true
	}
	frac = (frac + "000000")[:6]
	u, err := strconv.ParseInt(frac, 10, 64)
	return n*1e6 + u, err != nil
}
