package wiring

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/events"
)

// newEvents builds the events service: closing an event issues a
// certificate of participation to each participant who met its rule,
// inside the closing transaction.
//
// Notices (registered, waitlisted, promoted, approved, reminders,
// certificates issued) are only logged until mail is wired: set
// Options.EventsNotifier to the mail package's events.Notifier, and register
// Events.ReminderKind() on the process's jobs.Queue so the reminders
// enqueued for the day before each session are sent.
func newEvents(db *bun.DB, certs *certificates.Service, opts Options) (*events.Service, error) {
	notifier := opts.EventsNotifier
	if notifier == nil {
		notifier = events.LogNotifier{Logger: opts.Logger}
	}
	return events.NewService(db, events.Options{
		Notifier: notifier,
		OnClosed: participationCertificates(certs),
		Location: opts.Location,
		Now:      opts.Now,
		Logger:   opts.Logger,
	})
}

// participationCertificates is the events.ClosingHook that issues the
// certificates of participation through the certificates package.
func participationCertificates(certs *certificates.Service) events.ClosingHook {
	return func(ctx context.Context, db bun.IDB, c events.Closing) (map[int64]string, error) {
		codes := make(map[int64]string, len(c.Earned))
		for _, p := range c.Earned {
			code, err := certs.IssueParticipation(ctx, db, certificates.Participation{
				UserID: p.UserID, EventID: c.Event.ID, Title: c.Event.Title, Language: c.Event.Language,
				FirstStart: c.FirstStart, LastEnd: c.LastEnd, Location: c.Event.Location(), Minutes: p.Minutes,
			})
			if err != nil {
				return nil, err
			}
			codes[p.UserID] = code
		}
		return codes, nil
	}
}
