package slack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// responseTimeout bounds one post to a response_url.
const responseTimeout = 10 * time.Second

// responder posts messages to the response_url of a command or an
// interaction. Such a URL is a capability: it is never logged.
type responder struct {
	client *http.Client
}

// send posts p to url. Slack answers 2xx when it took the message.
func (r *responder) send(ctx context.Context, url string, p payload) error {
	body, err := marshal(p)
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, responseTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", stripURL(err))
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("slack: response_url: status %d: %s", resp.StatusCode, bytes.TrimSpace(msg))
	}
	return nil
}

// stripURL drops the URL from a transport error, keeping the cause.
func stripURL(err error) error {
	if ue, ok := err.(interface{ Unwrap() error }); ok {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
