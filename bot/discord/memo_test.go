package discord

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestMemoBoundedAndExpiring(t *testing.T) {
	m := newMemo(3, time.Minute)
	now := time.Now()
	for i := range 5 {
		if !m.add(fmt.Sprint(i), "v", now) {
			t.Fatalf("%d not new", i)
		}
	}
	if m.len() != 3 {
		t.Errorf("holds %d, bound 3", m.len())
	}
	if m.add("4", "v", now) {
		t.Error("4 added twice")
	}
	if _, ok := m.get("0", now); ok {
		t.Error("oldest entry kept past the bound")
	}
	if _, ok := m.get("4", now.Add(2*time.Minute)); ok {
		t.Error("entry kept past its ttl")
	}
	if !m.add("4", "v", now.Add(2*time.Minute)) || m.len() != 1 {
		t.Errorf("after expiry: %d entries", m.len())
	}
	for i := range 10_000 {
		m.add(fmt.Sprint("k", i), "v", now)
	}
	if m.len() != 3 || len(m.queue) > 2*3 {
		t.Errorf("after churn: %d entries, queue %d", m.len(), len(m.queue))
	}
}

func TestTransportRewritesDiscordOnly(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Host + " " + r.URL.Path }))
	defer srv.Close()
	c, err := newHTTPClient(srv.URL+"/proxy/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://discord.com/api/v9/gateway", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := srv.Listener.Addr().String() + " /proxy/api/v9/gateway"; got != want {
		t.Errorf("request went to %q, want %q", got, want)
	}
	if req.URL.Host != "discord.com" {
		t.Error("the caller's request was changed")
	}
	if _, err := newHTTPClient("ftp://x", nil); err == nil {
		t.Error("ftp URL accepted")
	}
}
