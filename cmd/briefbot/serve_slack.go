package main

import (
	"context"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/server"
)

// buildSlack wires the Slack adapter when Slack is configured.
func buildSlack(d deps) (adapter, error) {
	if !d.cfg.SlackEnabled() {
		return nil, nil
	}
	s := d.cfg.Slack
	if err := slack.CheckNames(d.engine.Naming(bot.PlatformSlack)); err != nil {
		return nil, err
	}
	a, err := slack.New(d.engine, slack.Options{
		Naming:        d.engine.Naming(bot.PlatformSlack),
		SigningSecret: s.SigningSecret.Value(),
		BotToken:      s.BotToken.Value(),
		AppToken:      s.AppToken.Value(),
		APIURL:        s.APIURL,
		Mode:          d.cfg.SlackMode(),
		Managers:      s.Managers,
		PostRate:      s.PostRate,
		Log:           d.log,

		OnSignatureFailure: d.metrics.SignatureFailures("slack"),
		Claims:             d.claims,
		ConsoleURL:         d.cfg.ConsoleURL,
		Audit:              d.audit,
	})
	if err != nil {
		return nil, err
	}
	return slackAdapter{a}, nil
}

// slackAdapter fits *slack.Adapter to serve's adapter interface.
type slackAdapter struct{ a *slack.Adapter }

func (s slackAdapter) Name() string                  { return s.a.Name() }
func (s slackAdapter) Routes(srv *server.Server)     { s.a.Routes(srv) }
func (s slackAdapter) Run(ctx context.Context) error { return s.a.Run(ctx) }
func (s slackAdapter) Poster() digest.Poster         { return s.a.Poster() }
func (s slackAdapter) Readiness() (string, error)    { return s.a.Readiness() }
