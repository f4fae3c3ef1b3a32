package events

import (
	"context"
	"log/slog"

	"github.com/uptrace/bun"
)

// NoticeKind is what a participant is told.
type NoticeKind string

// The notices of events.
const (
	NoticeRegistered  NoticeKind = "registered"  // a place is theirs
	NoticeWaitlisted  NoticeKind = "waitlisted"  // full: they wait for a place
	NoticePending     NoticeKind = "pending"     // waiting for approval
	NoticePromoted    NoticeKind = "promoted"    // a place came free: theirs now
	NoticeApproved    NoticeKind = "approved"    // approved (registered or waitlisted, see Status)
	NoticeReminder    NoticeKind = "reminder"    // a session tomorrow
	NoticeCertificate NoticeKind = "certificate" // a certificate of participation was issued
)

// Notice is one thing to tell one participant.
type Notice struct {
	Kind    NoticeKind
	UserID  int64
	EventID int64
	// SessionID is the session of a reminder.
	SessionID int64
	// Status is the registration's status after the change.
	Status RegistrationStatus
	// CertificateCode is the code of an issued certificate.
	CertificateCode string
}

// Notifier tells participants what happened. Notify runs inside the
// transaction db of the change (a mail implementation enqueues its job
// there, so a rolled-back registration sends nothing); an error rolls the
// change back. A reminder is called from its job, outside any change.
type Notifier interface {
	Notify(ctx context.Context, db bun.IDB, n Notice) error
}

// LogNotifier only logs notices: the Notifier until mail is wired.
type LogNotifier struct{ Logger *slog.Logger }

// Notify logs n at debug level.
func (l LogNotifier) Notify(ctx context.Context, _ bun.IDB, n Notice) error {
	log := l.Logger
	if log == nil {
		log = slog.Default()
	}
	log.DebugContext(ctx, "events: notice", "kind", n.Kind, "user", n.UserID, "event", n.EventID,
		"session", n.SessionID, "status", n.Status, "certificate", n.CertificateCode)
	return nil
}
