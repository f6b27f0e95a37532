package main

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestConsoleDossierPicker: with two dossiers the console shows a picker;
// a command asked with the other dossier picked answers from it, and its
// completions are that dossier's names.
func TestConsoleDossierPicker(t *testing.T) {
	path := needBrowser(t)
	velmora, err := filepath.Abs("../../testdata/dossiers/velmora")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := startServeEnv(t, map[string]string{"BRIEFBOT_DOSSIERS": velmora})
	ctx := newBrowser(t, path)
	do(t, ctx, "open the console",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.CSS("#dossier-pick")))
	waitText(t, ctx, "#dossier", "The Velmora harbour levy (fictional) (velmora)")
	do(t, ctx, "pick velmora and type /stance pil",
		chromedp.SetValue(chromedp.CSS("#dossier"), "velmora"),
		chromedp.Click(chromedp.CSS("#command")),
		chromedp.SendKeys(chromedp.CSS("#command"), "/stance pil"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions li")))
	waitText(t, ctx, "#suggestions", "Harbour Pilots' Guild")
	do(t, ctx, "ask",
		clearInput("#command"),
		chromedp.SendKeys(chromedp.CSS("#command"), "/stance pilots"+kb.Enter))
	waitText(t, ctx, "#answer .reply", "Harbour Pilots' Guild: stance on the harbour measures")
}
