package library

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Review is a librarian's decision on a submission, as the member is told.
type Review struct {
	Submission Submission
	// ReviewerID is the librarian who decided.
	ReviewerID int64
}

// Notifier tells a member the decision on their submission (accepted,
// changes asked for, declined). It runs inside the decision's
// transaction, tx: a mail job it enqueues there is sent exactly when the
// decision commits, and an error undoes the decision.
type Notifier interface {
	SubmissionReviewed(ctx context.Context, tx bun.IDB, r Review) error
}

// noNotifier is the Notifier until one is set: decisions are only seen on
// the member's submissions page.
type noNotifier struct{}

func (noNotifier) SubmissionReviewed(context.Context, bun.IDB, Review) error { return nil }

// SetNotifier makes n tell members the decisions on their submissions.
// Call it while wiring, before serving.
func (s *Service) SetNotifier(n Notifier) {
	if n == nil {
		n = noNotifier{}
	}
	s.notifier = n
}

// Event is an event (a seminar, a workshop) as the library links to it.
type Event struct {
	ID    int64
	Title string
	URL   string
	Start time.Time
}

// Events is what the library asks of the events package: the events of
// a country, for its page, and those that cite an item.
type Events interface {
	CountryEvents(ctx context.Context, country string, limit int) ([]Event, error)
	EventsCiting(ctx context.Context, itemID int64) ([]Event, error)
}

// SetEvents connects the events package. Without it country and item
// pages list no events. Call it while wiring, before serving.
func (s *Service) SetEvents(e Events) { s.events = e }
