package bot

import (
	"fmt"
	"slices"

	"github.com/briefbot/briefbot/briefs"
)

// changes is what differs between two snapshots, in the set's order.
type changes struct {
	docs    []string        // new document ids
	added   []*briefs.Claim // claims not in the previous snapshot
	changed []*briefs.Claim // claims whose content hash differs
	removed []string        // ids of claims no longer in the set, sorted
}

func (c changes) empty() bool {
	return len(c.docs) == 0 && len(c.added) == 0 && len(c.changed) == 0 && len(c.removed) == 0
}

// diff compares the previous snapshot with the set now served.
func (st *state) diff(prev *Snapshot, cur Snapshot) changes {
	var ch changes
	for _, id := range cur.Docs {
		if !slices.Contains(prev.Docs, id) {
			ch.docs = append(ch.docs, id)
		}
	}
	for _, c := range st.set.Claims() {
		old, ok := prev.Claims[c.ID]
		switch {
		case !ok:
			ch.added = append(ch.added, c)
		case old.Hash != cur.Claims[c.ID].Hash:
			ch.changed = append(ch.changed, c)
		}
	}
	for id := range prev.Claims {
		if _, ok := cur.Claims[id]; !ok {
			ch.removed = append(ch.removed, id)
		}
	}
	slices.Sort(ch.removed)
	return ch
}

// Unchanged reports whether a "changes" digest against prev would find
// nothing to list: no new document, no claim added, changed or removed.
// Without a previous snapshot (the first digest) there is something to say.
func Unchanged(prev *Snapshot, cur Snapshot) bool {
	if prev == nil || len(prev.Claims) != len(cur.Claims) {
		return false
	}
	for id, c := range cur.Claims {
		if old, ok := prev.Claims[id]; !ok || old.Hash != c.Hash {
			return false
		}
	}
	for _, d := range cur.Docs {
		if !slices.Contains(prev.Docs, d) {
			return false
		}
	}
	return true
}

// changesDigest says what is new or changed since prev, or in one line that
// nothing changed. Without a previous snapshot it says what is tracked from
// now on.
func (st *state) changesDigest(prev *Snapshot, cur Snapshot) *Reply {
	b := st.newReply("digest", "Digest: what changed in "+TitleOf(st.set))
	b.r.Private = false
	if prev == nil {
		b.r.Intro = Plain(fmt.Sprintf("First changes digest here. Tracking %d claims in %d briefs from %d documents; from the next digest on, this lists claims added, changed or removed and new documents.",
			len(cur.Claims), len(st.set.Briefs), len(cur.Docs)))
		return b.done()
	}
	ch := st.diff(prev, cur)
	if ch.empty() {
		b.r.Intro = Plain("Nothing has changed in the briefs since the previous digest here.")
		return b.done()
	}
	b.r.Intro = Plain(fmt.Sprintf("Since the previous digest here: %d new documents, %d claims added, %d changed, %d removed.",
		len(ch.docs), len(ch.added), len(ch.changed), len(ch.removed)))
	addCappedAt(b, "New documents", len(ch.docs), digestMaxChanges, "…and %d more: /sources", func(i int) Bullet {
		d, _ := st.set.Corpus.Doc(ch.docs[i])
		return Bullet{Text: Plain(d.ID + ": " + d.Title + " — " + d.Source()), Cites: []Cite{{Source: b.source(d.ID)}}}
	})
	addClaims(b, "Claims added", ch.added)
	addClaims(b, "Claims changed (as they now read)", ch.changed)
	addCappedAt(b, "Claims removed", len(ch.removed), digestMaxChanges, "…and %d more", func(i int) Bullet {
		id := ch.removed[i]
		return Bullet{Text: Plain(id + " (was in " + st.name(prev.Claims[id].Brief) + ")")}
	})
	return b.done()
}

func addClaims(b *replyBuilder, heading string, cs []*briefs.Claim) {
	addCappedAt(b, heading, len(cs), digestMaxChanges, "…and %d more", func(i int) Bullet {
		return b.claimPlain(cs[i], cs[i].Brief.Name+": ")
	})
}
