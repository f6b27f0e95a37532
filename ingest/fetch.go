package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Kinds of source text.
const (
	KindHTML     = "html"
	KindText     = "text"
	KindMarkdown = "markdown"
)

// Source is one document as received: a file's or a page's bytes, what
// kind of text they are, and where they came from.
type Source struct {
	Name        string // the file or URL as given
	URL         string // the final URL after redirects; empty for a file
	Kind        string // KindHTML, KindText or KindMarkdown
	ContentType string // as the server sent it, for the charset
	Body        []byte
	Fetched     time.Time
}

// privateAddrError refuses a connection to an address that is not public.
type privateAddrError struct{ addr netip.Addr }

func (e *privateAddrError) Error() string {
	return fmt.Sprintf("%s is a private, loopback or link-local address; ingest fetches only public addresses unless --allow-private is given", e.addr)
}

// fetcher fetches pages over http(s) with the checks ingest promises.
type fetcher struct {
	client    *http.Client
	maxBytes  int64
	allowAddr func(netip.Addr) bool
}

func newFetcher(o Options) *fetcher {
	f := &fetcher{maxBytes: o.MaxBytes, allowAddr: o.allowAddr}
	if f.allowAddr == nil {
		f.allowAddr = publicAddr
		if o.AllowPrivate {
			f.allowAddr = func(netip.Addr) bool { return true }
		}
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: f.control}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would hide the address actually reached
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  o.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
	f.client = &http.Client{Transport: transport, Timeout: o.Timeout, CheckRedirect: checkRedirect}
	return f
}

// control runs after DNS resolution, on the very address being dialled,
// for the first request and every redirect alike.
func (f *fetcher) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("ingest: cannot check address %q: %w", address, err)
	}
	if !f.allowAddr(ap.Addr().Unmap()) {
		return &privateAddrError{ap.Addr().Unmap()}
	}
	return nil
}

// publicAddr reports whether a reaches the public internet: not loopback,
// private, link-local, shared (CGNAT), multicast or unspecified.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || !a.IsValid() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach private IPv4
	netip.MustParsePrefix("2002::/16"),    // 6to4 likewise
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirected to %q, which is not http(s)", redact(req.URL))
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// fetch gets one URL and says clearly why when it cannot be ingested.
func (f *fetcher) fetch(ctx context.Context, raw string) (*Source, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "briefbot-ingest (+https://github.com/briefbot/briefbot)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fetchError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered HTTP %d", redact(resp.Request.URL), resp.StatusCode)
	}
	if resp.ContentLength > f.maxBytes {
		return nil, fmt.Errorf("the page is %d bytes, more than the %d allowed (--max-bytes)", resp.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fetchError(err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("the page is more than the %d bytes allowed (--max-bytes)", f.maxBytes)
	}
	ct := resp.Header.Get("Content-Type")
	kind, err := kindOfContent(ct, body)
	if err != nil {
		return nil, err
	}
	return &Source{Name: raw, URL: resp.Request.URL.String(), Kind: kind, ContentType: ct, Body: body}, nil
}

// fetchError turns the client's errors into what a curator can act on.
func fetchError(err error) error {
	var ue *url.Error
	var pe *privateAddrError
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.As(err, &ue) && ue.Timeout():
		return fmt.Errorf("timed out fetching %s", ue.URL)
	case errors.As(err, &ue):
		return fmt.Errorf("fetching %s: %v", ue.URL, ue.Err)
	}
	return err
}

// kindOfContent decides from the Content-Type and the bytes themselves
// whether a page is text briefbot can ingest.
func kindOfContent(ct string, body []byte) (string, error) {
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case bytes.HasPrefix(body, []byte("%PDF-")) || mt == "application/pdf":
		return "", errors.New("the URL is a PDF; briefbot ingests HTML pages and text, not PDF: save the article's text as a .txt file and ingest that")
	case mt == "text/html" || mt == "application/xhtml+xml":
		return KindHTML, nil
	case mt == "text/markdown" || mt == "text/x-markdown":
		return KindMarkdown, nil
	case mt == "text/plain":
		return KindText, nil
	case mt == "" && strings.HasPrefix(http.DetectContentType(body), "text/html"):
		return KindHTML, nil
	case mt == "" && strings.HasPrefix(http.DetectContentType(body), "text/plain"):
		return KindText, nil
	}
	if mt == "" {
		mt = http.DetectContentType(body)
	}
	return "", fmt.Errorf("the URL is not a text page (Content-Type %s)", mt)
}

// redact drops credentials and the query from a URL for messages.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.Fragment = ""
	return c.String()
}
