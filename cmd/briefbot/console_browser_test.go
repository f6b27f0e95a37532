package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/briefbot/briefbot/internal/testwait"
)

// lockedBuffer collects the server's log while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `briefbot serve` in-process with no configuration but a
// free port and a private data folder, waits for /readyz, and stops it when
// the test ends.
func startServe(t *testing.T, extra ...string) (base string, logs *lockedBuffer) {
	t.Helper()
	return startServeEnv(t, nil, extra...)
}

// startServeEnv is startServe with more environment variables.
func startServeEnv(t *testing.T, more map[string]string, extra ...string) (base string, logs *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{"BRIEFBOT_ADDR": addr, "BRIEFBOT_DATA_DIR": t.TempDir()}
	for k, v := range more {
		vars[k] = v
	}
	logs = &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, extra...), env{stdout: logs, stderr: logs, getenv: func(k string) string { return vars[k] }})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve exited %d:\n%s", code, logs)
		}
	})
	base = "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, logs
			}
		}
		select {
		case code := <-done:
			done <- code // for the cleanup
			t.Fatalf("serve exited %d before it was ready:\n%s", code, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready within 10s:\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// browsers holds the one headless Chromium the browser tests share:
// starting it takes seconds, a new tab in it a few milliseconds. Each test
// gets a tab of its own, and each test's server is on its own port, so
// tests share no page, storage or cookies.
var browsers = struct {
	once     sync.Once
	launched atomic.Bool
	ready    chan struct{} // closed when the browser started or failed to
	ctx      context.Context
	err      error
	cancel   func()
	profile  string
	// turn is held by the browser test driving the browser: they run
	// beside the other parallel tests, one at a time among themselves.
	turn chan struct{}
}{ready: make(chan struct{}), turn: make(chan struct{}, 1)}

// TestMain lets more parallel tests wait at once than there are cores
// (this package's mostly wait: on processes they started, the database,
// the browser), and closes the shared browser, if one was started, after
// the tests.
func TestMain(m *testing.M) {
	testwait.Parallel(16)
	code := m.Run()
	if browsers.launched.Load() {
		<-browsers.ready
		if browsers.cancel != nil {
			browsers.cancel()
			os.RemoveAll(browsers.profile)
		}
	}
	os.Exit(code)
}

// launchBrowser starts headless Chromium with a fresh profile and
// everything that would reach out to the network turned off, once, in the
// background: the first browser test calls it before it waits for its
// turn, so the browser starts while the tests before run.
func launchBrowser(path string) {
	browsers.once.Do(func() {
		browsers.launched.Store(true)
		go func() {
			defer close(browsers.ready)
			browsers.ctx, browsers.cancel, browsers.profile, browsers.err = startBrowser(path)
		}()
	})
}

func startBrowser(path string) (context.Context, func(), string, error) {
	profile, err := os.MkdirTemp("", "briefbot-browser-")
	if err != nil {
		return nil, nil, "", err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// Start it now, so that a browser that is there but cannot run fails
	// the tests with that said, rather than at the first step.
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(profile)
		return nil, nil, "", err
	}
	return ctx, func() { cancelCtx(); cancelAlloc() }, profile, nil
}

// sharedBrowser waits for the shared browser and returns it; a browser
// that did not start fails the test.
func sharedBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	launchBrowser(path)
	<-browsers.ready
	if browsers.err != nil {
		t.Fatalf("the browser at %s did not start: %v", path, browsers.err)
	}
	return browsers.ctx
}

// newBrowser waits for the test's turn on the shared browser, held until
// the test and its later cleanups end, and opens a new tab in it, closed
// when the test ends, with a minute for the rest of the test.
func newBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	browsers.turn <- struct{}{}
	t.Cleanup(func() { <-browsers.turn })
	ctx, cancelTab := chromedp.NewContext(sharedBrowser(t, path))
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelTab() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new tab in the browser at %s: %v", path, err)
	}
	return ctx
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// textContent reads text even inside a closed <details>.
func textContent(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text content of %s: %v", sel, err)
	}
	return s
}

func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

// waitText waits until the element's text contains want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s to contain %q: %v", sel, want, err)
	}
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestConsoleInBrowser(t *testing.T) {
	path := needBrowser(t)
	base, logs := startServe(t)
	ctx := newBrowser(t, path)

	do(t, ctx, "open the console",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))

	// Type the start of a command: the table's hint offers /stance; Tab takes it.
	do(t, ctx, "type /sta",
		chromedp.Click(chromedp.CSS("#command")),
		chromedp.SendKeys(chromedp.CSS("#command"), "/sta"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions li")))
	waitText(t, ctx, "#suggestions", "/stance")
	waitText(t, ctx, "#hint", "/stance <actor>")
	do(t, ctx, "take the suggestion with Tab", chromedp.SendKeys(chromedp.CSS("#command"), kb.Tab))
	if v := value(t, ctx, "#command"); v != "/stance " {
		t.Fatalf("after Tab the input holds %q, want %q", v, "/stance ")
	}

	// Type part of an actor's name; click the completion.
	do(t, ctx, "type pol",
		chromedp.SendKeys(chromedp.CSS("#command"), "pol"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions li")))
	waitText(t, ctx, "#suggestions", "poland")
	do(t, ctx, "click the suggestion", chromedp.Click(chromedp.CSS("#suggestions li")))
	if v := value(t, ctx, "#command"); v != "/stance poland" {
		t.Fatalf("after clicking the suggestion the input holds %q", v)
	}

	// Ask: the answer, and both previews drawn from the adapters' payloads.
	do(t, ctx, "ask", chromedp.SendKeys(chromedp.CSS("#command"), kb.Enter))
	waitText(t, ctx, "#answer .reply .title", "Poland")
	if s := text(t, ctx, "#answer .sources"); !strings.Contains(s, "d000") {
		t.Errorf("the answer lists no sources: %q", s)
	}
	if s := text(t, ctx, "#answer .bullets"); !strings.Contains(s, "[1 ¶") {
		t.Errorf("the answer's bullets carry no citations: %.200q", s)
	}
	waitText(t, ctx, "#preview-slack .slack-msg .sk-header", "Poland")
	waitText(t, ctx, "#preview-discord .discord-msg .embed-title", "Poland")
	if s := textContent(t, ctx, "#preview-slack-json"); !strings.Contains(s, `"blocks"`) {
		t.Errorf("the Slack payload shown is not Block Kit: %.200q", s)
	}
	if s := textContent(t, ctx, "#preview-discord-json"); !strings.Contains(s, `"embeds"`) {
		t.Errorf("the Discord payload shown has no embeds: %.200q", s)
	}

	// An unknown actor is answered as such, and what was typed is shown as text.
	do(t, ctx, "ask about an unknown actor",
		clearInput("#command"),
		chromedp.SendKeys(chromedp.CSS("#command"), "/stance <b>atlantis</b>"+kb.Enter))
	waitText(t, ctx, "#answer .reply .title", "No actor by that name")
	if s := text(t, ctx, "#answer .reply .intro"); !strings.Contains(s, "<b>atlantis</b>") {
		t.Errorf("the unknown name is not echoed as plain text: %q", s)
	}
	bold, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("#answer b, #preview-slack b, #preview-discord b")].some(b => b.textContent === "atlantis")`))
	if err != nil || bold {
		t.Errorf("typed markup became page markup (err %v)", err)
	}
	outcome, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#answer .reply"), "data-outcome"))
	if err != nil || outcome.Value != "not_found" {
		t.Errorf("outcome attribute %+v, %v; want not_found", outcome, err)
	}

	// Each command was logged with its outcome and latency, and never its text.
	waitLog(t, logs, "command=stance outcome=not_found")
	l := logs.String()
	if !strings.Contains(l, "command=stance outcome=ok") || !strings.Contains(l, "command=stance outcome=not_found") {
		t.Errorf("the log lacks a line per command:\n%s", l)
	}
	if strings.Contains(l, "atlantis") {
		t.Error("the log contains what the user typed")
	}
}

// TestConsolePrefixInBrowser: with a prefix, the console's hints name the
// commands with it and say how Slack names /who; each preview names the
// commands as its platform registers them.
func TestConsolePrefixInBrowser(t *testing.T) {
	path := needBrowser(t)
	base, _ := startServeEnv(t, map[string]string{"BRIEFBOT_COMMAND_PREFIX": "bb-"})
	ctx := newBrowser(t, path)
	do(t, ctx, "open the console",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	do(t, ctx, "type /bb-wh",
		chromedp.Click(chromedp.CSS("#command")),
		chromedp.SendKeys(chromedp.CSS("#command"), "/bb-wh"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions li")))
	waitText(t, ctx, "#suggestions", "/bb-who")
	waitText(t, ctx, "#hint", "/bb-who <person>")
	waitText(t, ctx, "#hint", "on Slack: /bb-whois <person>")
	// The bot takes a command without its prefix too; so do the hints.
	do(t, ctx, "type /stance without the prefix",
		clearInput("#command"),
		chromedp.SendKeys(chromedp.CSS("#command"), "/stance "))
	waitText(t, ctx, "#hint", "/bb-stance <actor>")
	if s := textContent(t, ctx, "#hint"); strings.Contains(s, "Unknown command") {
		t.Errorf("the hint calls /stance unknown: %q", s)
	}
	do(t, ctx, "ask for help",
		clearInput("#command"),
		chromedp.SendKeys(chromedp.CSS("#command"), "/bb-help"+kb.Enter))
	waitText(t, ctx, "#answer .reply", "/bb-who <person>")
	waitText(t, ctx, "#preview-slack", "/bb-whois <person>")
	waitText(t, ctx, "#preview-discord", "/bb-who <person>")
	if s := textContent(t, ctx, "#preview-discord"); strings.Contains(s, "whois") {
		t.Errorf("the Discord preview names /whois, which Discord does not have: %.300q", s)
	}
}
