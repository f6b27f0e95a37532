package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// audited records a share in the audit log once its answer has gone out
// publicly (*shared, set when the answer was rendered as a share): the
// id of the posted message is asked of Discord, as the response to an
// interaction does not carry it.
func (a *Adapter) audited(ans answer, in *discordgo.Interaction, e bot.AuditEntry, shared *bool) answer {
	if a.auditor == nil {
		return ans
	}
	prev := ans.after
	ans.after = func(ctx context.Context) error {
		if prev != nil {
			if err := prev(ctx); err != nil {
				return err
			}
		}
		if !*shared {
			return nil
		}
		id, err := a.hooks.originalID(ctx, in)
		if err != nil {
			a.log.Debug("audit log: the shared message's id is unknown", "err", err)
		}
		e.Platform, e.At, e.MessageID = bot.PlatformDiscord, a.now().UTC(), id
		if err := a.auditor.Audit(context.WithoutCancel(ctx), e); err != nil {
			a.log.Warn("audit log: could not record", "action", e.Action, "channel_id", e.Channel, "err", err)
		}
		return nil
	}
	return ans
}

// originalID returns the id of the message that answered in.
func (h *hooks) originalID(ctx context.Context, in *discordgo.Interaction) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		discordgo.EndpointWebhookMessage(h.app(in), in.Token, "@original"), nil)
	if err != nil {
		return "", fmt.Errorf("discord: original response: build request")
	}
	req.Header.Set("User-Agent", h.userAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("discord: original response: %w", withoutURL(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("discord: original response: %w", newHookError(resp.StatusCode, body))
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &m); err != nil || !isSnowflake(m.ID) {
		return "", fmt.Errorf("discord: original response: no message id")
	}
	return m.ID, nil
}
