package discord

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestDecodeMatchesDiscordgo decodes the same bodies with the adapter's
// decoder and with discordgo's, and compares every field the adapter reads.
func TestDecodeMatchesDiscordgo(t *testing.T) {
	bodies := [][]byte{
		pingJSON("1"),
		commandJSON("2", 2, "stance", 16, opt{Name: "actor", Type: 3, Value: "poland"}),
		commandJSON("3", 4, "compare", 0, opt{Name: "other", Type: 3, Value: "ger", Focused: true}),
		buttonJSON("4", "share:/stance poland"),
		[]byte(`{"id":"5","type":2,"token":"t","data":{"name":"stance","options":[{"name":"x","type":1,"options":[{"name":"y","type":3,"value":7}]}]}}`),
		[]byte(`{"id":"6","type":3,"token":"t","application_id":"9","message":{"components":[{"type":1,"components":[{"type":2}]}]},"data":{"custom_id":"sharekey:AAAA","component_type":2}}`),
		[]byte(`{"id":"7","type":2,"token":"t","channel_id":"42","user":{"id":"77","username":"x"},"data":{"name":"help"}}`),
		[]byte(`{"id":"8","type":2,"token":"t","guild_id":"1","member":{"permissions":"16","roles":["1"],"user":{"id":"88"}},"data":{"name":"help","options":[{"name":"b","type":5,"value":true},{"name":"n","type":10,"value":2.5}]}}`),
	}
	files, _ := filepath.Glob("testdata/fuzz/FuzzDecodeInteraction/*")
	for _, f := range files {
		if b, ok := fuzzSeed(t, f); ok {
			bodies = append(bodies, b)
		}
	}
	for _, body := range bodies {
		got, err := decodeInteraction(body)
		var want discordgo.Interaction
		werr := json.Unmarshal(body, &want)
		if werr != nil || want.ID == "" || want.Type == 0 || (want.Type != discordgo.InteractionPing && want.Token == "") {
			if err == nil && werr != nil {
				// Looser on fields the adapter never reads is fine;
				// the fields it reads must still agree below.
				t.Logf("%s: accepted, discordgo refuses: %v", body, werr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v; discordgo decodes it", body, err)
			continue
		}
		if got.ID != want.ID || got.AppID != want.AppID || got.Type != want.Type || got.Token != want.Token || got.ChannelID != want.ChannelID {
			t.Errorf("%s: header fields %+v; want %+v", body, got, want)
		}
		if (got.Member == nil) != (want.Member == nil) || got.Member != nil && (got.Member.Permissions != want.Member.Permissions ||
			(got.Member.User == nil) != (want.Member.User == nil) || got.Member.User != nil && got.Member.User.ID != want.Member.User.ID) {
			t.Errorf("%s: member %+v; want %+v", body, got.Member, want.Member)
		}
		if (got.User == nil) != (want.User == nil) || got.User != nil && got.User.ID != want.User.ID {
			t.Errorf("%s: user %+v; want %+v", body, got.User, want.User)
		}
		switch wd := want.Data.(type) {
		case discordgo.ApplicationCommandInteractionData:
			gd, ok := got.Data.(discordgo.ApplicationCommandInteractionData)
			if !ok || gd.Name != wd.Name || !reflect.DeepEqual(gd.Options, wd.Options) {
				t.Errorf("%s: data %+v; want %+v", body, got.Data, wd)
			}
		case discordgo.MessageComponentInteractionData:
			gd, ok := got.Data.(discordgo.MessageComponentInteractionData)
			if !ok || gd.CustomID != wd.CustomID || gd.ComponentType != wd.ComponentType {
				t.Errorf("%s: data %+v; want %+v", body, got.Data, wd)
			}
		}
	}
}

// fuzzSeed reads the body out of a file of the fuzz corpus.
func fuzzSeed(t *testing.T, path string) ([]byte, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, v, ok := strings.Cut(string(raw), "[]byte(")
	if !ok {
		return nil, false
	}
	v = strings.TrimSuffix(strings.TrimSpace(v), ")")
	var s string
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}
