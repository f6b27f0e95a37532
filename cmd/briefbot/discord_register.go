package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
)

// runDiscord runs "briefbot discord register": it replaces the
// application's commands with those generated from the command table. Its
// flags may come before or after the word register.
func runDiscord(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("discord register", e)
	// --print needs no Discord key, registering only the application id
	// and the bot token: Register names what is missing.
	common := commonFlags{core: true}
	common.register(fs)
	guild := fs.String("guild", "", "register in this server only (appears at once); default: globally")
	printOnly := fs.Bool("print", false, "print the commands as JSON instead of registering them")
	words, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(words) != 1 || words[0] != "register" {
		fs.Usage()
		return exitBadUsage
	}
	cfg, engine, code := common.loadEngine("discord register", e)
	if code != exitOK {
		return code
	}
	table := engine.Naming(bot.PlatformDiscord)
	if *printOnly {
		out, err := discord.CommandsJSON(table)
		if err != nil {
			fmt.Fprintln(e.stderr, "briefbot discord register:", err)
			return exitFailure
		}
		fmt.Fprintln(e.stdout, string(out))
		return exitOK
	}
	names, err := discord.Register(ctx, discord.RegisterOptions{
		AppID:    cfg.Discord.AppID,
		BotToken: cfg.Discord.BotToken.Value(),
		APIURL:   cfg.Discord.APIURL,
		GuildID:  *guild,
	}, table)
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot discord register:", err)
		return exitFailure
	}
	where := "globally"
	if *guild != "" {
		where = "in server " + *guild
	}
	fmt.Fprintf(e.stdout, "registered %d commands %s: /%s\n", len(names), where, strings.Join(names, ", /"))
	return exitOK
}
