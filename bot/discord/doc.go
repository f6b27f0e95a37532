// Package discord is briefbot's Discord adapter. It receives slash
// commands, autocomplete requests and button presses over the gateway or
// the signed HTTP interactions endpoint, feeds them to the command engine,
// renders the engine's replies as embeds within Discord's limits, registers
// the command table as application commands, and posts digests to channels.
//
// Everything Discord-specific, including the discordgo SDK, stays in this
// package: the rest of briefbot sees bot.Request, bot.Reply and the
// adapter's Poster.
package discord
