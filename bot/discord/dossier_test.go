package discord

import (
	"slices"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

func twoDossiers(t *testing.T) *bot.Engine {
	t.Helper()
	var sets []*briefs.Set
	for _, src := range []briefs.Source{{}, briefs.FolderSource("../../testdata/dossiers/velmora")} {
		set, err := src.Load()
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set)
	}
	e, err := bot.NewDossiers(sets, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDossierOption: the dossier option asks one command of another
// dossier, completes from the loaded dossiers, and makes the other
// options complete from that dossier.
func TestDossierOption(t *testing.T) {
	k := newTestKey(t)
	e := twoDossiers(t)
	a := newHTTPAdapter(t, e, k, newFakeDiscord(t).srv.URL)
	body := commandJSON("dos1", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "pilots"}, opt{Name: "dossier", Type: 3, Value: "velmora"})
	if w := serve(a, k.signed(body, time.Now())); !contains(w.Body.Bytes(), "stance on the harbour measures") {
		t.Errorf("stance in velmora: %s", w.Body)
	}
	body = commandJSON("dos2", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "pilots"}, opt{Name: "dossier", Type: 3, Value: "nowhere at all"})
	if w := serve(a, k.signed(body, time.Now())); !contains(w.Body.Bytes(), "No dossier by that name") {
		t.Errorf("junk dossier: %s", w.Body)
	}
	body = commandJSON("dos3", 4, "stance", 0, opt{Name: "dossier", Type: 3, Value: "vel", Focused: true})
	if d := decode(t, serve(a, k.signed(body, time.Now())).Body.Bytes()); len(d.Data.Choices) != 1 || d.Data.Choices[0].Value != "velmora" {
		t.Errorf("dossier completion: %+v", d.Data.Choices)
	}
	body = commandJSON("dos4", 4, "stance", 0, opt{Name: "dossier", Type: 3, Value: "velmora"}, opt{Name: "actor", Type: 3, Value: "pil", Focused: true})
	if d := decode(t, serve(a, k.signed(body, time.Now())).Body.Bytes()); len(d.Data.Choices) == 0 || d.Data.Choices[0].Value != "pilots" {
		t.Errorf("actor completion in velmora: %+v", d.Data.Choices)
	}
}

// TestRegisterDossierOption: every command that answers from a dossier is
// registered with an optional, autocompleted dossier option; settings
// commands are not.
func TestRegisterDossierOption(t *testing.T) {
	cmds, err := applicationCommands(twoDossiers(t).Naming(bot.PlatformDiscord))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		i := slices.IndexFunc(c.Options, func(o *discordgo.ApplicationCommandOption) bool { return o.Name == "dossier" })
		switch {
		case c.Name == "dossier" && i >= 0:
			t.Errorf("/dossier has a dossier option")
		case c.Name != "dossier" && i < 0:
			t.Errorf("/%s has no dossier option", c.Name)
		case i >= 0 && (c.Options[i].Required || !c.Options[i].Autocomplete):
			t.Errorf("/%s: dossier option %+v", c.Name, c.Options[i])
		}
	}
}
