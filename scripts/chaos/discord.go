package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Discord's documented numbers the fake keeps to.
const (
	discordEpochMS   = 1420070400000
	maxNonce         = 25
	maxCustomID      = 100
	maxButtonLabel   = 80
	channelBucket    = 5 // messages per channelPer to one channel
	channelPer       = 5 * time.Second
	defaultListLimit = 50
	maxListLimit     = 100
)

// discordMessage is a message as Discord keeps it. The nonce is kept only
// to refuse a repeat: GET channel messages does not return it.
type discordMessage struct {
	ID         string            `json:"id"`
	Type       int               `json:"type"`
	ChannelID  string            `json:"channel_id"`
	Author     map[string]any    `json:"author"`
	Content    string            `json:"content"`
	Embeds     []map[string]any  `json:"embeds"`
	Components []json.RawMessage `json:"components"`
	Timestamp  string            `json:"timestamp"`
	Nonce      string            `json:"nonce,omitempty"`
	created    time.Time
	num        uint64
}

type createBody struct {
	Content      string            `json:"content"`
	Embeds       []map[string]any  `json:"embeds"`
	Components   []json.RawMessage `json:"components"`
	Nonce        json.RawMessage   `json:"nonce"`
	EnforceNonce bool              `json:"enforce_nonce"`
}

func discordError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func discordLimited(w http.ResponseWriter, wait time.Duration, scope string) {
	retryAfterHeader(w, wait)
	w.Header().Set("X-RateLimit-Scope", scope)
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": wait.Seconds(), "global": false})
}

func discordAuthed(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "Bot ")
}

func snowflakeChannel(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && len(s) >= 17
}

// discordCreate is POST /channels/{id}/messages.
func (f *fake) discordCreate(w http.ResponseWriter, r *http.Request) {
	if wait, ok := f.limited("discord create message"); ok {
		discordLimited(w, wait, "user")
		return
	}
	channel := r.PathValue("channel")
	switch {
	case !discordAuthed(r):
		discordError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	case !snowflakeChannel(channel):
		discordError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	var body createBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		discordError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	nonce, problem := checkCreate(body)
	if problem != "" {
		discordError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+problem)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if m := f.nonces[nonce]; body.EnforceNonce && m != nil && now.Sub(m.created) < f.nonceWindow {
		f.stats["discord nonce repeats"]++
		writeJSON(w, http.StatusOK, m) // the first message, nothing new posted
		return
	}
	if wait, ok := f.channelFull(channel, now); ok {
		f.stats["discord channel 429"]++
		discordLimited(w, wait, "user")
		return
	}
	m := f.newDiscordMessage(channel, body, nonce, now)
	f.bucketHeaders(w, channel, now)
	writeJSON(w, http.StatusOK, m)
}

// bucketHeaders tells the client where it stands in the channel's bucket,
// with the headers Discord sends; f.mu is held.
func (f *fake) bucketHeaders(w http.ResponseWriter, channel string, now time.Time) {
	recent := f.bucket[channel]
	reset := channelPer - now.Sub(recent[0])
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(channelBucket))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(channelBucket-len(recent)))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(reset.Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(reset).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "create-message-"+channel)
}

// checkCreate checks what Discord checks of a digest message: a nonce of
// at most 25 characters, custom ids of at most 100, labels of at most 80.
func checkCreate(b createBody) (nonce, problem string) {
	if len(b.Nonce) > 0 {
		if err := json.Unmarshal(b.Nonce, &nonce); err != nil {
			var n json.Number
			if json.Unmarshal(b.Nonce, &n) != nil {
				return "", "nonce: must be a string or an integer"
			}
			nonce = n.String()
		}
	}
	if len(nonce) > maxNonce {
		return "", "nonce: must be 25 or fewer in length"
	}
	for _, row := range b.Components {
		var r struct {
			Components []struct {
				CustomID string `json:"custom_id"`
				Label    string `json:"label"`
				URL      string `json:"url"`
			} `json:"components"`
		}
		if err := json.Unmarshal(row, &r); err != nil {
			return "", "components: not an action row"
		}
		for _, c := range r.Components {
			switch {
			case len([]rune(c.CustomID)) > maxCustomID:
				return "", "components: custom_id must be 100 or fewer in length"
			case len([]rune(c.Label)) > maxButtonLabel:
				return "", "components: label must be 80 or fewer in length"
			case c.CustomID == "" && c.URL == "":
				return "", "components: a button needs a custom_id or a url"
			}
		}
	}
	return nonce, ""
}

// channelFull applies the per-channel limit of 5 messages per 5 seconds;
// f.mu is held.
func (f *fake) channelFull(channel string, now time.Time) (time.Duration, bool) {
	recent := slices.DeleteFunc(f.bucket[channel], func(t time.Time) bool { return now.Sub(t) >= channelPer })
	f.bucket[channel] = recent
	if len(recent) >= channelBucket {
		return channelPer - now.Sub(recent[0]), true
	}
	f.bucket[channel] = append(recent, now)
	return 0, false
}

// newDiscordMessage stores and records an accepted message; f.mu is held.
func (f *fake) newDiscordMessage(channel string, b createBody, nonce string, now time.Time) *discordMessage {
	f.seq++
	num := uint64(now.UnixMilli()-discordEpochMS)<<22 | uint64(f.seq&0x3fffff)
	m := &discordMessage{ID: strconv.FormatUint(num, 10), ChannelID: channel, Content: b.Content,
		Author:     map[string]any{"id": "100000000000000001", "username": "briefbot", "bot": true},
		Embeds:     normalEmbeds(b.Embeds),
		Components: nonNil(b.Components), Timestamp: now.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		Nonce: nonce, created: now, num: num}
	f.discord[channel] = append(f.discord[channel], m)
	if nonce != "" {
		f.nonces[nonce] = m
	}
	f.save(record{Platform: "discord", Channel: channel, ID: m.ID, Nonce: nonce, CustomID: firstCustomID(b.Components), At: now})
	return m
}

// firstCustomID is the custom id of the message's first component, kept in
// the record for whoever reads it.
func firstCustomID(rows []json.RawMessage) string {
	for _, row := range rows {
		var r struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		}
		if json.Unmarshal(row, &r) == nil && len(r.Components) > 0 {
			return r.Components[0].CustomID
		}
	}
	return ""
}

// normalEmbeds returns embeds as Discord does: type rich, timestamps in
// its own form.
func normalEmbeds(embeds []map[string]any) []map[string]any {
	for _, e := range embeds {
		e["type"] = "rich"
		if ts, ok := e["timestamp"].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
				e["timestamp"] = t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
			}
		}
	}
	return nonNil(embeds)
}

// discordList is GET /channels/{id}/messages: up to limit (default 50, at
// most 100) messages around, before or after an id, newest first, as
// Discord documents; without the nonce.
func (f *fake) discordList(w http.ResponseWriter, r *http.Request) {
	if wait, ok := f.limited("discord get messages"); ok {
		discordLimited(w, wait, "user")
		return
	}
	if !discordAuthed(r) {
		discordError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	limit, after, before, err := listQuery(r)
	if err != nil {
		discordError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+err.Error())
		return
	}
	f.mu.Lock()
	msgs := f.discord[r.PathValue("channel")]
	var picked []discordMessage
	if after > 0 {
		for _, m := range msgs { // oldest first: the limit messages right after
			if m.num > after && len(picked) < limit {
				picked = append(picked, *m)
			}
		}
		slices.Reverse(picked)
	} else {
		for i := len(msgs) - 1; i >= 0 && len(picked) < limit; i-- {
			if m := msgs[i]; m.num < before {
				picked = append(picked, *m)
			}
		}
	}
	f.mu.Unlock()
	for i := range picked {
		picked[i].Nonce = ""
	}
	writeJSON(w, http.StatusOK, nonNil(picked))
}

func listQuery(r *http.Request) (limit int, after, before uint64, err error) {
	limit, before = defaultListLimit, 1<<63
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxListLimit {
			return 0, 0, 0, fmt.Errorf("limit: must be between 1 and %d", maxListLimit)
		}
	}
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseUint(v, 10, 64); err != nil {
			return 0, 0, 0, fmt.Errorf("after: not a snowflake")
		}
	}
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseUint(v, 10, 64); err != nil {
			return 0, 0, 0, fmt.Errorf("before: not a snowflake")
		}
	}
	return limit, after, before, nil
}

// The bot, its one guild and its roles: every channel is in the guild,
// and the bot may view, send, embed and read the history.
const (
	botID      = "100000000000000001"
	guildID    = "400000000000000001"
	ownerID    = "200000000000000009"
	guildRoles = `[{"id":"` + guildID + `","name":"@everyone","permissions":"84992"}]` // View Channel, Send Messages, Embed Links, Read Message History
)

func discordMe(w http.ResponseWriter, r *http.Request) {
	if !discordAuthed(r) {
		discordError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": botID, "username": "briefbot", "bot": true})
}

func discordChannel(w http.ResponseWriter, r *http.Request) {
	ch := r.PathValue("channel")
	if !snowflakeChannel(ch) {
		discordError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": ch, "type": 0, "guild_id": guildID, "permission_overwrites": []any{}})
}

func discordGuild(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("guild") != guildID {
		discordError(w, http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":%q,"name":"chaos","owner_id":%q,"roles":%s}`, guildID, ownerID, guildRoles)
}

func discordMember(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("guild") != guildID || r.PathValue("user") != botID {
		discordError(w, http.StatusNotFound, 10007, "Unknown Member")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": map[string]any{"id": botID, "bot": true}, "roles": []string{}})
}
