package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// BindingStore keeps channel bindings; *store.DB is one.
type BindingStore interface {
	bot.Bindings
	Close() error
}

// RunBindings runs the binding tests. open returns two handles on one
// empty database, as two replicas would have.
func RunBindings(t *testing.T, open func(t *testing.T) (a, b BindingStore)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b BindingStore)
	}{
		{"BindAndRead", testBindAndRead},
		{"Rebind", testRebind},
		{"SeenByOtherHandle", testBindingOtherHandle},
		{"BindRace", testBindRace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := open(t)
			defer a.Close()
			defer b.Close()
			tt.fn(t, a, b)
		})
	}
}

func binding(t *testing.T, s BindingStore, scope string) (string, bool) {
	t.Helper()
	slug, ok, err := s.Binding(context.Background(), scope)
	if err != nil {
		t.Fatalf("Binding(%q): %v", scope, err)
	}
	return slug, ok
}

func bind(t *testing.T, s BindingStore, scope, slug string) {
	t.Helper()
	if err := s.Bind(context.Background(), bot.Binding{Scope: scope, Dossier: slug, By: "U1", At: base}); err != nil {
		t.Fatalf("Bind(%q, %q): %v", scope, slug, err)
	}
}

func testBindAndRead(t *testing.T, a, _ BindingStore) {
	ch := bot.ChannelScope("slack", "C1")
	if _, ok := binding(t, a, ch); ok {
		t.Fatal("bound before any binding")
	}
	bind(t, a, ch, "tariffs")
	bind(t, a, bot.WorkspaceScope("slack", "T1"), "election")
	bind(t, a, bot.DMScope("discord"), "tariffs")
	for scope, want := range map[string]string{ch: "tariffs", bot.WorkspaceScope("slack", "T1"): "election", bot.DMScope("discord"): "tariffs"} {
		if got, ok := binding(t, a, scope); !ok || got != want {
			t.Errorf("%s: %q %v, want %q", scope, got, ok, want)
		}
	}
	if _, ok := binding(t, a, bot.ChannelScope("discord", "C1")); ok {
		t.Error("a Slack channel's binding answers for a Discord channel of the same id")
	}
}

func testRebind(t *testing.T, a, _ BindingStore) {
	ch := bot.ChannelScope("discord", "123")
	bind(t, a, ch, "tariffs")
	bind(t, a, ch, "election")
	if got, _ := binding(t, a, ch); got != "election" {
		t.Errorf("after rebinding: %q", got)
	}
}

func testBindingOtherHandle(t *testing.T, a, b BindingStore) {
	ch := bot.ChannelScope("slack", "C9")
	bind(t, a, ch, "tariffs")
	if got, ok := binding(t, b, ch); !ok || got != "tariffs" {
		t.Errorf("other handle: %q %v", got, ok)
	}
	bind(t, b, ch, "election")
	if got, _ := binding(t, a, ch); got != "election" {
		t.Errorf("first handle after the other rebound: %q", got)
	}
}

func testBindRace(t *testing.T, a, b BindingStore) {
	ch := bot.ChannelScope("slack", "C5")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Bind(context.Background(), bot.Binding{Scope: ch, Dossier: fmt.Sprintf("d%d", i), By: "U1", At: base})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Bind: %v", err)
		}
	}
	if got, ok := binding(t, a, ch); !ok || got == "" {
		t.Errorf("after the race: %q %v", got, ok)
	}
}
