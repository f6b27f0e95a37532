package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestConsoleCitationInBrowser: a click on a citation opens its paragraph
// word for word under the claim, with its document line and a link to the
// paragraph in the documents reader; a second click closes it; a reported
// claim says according to whom.
func TestConsoleCitationInBrowser(t *testing.T) {
	path := needBrowser(t)
	base, _ := startServe(t)
	ctx := newBrowser(t, path)
	do(t, ctx, "open the console",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	do(t, ctx, "ask /stance poland",
		chromedp.Click(chromedp.CSS("#command")),
		chromedp.SendKeys(chromedp.CSS("#command"), "/stance poland"+kb.Enter))
	waitText(t, ctx, "#answer .reply .title", "Poland")

	do(t, ctx, "click the first citation", chromedp.Click(chromedp.CSS("#answer .bullets .cite")))
	waitText(t, ctx, "#answer .bullets .paras", "We will not send Polish soldiers to Ukraine.")
	if s := text(t, ctx, "#answer .bullets .paras figcaption"); !strings.Contains(s, "d000 ¶24") || !strings.Contains(s, "open in document") {
		t.Errorf("the paragraph's caption is %q", s)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#answer .bullets .paras a.open-doc"), "href"))
	if err != nil || href.Value != "#doc/d000/p24" {
		t.Errorf("open in document links to %+v (%v)", href, err)
	}
	do(t, ctx, "click the citation again", chromedp.Click(chromedp.CSS("#answer .bullets .cite")))
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#answer .bullets .paras").hidden`))
	if err != nil || !hidden {
		t.Errorf("a second click left the paragraph open (err %v)", err)
	}

	// The paragraph's own address opens it in the documents reader.
	do(t, ctx, "open d000 ¶24 by its address", chromedp.Navigate(base+"/#doc/d000/p24"),
		chromedp.WaitVisible(chromedp.CSS("#para-p24.target")))
	waitText(t, ctx, "#para-p24", "Defense Minister Władysław Kosiniak-Kamysz rejects")

	do(t, ctx, "ask /stance uk by its address",
		chromedp.Navigate(base+"/#%2Fstance%20uk"),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	waitText(t, ctx, "#answer .reply .title", "United Kingdom")
	waitText(t, ctx, "#answer .reply .reported", "Reported, according to the Independent.")
}
