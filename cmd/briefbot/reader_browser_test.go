package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDocumentsReaderInBrowser: a citation in an answer, opened in place,
// links to the documents reader at its paragraph, marked; the list of documents shows
// their coverage; furniture is greyed out.
func TestDocumentsReaderInBrowser(t *testing.T) {
	path := needBrowser(t)
	base, _ := startServe(t)
	ctx := newBrowser(t, path)
	do(t, ctx, "ask from the address bar",
		chromedp.Navigate(base+"/#"+"%2Fstance%20poland"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	waitText(t, ctx, "#answer .reply .title", "Poland")
	do(t, ctx, "open a citation in place", chromedp.Click(chromedp.CSS("#answer .bullets .cite")),
		chromedp.WaitVisible(chromedp.CSS("#answer .bullets .paras a.open-doc")))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#answer .bullets .paras a.open-doc"), "href"))
	if err != nil || !strings.HasPrefix(href.Value, "#doc/d") {
		t.Fatalf("open in document links to %q (%v), want #doc/<doc>/<para>", href.Value, err)
	}
	do(t, ctx, "open it in the document", chromedp.Click(chromedp.CSS("#answer .bullets .paras a.open-doc")))
	target := "#para-" + href.Value[strings.LastIndex(href.Value, "/")+1:]
	do(t, ctx, "the paragraph is marked", chromedp.WaitVisible(chromedp.CSS(target+".target")))
	if s := text(t, ctx, target+" .para-claims"); !strings.Contains(s, "Poland") {
		t.Errorf("the cited paragraph does not show the claims citing it: %q", s)
	}
	do(t, ctx, "back to the answer", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#answer .reply")))

	do(t, ctx, "open the documents list",
		chromedp.Navigate(base+"/#docs"),
		chromedp.WaitVisible(chromedp.CSS("table.docs tbody tr")))
	waitText(t, ctx, "table.docs", "cited")
	do(t, ctx, "open d004 at p14",
		chromedp.Navigate(base+"/#doc/d004/p14"),
		chromedp.WaitVisible(chromedp.CSS("#para-p14.target.furniture")))
	waitText(t, ctx, "#para-p14", "furniture: video placeholder")
}
