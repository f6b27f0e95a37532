package bot

import (
	"context"
	"time"
)

// Audit actions.
const (
	AuditShare  = "share"  // an answer shared in a channel at someone's request
	AuditDigest = "digest" // a scheduled or subscribed digest posted
)

// AuditEntry is one line of the audit log: who had what posted where, and
// the id of the message posted. It never holds message text or tokens.
type AuditEntry struct {
	At       time.Time
	Action   string // AuditShare or AuditDigest
	Platform string
	Channel  string
	User     string // who asked: a platform user id; for a digest, who subscribed ("" for a configured schedule)
	Command  string // the command shared ("/stance <actor>"), or the digest's job ("schedule:morning")
	// MessageID is the posted message's id on the platform, "" when the
	// platform does not say (a Slack share posted through a response_url).
	MessageID string
}

// Auditor records audit entries; the store is one. Adapters call it after
// a share went out; a failure is logged, never shown to the user.
type Auditor interface {
	Audit(ctx context.Context, e AuditEntry) error
}
