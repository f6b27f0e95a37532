package discord

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// A digest message carries its PostMark twice. The nonce, sent with
// enforce_nonce, makes Discord itself return the first message instead of
// posting a repeat within its nonce window; Discord does not keep it on
// the message. The custom id of the message's Sources button stays on the
// message, invisible, and GET channel messages returns it: that is what a
// check before a retry looks for.
const (
	digestPrefix = "digest:" // custom ids of digest buttons
	markHashLen  = 26        // base32 characters of the key's hash: 130 bits
	sourcesLabel = "Sources"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Nonce is the nonce of a marked message: at most 25 characters, the same
// for every try of the same message of the same slot.
func Nonce(m bot.PostMark) string {
	sum := sha256.Sum256([]byte(m.Key + "#" + strconv.Itoa(m.Part)))
	return b32.EncodeToString(sum[:])[:25]
}

// keyHash stands for a slot key in a custom id, which holds 100 characters
// while keys are longer.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return b32.EncodeToString(sum[:])[:markHashLen]
}

// digestButtonID is the custom id of message m.Part of the post marked m:
// "digest:" + the key's hash + ":" + the part, under 40 characters.
func digestButtonID(m bot.PostMark) string {
	return digestPrefix + keyHash(m.Key) + ":" + strconv.Itoa(m.Part)
}

// parseDigestButtonID reads a digest button's custom id.
func parseDigestButtonID(id string) (hash string, part int, ok bool) {
	rest, ok := strings.CutPrefix(id, digestPrefix)
	if !ok {
		return "", 0, false
	}
	hash, num, ok := strings.Cut(rest, ":")
	part, err := strconv.Atoi(num)
	if !ok || err != nil || part < 0 || len(hash) != markHashLen {
		return "", 0, false
	}
	return hash, part, true
}

// withDigestButton returns msg with the Sources button marked m; the
// rendered message itself is left alone.
func withDigestButton(msg message, m bot.PostMark) message {
	msg.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: sourcesLabel, Style: discordgo.SecondaryButton, CustomID: digestButtonID(m),
			Emoji: &discordgo.ComponentEmoji{Name: "📚"}},
	}}}
	return msg
}

// found is the part of a channel message that Find reads.
type found struct {
	ID     string `json:"id"`
	Author struct {
		Bot bool `json:"bot"`
	} `json:"author"`
	Components []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
}

// matchPart records msg's id in ids when it is a part of the post whose
// key hashes to hash: a bot's message with that digest button.
func matchPart(ids []string, msg found, hash string) {
	if !msg.Author.Bot {
		return
	}
	for _, row := range msg.Components {
		for _, c := range row.Components {
			if h, part, ok := parseDigestButtonID(c.CustomID); ok && h == hash && part < len(ids) {
				ids[part] = msg.ID
			}
		}
	}
}
