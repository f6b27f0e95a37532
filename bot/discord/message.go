package discord

import (
	"github.com/bwmarrin/discordgo"
)

// noMentions allows no mention of any kind: an empty parse list, no users,
// no roles, no reply ping. Every message gets its own value.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// flags of a message: ephemeral ones are seen only by the user who asked.
func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// responseData is m as the data of an interaction response.
func (m message) responseData(ephemeral bool) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content:         m.Content,
		Embeds:          m.Embeds,
		Components:      m.Components,
		Files:           sdkFiles(m.Files),
		AllowedMentions: noMentions(),
		Flags:           flags(ephemeral),
	}
}

// webhookParams is m as an interaction follow-up.
func (m message) webhookParams(ephemeral bool) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{
		Content:         m.Content,
		Embeds:          m.Embeds,
		Components:      m.Components,
		Files:           sdkFiles(m.Files),
		AllowedMentions: noMentions(),
		Flags:           flags(ephemeral),
	}
}

// webhookEdit is m as the edit that completes a deferred response.
func (m message) webhookEdit() *discordgo.WebhookEdit {
	content, embeds, components := m.Content, m.Embeds, m.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Components:      &components,
		Files:           sdkFiles(m.Files),
		AllowedMentions: noMentions(),
	}
}

// messageSend is m as a message posted to a channel.
func (m message) messageSend() *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         m.Content,
		Embeds:          m.Embeds,
		Components:      m.Components,
		Files:           sdkFiles(m.Files),
		AllowedMentions: noMentions(),
	}
}

// shareButton is the action row with the Share in channel button, after
// Show sources when sourcesID is not empty.
func shareButton(customID, sourcesID string) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	if sourcesID != "" {
		row = append(row, discordgo.Button{Label: "Show sources", Style: discordgo.SecondaryButton, CustomID: sourcesID,
			Emoji: &discordgo.ComponentEmoji{Name: "📄"}})
	}
	row = append(row, discordgo.Button{Label: "Share in channel", Style: discordgo.SecondaryButton, CustomID: customID,
		Emoji: &discordgo.ComponentEmoji{Name: "📣"}})
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}
