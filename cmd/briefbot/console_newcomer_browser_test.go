package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// evalBool evaluates a JavaScript expression that returns a boolean.
func evalBool(t *testing.T, ctx context.Context, what, js string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// evalString evaluates a JavaScript expression that returns a string.
func evalString(t *testing.T, ctx context.Context, what, js string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// clearInput empties an input as a user would see it (chromedp.Clear only
// resets the value attribute, not what was typed).
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); e.value = ""; e.focus(); return true; })()`)(ctx, t)
		return err
	})
}

// overflowJS lists the elements under a selector that stick out of it
// without a scrollable box of their own to hold them: what a reader would
// see cut or spilling off the page.
const overflowJS = `((sel) => {
  const root = document.querySelector(sel);
  if (!root) return "no " + sel;
  const edge = root.getBoundingClientRect().right + 1;
  const out = [];
  for (const e of root.querySelectorAll("*")) {
    if (e.getBoundingClientRect().right <= edge || e.getClientRects().length === 0) continue;
    let held = false;
    for (let a = e.parentElement; a && a !== root; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") { held = a.getBoundingClientRect().right <= edge; if (held) break; }
    }
    if (!held) out.push(e.tagName.toLowerCase() + "." + e.className);
  }
  return out.slice(0, 5).join(", ");
})`

// shot saves a screenshot of the page to $CONSOLE_SHOTS/name.png when that
// folder is set, for a person to look at.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CONSOLE_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestConsoleNewcomerInBrowser walks the console as a new user: the empty
// page shows no empty panes and no suggestion list; Ask with nothing typed
// says what to do; an answer's previews are the private reply (labelled,
// "only visible to you", with Show sources and Share in channel) and the
// shared post; the Discord footer keeps its lines; /matrix in a narrow
// window is an HTML table coloured by stance whose cells open their claims,
// the Slack preview a table block and the Discord preview its picture, and
// nothing spills out of its pane.
func TestConsoleNewcomerInBrowser(t *testing.T) {
	path := needBrowser(t)
	base, _ := startServe(t)
	ctx := newBrowser(t, path)
	do(t, ctx, "open the console",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.Sleep(300*time.Millisecond))
	shot(t, ctx, "1-empty")

	// The empty console: no panes, no suggestion list over the page.
	if evalBool(t, ctx, "results displayed", `getComputedStyle(document.getElementById("results")).display !== "none"`) {
		t.Error("the empty Answer, Slack and Discord panes are displayed")
	}
	if evalBool(t, ctx, "suggestions displayed", `getComputedStyle(document.getElementById("suggestions")).display !== "none"`) {
		t.Error("a suggestion list opened by itself on load")
	}
	// Ask with nothing typed says what to do.
	do(t, ctx, "press Ask with nothing typed", chromedp.Click(chromedp.CSS(`#ask button[type="submit"]`)))
	waitText(t, ctx, "#hint", "Type a command first")

	// An answer: the private reply, labelled, as Slack and Discord show it.
	do(t, ctx, "ask /stance poland", chromedp.SendKeys(chromedp.CSS("#command"), "/stance poland"+kb.Enter))
	waitText(t, ctx, "#answer .reply .title", "Poland")
	for _, p := range []struct{ sel, only string }{{"#preview-slack", "Only visible to you"}, {"#preview-discord", "Only you can see this"}} {
		waitText(t, ctx, p.sel+" .form-label", "Private reply")
		got := text(t, ctx, p.sel)
		for _, want := range []string{p.only, "Show sources", "Share in channel", "Shared post"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s private reply lacks %q", p.sel, want)
			}
		}
		do(t, ctx, "show the shared post", chromedp.Click(chromedp.CSS(p.sel+` .form-tab[data-form="shared"]`)))
		waitText(t, ctx, p.sel+" .form-label", "Shared post")
		if got := text(t, ctx, p.sel+" .form-panel .msg-head"); strings.Contains(got, p.only) {
			t.Errorf("%s shared post still says %q: %q", p.sel, p.only, got)
		}
		if evalBool(t, ctx, "share button", `[...document.querySelectorAll("`+p.sel+` .form-panel .sk-button, `+p.sel+` .form-panel .dc-button")].some((b) => b.textContent.includes("Share in channel"))`) {
			t.Errorf("%s shared post still has the Share in channel button", p.sel)
		}
	}
	// The Discord footer keeps one source a line.
	if !evalBool(t, ctx, "footer", `(() => { const f = document.querySelector("#preview-discord .embed-footer");
		return !!f && getComputedStyle(f).whiteSpace === "pre-wrap" && f.textContent.includes("\n") && f.getBoundingClientRect().height > 20; })()`) {
		t.Error("the Discord preview runs the footer's lines together")
	}
	shot(t, ctx, "2-stance")

	// /matrix in a narrow window.
	do(t, ctx, "narrow the window and ask /matrix",
		chromedp.EmulateViewport(560, 900),
		clearInput("#command"),
		chromedp.SendKeys(chromedp.CSS("#command"), "/matrix"+kb.Enter))
	if v := value(t, ctx, "#command"); v != "/matrix" {
		t.Fatalf("the input holds %q", v)
	}
	waitText(t, ctx, "#answer .reply .title", "Positions at a glance")
	do(t, ctx, "the table", chromedp.WaitVisible(chromedp.CSS("#answer table.matrix td .cell-btn")))
	if n := evalString(t, ctx, "tones", `String(document.querySelectorAll("#answer table.matrix .part.tone-rejects").length) + "/" +
		String(document.querySelectorAll("#answer table.matrix .part.tone-offers").length)`); strings.HasPrefix(n, "0/") || strings.HasSuffix(n, "/0") {
		t.Errorf("the matrix is not coloured by stance (rejects/offers parts: %s)", n)
	}
	if code := evalString(t, ctx, "a split cell", `(() => { const b = [...document.querySelectorAll("#answer .cell-btn")].find((x) => x.textContent === "R|S");
		return b ? [...b.querySelectorAll(".part")].map((p) => p.className).join(" ; ") : ""; })()`); !strings.Contains(code, "tone-rejects") || !strings.Contains(code, "tone-supports after-bar") {
		t.Errorf("the R|S cell is not drawn as own part, then what is backed for others: %q", code)
	}
	do(t, ctx, "open a cell", chromedp.Click(chromedp.CSS(`#answer .cell-btn`)))
	do(t, ctx, "its claims", chromedp.WaitVisible(chromedp.CSS("#answer .cell-claims .bullets li")))
	if got := text(t, ctx, "#answer .cell-claims"); !strings.Contains(got, "×") || !strings.Contains(got, "[") {
		t.Errorf("the opened cell does not show its claims with their citations: %.300q", got)
	}
	do(t, ctx, "the Discord picture", chromedp.WaitVisible(chromedp.CSS("#preview-discord img.embed-image")))
	if !evalBool(t, ctx, "picture loaded", `(() => { const i = document.querySelector("#preview-discord img.embed-image"); return i.complete && i.naturalWidth > 400; })()`) {
		t.Error("the Discord preview's picture did not load")
	}
	if !evalBool(t, ctx, "Slack table", `!!document.querySelector("#preview-slack .sk-table td")`) {
		t.Error("the Slack preview does not draw the table block")
	}
	for _, sel := range []string{"#results", ".answer-pane", "#preview-slack", "#preview-discord"} {
		if out := evalString(t, ctx, "overflow of "+sel, overflowJS+`("`+sel+`")`); out != "" {
			t.Errorf("in a 560-pixel window, %s is cut or spills over: %s", sel, out)
		}
	}
	// A code block in a preview wraps its long lines, as Slack and Discord
	// do, instead of cutting them (a table too large for a picture is one).
	for _, sel := range []string{"#preview-discord .embed-desc", "#preview-slack .sk-section"} {
		if !evalBool(t, ctx, "code block in "+sel, `(() => { const host = document.querySelector("`+sel+`");
			const pre = document.createElement("pre"); pre.textContent = "United Kingdom   ·    ·    O/U* ".repeat(12);
			host.append(pre); const ok = pre.scrollWidth <= pre.clientWidth + 1 && pre.getBoundingClientRect().right <= host.getBoundingClientRect().right + 1;
			pre.remove(); return ok; })()`) {
			t.Errorf("a long line in a code block of %s is cut", sel)
		}
	}
	if evalBool(t, ctx, "page overflow", `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`) {
		t.Error("the page scrolls sideways in a 560-pixel window")
	}
	shot(t, ctx, "3-matrix-narrow")
}
