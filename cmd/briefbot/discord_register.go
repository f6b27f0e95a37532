package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/briefbot/briefbot/bot/discord"
)

// runDiscord dispatches the discord subcommands.
func runDiscord(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] != "register" {
		fmt.Fprintln(e.stderr, "usage: briefbot discord register [--guild ID] [--print]")
		return exitBadUsage
	}
	return runDiscordRegister(ctx, args[1:], e)
}

// runDiscordRegister replaces the application's commands with those
// generated from the command table.
func runDiscordRegister(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("discord register", e)
	var common commonFlags
	common.register(fs)
	guild := fs.String("guild", "", "register in this server only (appears at once); default: globally")
	printOnly := fs.Bool("print", false, "print the commands as JSON instead of registering them")
	if err := fs.Parse(args); err != nil {
		return exitBadUsage
	}
	cfg, set, code := common.loadSet("discord register", e)
	if code != exitOK {
		return code
	}
	table := tableEngine(set).Commands()
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
