package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Discord error codes that matter to us.
const (
	codeUnknownChannel     = 10003
	codeUnknownWebhook     = 10015
	codeUnknownInteraction = 10062
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

// Retry bounds for interaction responses and follow-ups.
const (
	hookAttempts     = 3
	maxHookRetryWait = 5 * time.Second
)

// hooks sends interaction responses, follow-ups and edits. These endpoints
// are authorised by the interaction's token rather than the bot token, so
// they work in HTTP mode without one. They bypass discordgo's Session on
// purpose: its rate limiter keeps a bucket for every distinct URL for the
// life of the process, and every interaction has a URL of its own.
type hooks struct {
	client    *http.Client
	appID     string
	userAgent string
}

// respond sends the initial response to an interaction (gateway mode; over
// HTTP the response is the reply to Discord's request).
func (h *hooks) respond(ctx context.Context, in *discordgo.Interaction, body any) error {
	return h.do(ctx, "interaction response", http.MethodPost,
		discordgo.EndpointInteractionResponse(in.ID, in.Token), body, false)
}

// followup sends one more message for an interaction.
func (h *hooks) followup(ctx context.Context, in *discordgo.Interaction, p *discordgo.WebhookParams) error {
	return h.do(ctx, "follow-up message", http.MethodPost,
		discordgo.EndpointWebhookToken(h.app(in), in.Token), p, true)
}

// editOriginal completes a deferred response.
func (h *hooks) editOriginal(ctx context.Context, in *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	return h.do(ctx, "deferred response", http.MethodPatch,
		discordgo.EndpointWebhookMessage(h.app(in), in.Token, "@original"), e, true)
}

func (h *hooks) app(in *discordgo.Interaction) string {
	if in.AppID != "" {
		return in.AppID
	}
	return h.appID
}

// do sends one request with bounded retries: after a 429 (waiting as told,
// up to a limit), a 5xx or a network error, and — for follow-ups, which
// may race the initial response — after "unknown interaction". Errors never
// include the URL, which carries the interaction's token.
func (h *hooks) do(ctx context.Context, op, method, endpoint string, body any, followup bool) error {
	ctype, raw, err := encodeBody(body)
	if err != nil {
		return fmt.Errorf("discord: %s: encode: %w", op, err)
	}
	var last error
	for attempt := 1; attempt <= hookAttempts; attempt++ {
		wait, err := h.once(ctx, method, endpoint, ctype, raw)
		if err == nil {
			return nil
		}
		last = fmt.Errorf("discord: %s: %w", op, err)
		var he *hookError
		if errors.As(err, &he) && !he.retry(followup) {
			return last
		}
		if wait == 0 {
			wait = time.Duration(attempt) * 250 * time.Millisecond
		}
		if wait > maxHookRetryWait || attempt == hookAttempts {
			return last
		}
		if err := sleep(ctx, wait); err != nil {
			return last
		}
	}
	return last
}

// once sends the request and returns how long Discord asked us to wait.
func (h *hooks) once(ctx context.Context, method, endpoint, ctype string, raw []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, method, endpoint, bytes.NewReader(raw))
	if err != nil {
		return 0, errors.New("build request")
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", h.userAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, withoutURL(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 300 {
		return 0, nil
	}
	he := newHookError(resp.StatusCode, msg)
	if resp.StatusCode == http.StatusTooManyRequests {
		return retryAfter(resp.Header, msg), he
	}
	return 0, he
}

// encodeBody encodes a request body: JSON, or multipart/form-data with the
// JSON as payload_json when it attaches files.
func encodeBody(body any) (ctype string, raw []byte, err error) {
	var files []*discordgo.File
	switch b := body.(type) {
	case *discordgo.WebhookParams:
		files = b.Files
	case *discordgo.WebhookEdit:
		files = b.Files
	case discordgo.InteractionResponse:
		if b.Data != nil {
			files = b.Data.Files
		}
	}
	if len(files) > 0 {
		return discordgo.MultipartBodyWithJSON(body, files)
	}
	raw, err = json.Marshal(body)
	return "application/json", raw, err
}

// hookError is a refused request: the HTTP status and Discord's code.
type hookError struct {
	status  int
	code    int
	message string
}

func newHookError(status int, body []byte) *hookError {
	var m struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &m)
	return &hookError{status: status, code: m.Code, message: m.Message}
}

func (e *hookError) Error() string {
	s := "HTTP " + strconv.Itoa(e.status)
	if e.code != 0 {
		s += fmt.Sprintf(" (code %d: %s)", e.code, e.message)
	}
	return s
}

// retry says whether another attempt may succeed.
func (e *hookError) retry(followup bool) bool {
	switch {
	case e.status == http.StatusTooManyRequests, e.status >= 500:
		return true
	case followup && e.status == http.StatusNotFound:
		return e.code == codeUnknownInteraction || e.code == codeUnknownWebhook
	}
	return false
}

// retryAfter reads how long to wait from a 429: the body's retry_after in
// seconds, else the Retry-After header.
func retryAfter(h http.Header, body []byte) time.Duration {
	var m struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &m) == nil && m.RetryAfter > 0 {
		return time.Duration(m.RetryAfter * float64(time.Second))
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	return time.Second
}

// withoutURL strips the URL from a client error, keeping the cause.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request: %w", ue.Op, ue.Err)
	}
	return err
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
