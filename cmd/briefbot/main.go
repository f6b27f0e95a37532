// Command briefbot turns a corpus of news documents into curated, sourced
// briefs and serves them in chat. main only wires: flags, configuration,
// corpus and briefs, adapters, then runs until the context ends.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // internal failure, or check found problems
	exitBadUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is what a subcommand may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

type subcommand struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, e env) int
}

func subcommands() []subcommand {
	return []subcommand{
		{"serve", "run the bot (HTTP server, chat adapters, scheduled digests): serve [--watch] [--console auto|on|off]", runServe},
		{"ask", "answer one command and print the reply: ask [--format text|json] COMMAND...", runAsk},
		{"check", "validate the corpus and briefs, list drafts: check [--coverage] [--doc DOC]", runCheck},
		{"paragraphs", "print a document's paragraphs with their ids: paragraphs DOC", runParagraphs},
		{"ingest", "add documents to a corpus folder: ingest --corpus DIR [--init] FILE|URL...", runIngest},
		{"draft", "write draft claims for one document, for review: draft --corpus DIR --briefs DIR DOC", runDraft},
		{"digest", "render or post one digest now, or list schedules: digest --kind K [--target T] [--dry-run] | --list", runDigest},
		{"audit", "print the audit log of shares and digest posts: audit [--since 168h|DATE] [--channel slack:C0123] [--format text|json]", runAudit},
		{"slack", "print the Slack app manifest: slack manifest [--socket-mode | --url https://host] [--format yaml|json]", runSlack},
		{"discord", "register the slash commands with Discord: discord register [--guild ID] [--print]", runDiscord},
		{"store", "copy the SQLite store while it is in use: store backup FILE", runStore},
		{"version", "print the version, the module version and the revision it was built from: version", runVersion},
	}
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 0 {
			usage(e.stderr)
			return exitBadUsage
		}
		usage(e.stdout)
		return exitOK
	}
	if args[0] != "-" && len(args[0]) > 1 && args[0][0] == '-' {
		moved, err := hoistGlobalFlags(args)
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n\n", err)
			usage(e.stderr)
			return exitBadUsage
		}
		args = moved
	}
	for _, sc := range subcommands() {
		if sc.name == args[0] {
			return sc.run(ctx, args[1:], e)
		}
	}
	fmt.Fprintf(e.stderr, "briefbot: unknown subcommand %q\n\n", args[0])
	usage(e.stderr)
	return exitBadUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: briefbot SUBCOMMAND [flags] [arguments]")
	fmt.Fprintln(w, "\nSubcommands:")
	for _, sc := range subcommands() {
		fmt.Fprintf(w, "  %-11s %s\n", sc.name, sc.summary)
	}
	fmt.Fprint(w, `
Flags of every subcommand that reads the configuration or the briefs
(they may also come before the subcommand):
  --config FILE   YAML configuration (see config/briefbot.example.yaml);
                  environment variables override it
  --corpus DIR    folder of documents, instead of the embedded corpus
  --briefs DIR    folder of brief files, instead of the embedded briefs

Flags may come before or after a subcommand's other arguments; -- ends
them. "briefbot SUBCOMMAND -h" lists a subcommand's flags.
`)
}
