package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// discordHosts are the hosts discordgo's endpoints point at.
var discordHosts = [...]string{"discord.com", "discordapp.com"}

// requestTimeout bounds one REST request.
const requestTimeout = 20 * time.Second

// newHTTPClient returns the client for Discord's REST API. With a base URL
// (DISCORD_API_URL), requests to discord.com go there instead: scheme and
// host are replaced and the base's path is put in front. discordgo's
// endpoint variables are left alone.
func newHTTPClient(apiURL string, client *http.Client) (*http.Client, error) {
	c := &http.Client{Timeout: requestTimeout}
	if client != nil {
		c = &http.Client{Timeout: client.Timeout, Transport: client.Transport}
	}
	if apiURL == "" {
		return c, nil
	}
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: api url %q is not an http(s) URL", apiURL)
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &rewriter{base: base, next: next}
	return c, nil
}

// rewriter sends requests for Discord's hosts to another base URL.
type rewriter struct {
	base *url.URL
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper without changing the caller's
// request.
func (t *rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isDiscordHost(r.URL.Host) {
		return t.next.RoundTrip(r)
	}
	out := r.Clone(r.Context())
	out.URL.Scheme = t.base.Scheme
	out.URL.Host = t.base.Host
	out.URL.Path = strings.TrimSuffix(t.base.Path, "/") + r.URL.Path
	if r.URL.RawPath != "" {
		out.URL.RawPath = strings.TrimSuffix(t.base.EscapedPath(), "/") + r.URL.RawPath
	}
	out.Host = t.base.Host
	return t.next.RoundTrip(out)
}

func isDiscordHost(host string) bool {
	for _, h := range discordHosts {
		if host == h {
			return true
		}
	}
	return false
}
