package discord

import (
	"errors"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bwmarrin/discordgo"
)

// wireInteraction is the part of an HTTP interaction the adapter reads.
// Decoding only these fields, rather than a whole discordgo.Interaction
// (which decodes the body twice and builds the guild member, the message a
// button came from and more), is most of the cost of decoding saved.
type wireInteraction struct {
	ID        string                    `json:"id"`
	AppID     string                    `json:"application_id"`
	Type      discordgo.InteractionType `json:"type"`
	Token     string                    `json:"token"`
	ChannelID string                    `json:"channel_id"`
	Member    *wireMember               `json:"member"`
	User      *wireUser                 `json:"user"`
	Data      *wireData                 `json:"data"`
}

type wireMember struct {
	Permissions int64     `json:"permissions,string"`
	User        *wireUser `json:"user"`
}

type wireUser struct {
	ID string `json:"id"`
}

// wireData holds the fields of both kinds of data the adapter answers:
// a command's (or autocomplete's) name and options, a button's custom id.
type wireData struct {
	Name          string                                               `json:"name"`
	Options       []*discordgo.ApplicationCommandInteractionDataOption `json:"options"`
	CustomID      string                                               `json:"custom_id"`
	ComponentType discordgo.ComponentType                              `json:"component_type"`
}

// v1Rules make the decoder read a body as encoding/json (and so
// discordgo, on the gateway) does: names matched without regard to case,
// the last of duplicate names kept, invalid UTF-8 replaced. The decoder,
// go-json-experiment/json, reads in one pass what encoding/json reads in
// two (a validity scan, then the decoding) and skips the fields we do
// not read without building them.
var v1Rules = json.JoinOptions(
	json.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// decodeInteraction parses an interaction and checks the fields we rely on.
// It fills the fields of a discordgo.Interaction the adapter reads, the
// same as the gateway's, so both paths share the rest.
func decodeInteraction(body []byte) (in *discordgo.Interaction, err error) {
	defer func() {
		if p := recover(); p != nil {
			in, err = nil, errors.New("malformed interaction")
		}
	}()
	var w wireInteraction
	if err := json.Unmarshal(body, &w, v1Rules); err != nil {
		return nil, errors.New("malformed interaction JSON")
	}
	if w.ID == "" || w.Type == 0 {
		return nil, errors.New("interaction lacks id or type")
	}
	if w.Type != discordgo.InteractionPing && w.Token == "" {
		return nil, errors.New("interaction lacks token")
	}
	if w.Data == nil && w.Type >= discordgo.InteractionApplicationCommand && w.Type <= discordgo.InteractionModalSubmit {
		return nil, errors.New("interaction lacks data")
	}
	return w.interaction(), nil
}

// interaction builds the discordgo form of w.
func (w *wireInteraction) interaction() *discordgo.Interaction {
	in := &discordgo.Interaction{ID: w.ID, AppID: w.AppID, Type: w.Type, Token: w.Token, ChannelID: w.ChannelID}
	if w.Member != nil {
		in.Member = &discordgo.Member{Permissions: w.Member.Permissions}
		if w.Member.User != nil {
			in.Member.User = &discordgo.User{ID: w.Member.User.ID}
		}
	}
	if w.User != nil {
		in.User = &discordgo.User{ID: w.User.ID}
	}
	d := w.Data
	switch w.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		in.Data = discordgo.ApplicationCommandInteractionData{Name: d.Name, Options: d.Options}
	case discordgo.InteractionMessageComponent:
		in.Data = discordgo.MessageComponentInteractionData{CustomID: d.CustomID, ComponentType: d.ComponentType}
	}
	return in
}
