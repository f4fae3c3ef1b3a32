package wiring

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/notify"
)

// newEvents builds the events service: closing an event issues a
// certificate of participation to each participant who met its rule,
// inside the closing transaction.
//
// Participants are told (registered, waitlisted, pending, promoted,
// approved, reminders, certificates issued) by notify's events Notifier:
// an in-app notice and a mail or digest line per their "events"
// preference, written in the change's transaction. Options.EventsNotifier
// replaces it (tests record the notices instead).
func newEvents(db *bun.DB, certs *certificates.Service, mail *notify.Service, opts Options) (*events.Service, error) {
	notifier := opts.EventsNotifier
	if notifier == nil {
		notifier = mail.EventsNotifier()
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
