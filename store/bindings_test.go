package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

func TestSQLiteBindings(t *testing.T) {
	storetest.RunBindings(t, func(t *testing.T) (storetest.BindingStore, storetest.BindingStore) {
		a, b := twoSQLite(t)
		return a, b
	})
}

func TestPostgresBindings(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	storetest.RunBindings(t, func(t *testing.T) (storetest.BindingStore, storetest.BindingStore) {
		a, b := twoPostgres(t, url)
		return a, b
	})
}

func twoSQLite(t *testing.T) (*store.DB, *store.DB) {
	dir := filepath.Join(t.TempDir(), "data")
	a, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func twoPostgres(t *testing.T, url string) (*store.DB, *store.DB) {
	a, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`TRUNCATE dossier_bindings`); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// TestReplicasAgreeOnBinding: two engines, as two replicas, on one
// database: a channel bound through one answers from that dossier through
// the other, and survives a restart (a new engine on a new handle).
func TestReplicasAgreeOnBinding(t *testing.T) {
	for _, db := range []struct {
		name string
		open func(t *testing.T) (*store.DB, *store.DB)
	}{
		{"sqlite", twoSQLite},
		{"postgres", func(t *testing.T) (*store.DB, *store.DB) { return twoPostgres(t, storetest.PostgresURL(t)) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			a, b := db.open(t)
			defer a.Close()
			defer b.Close()
			sets := func() []*briefs.Set {
				var out []*briefs.Set
				for _, src := range []briefs.Source{{}, briefs.FolderSource("../testdata/dossiers/velmora")} {
					set, err := src.Load()
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, set)
				}
				return out
			}
			now := time.Now()
			clock := func() time.Time { return now }
			engine := func(s *store.DB) *bot.Engine {
				e, err := bot.NewDossiers(sets(), bot.Options{Bindings: s, Now: clock})
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			ask := func(e *bot.Engine, text string, manage bool) *bot.Reply {
				return e.Handle(context.Background(), bot.Request{Platform: bot.PlatformDiscord, Workspace: "G1", ChannelID: "42", UserID: "7", Text: text, CanManage: manage})
			}
			one, other := engine(a), engine(b)
			if r := ask(other, "/who reed", false); r.Outcome == bot.OutcomeOK {
				t.Fatal("answered from the fictional dossier before any binding")
			}
			if r := ask(one, "/dossier use velmora", true); r.Outcome != bot.OutcomeOK {
				t.Fatal(bot.RenderText(r))
			}
			now = now.Add(bot.DefaultBindingTTL + time.Second)
			if r := ask(other, "/who reed", false); r.Outcome != bot.OutcomeOK {
				t.Errorf("the other replica: %s %s", r.Outcome, r.Title)
			}
			restarted := engine(b)
			if r := ask(restarted, "/dossier", false); !strings.Contains(bot.RenderText(r), "bound to this channel") {
				t.Errorf("after a restart: %s", bot.RenderText(r))
			}
		})
	}
}
