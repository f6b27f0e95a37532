package main

import (
	"context"
	"fmt"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slack"
)

// runSlack runs "briefbot slack manifest": the Slack app manifest
// generated from the command table. Its flags may come before or after
// the word manifest.
func runSlack(_ context.Context, args []string, e env) int {
	fs := newFlagSet("slack manifest", e)
	common := commonFlags{core: true} // a manifest needs no Slack key
	common.register(fs)
	socket := fs.Bool("socket-mode", false, "receive commands over Socket Mode (no public URL needed)")
	base := fs.String("url", "", "public https:// base URL Slack sends commands to (HTTP mode)")
	format := fs.String("format", "yaml", "output format: yaml or json")
	name := fs.String("name", "briefbot", "app and bot user name")
	words, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(words) != 1 || words[0] != "manifest" {
		fs.Usage()
		return exitBadUsage
	}
	if *socket == (*base != "") || (*format != "yaml" && *format != "json") {
		fmt.Fprintln(e.stderr, "briefbot slack manifest: give exactly one of --socket-mode or --url https://host; --format is yaml or json")
		return exitBadUsage
	}
	_, engine, code := common.loadEngine("slack manifest", e)
	if code != exitOK {
		return code
	}
	m, err := slack.BuildManifest(engine.Naming(bot.PlatformSlack), slack.ManifestOptions{Name: *name, SocketMode: *socket, BaseURL: *base})
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot", err)
		return exitBadUsage
	}
	out, err := m.YAML()
	if *format == "json" {
		out, err = m.JSON()
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot", err)
		return exitFailure
	}
	e.stdout.Write(out)
	return exitOK
}
