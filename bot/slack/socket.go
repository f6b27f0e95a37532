package slack

import (
	"context"
	"encoding/json"
	"fmt"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// maxAckBytes is under the 20 KB Socket Mode accepts in an acknowledgement;
// a larger first message goes through the response_url instead.
const maxAckBytes = 19 << 10

// acker acknowledges Socket Mode requests; *socketmode.Client is one.
type acker interface {
	Ack(req socketmode.Request, payload ...any) error
}

// runSocket connects and dispatches events until ctx ends or the
// connection fails for good (bad tokens).
func (a *Adapter) runSocket(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.socket.RunContext(ctx) }()
	for {
		select {
		case err := <-errc:
			a.connected.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-a.socket.Events:
			a.dispatch(ctx, a.socket, evt)
		}
	}
}

// dispatch handles one Socket Mode event.
func (a *Adapter) dispatch(ctx context.Context, ack acker, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Info("socket mode connecting")
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		a.log.Info("socket mode connected")
	case socketmode.EventTypeHello:
		a.connected.Store(true)
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
		a.log.Warn("socket mode disconnected", "event", string(evt.Type))
	case socketmode.EventTypeInvalidAuth:
		a.connected.Store(false)
		a.log.Error("socket mode: invalid auth; check SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
	case socketmode.EventTypeSlashCommand:
		a.socketCommand(ctx, ack, evt)
	case socketmode.EventTypeInteractive:
		a.socketInteraction(ack, evt)
	case socketmode.EventTypeEventsAPI:
		a.socketEvent(ack, evt)
	}
}

func (a *Adapter) socketCommand(ctx context.Context, ack acker, evt socketmode.Event) {
	sc, ok := evt.Data.(slackapi.SlashCommand)
	if !ok || evt.Request == nil {
		a.log.Warn("socket mode: unexpected slash command event", "data_type", fmt.Sprintf("%T", evt.Data))
		a.ackOnly(ack, evt)
		return
	}
	c := command{Command: sc.Command, Text: sc.Text, UserID: sc.UserID, ChannelID: sc.ChannelID,
		TeamID: sc.TeamID, ResponseURL: sc.ResponseURL}
	if err := c.check(); err != nil {
		a.log.Warn("unreadable slash command", "err", err)
		a.ackWith(ack, evt, usageNotice(a.names.String("I could not read that command. Try /help.")))
		return
	}
	out, dup := a.answer(ctx, c)
	if dup {
		a.ackOnly(ack, evt)
		return
	}
	msgs := out.msgs
	first := newPayload(msgs[0], ephemeral)
	if b, err := json.Marshal(first); err != nil || len(b) > maxAckBytes {
		a.ackOnly(ack, evt)
		a.followUps(c, msgs)
		return
	}
	a.ackWith(ack, evt, first)
	a.followUps(c, msgs[1:])
}

func (a *Adapter) socketInteraction(ack acker, evt socketmode.Event) {
	a.ackOnly(ack, evt)
	cb, ok := evt.Data.(slackapi.InteractionCallback)
	if !ok {
		return
	}
	s, ok, err := shareFrom(cb)
	if err != nil {
		a.log.Warn("unreadable interaction", "err", err)
	}
	if ok {
		a.background(func(ctx context.Context) { a.act(ctx, s) })
	}
}

func (a *Adapter) ackOnly(ack acker, evt socketmode.Event) {
	if evt.Request == nil {
		return
	}
	if err := ack.Ack(*evt.Request); err != nil {
		a.log.Warn("socket mode ack failed", "event", string(evt.Type), "err", err)
	}
}

func (a *Adapter) ackWith(ack acker, evt socketmode.Event, p payload) {
	if err := ack.Ack(*evt.Request, p); err != nil {
		a.log.Warn("socket mode ack failed", "event", string(evt.Type), "err", err)
	}
}
