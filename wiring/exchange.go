package wiring

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/notify"
)

// newExchange builds the exchange service. Its seams are set here:
//
//   - themes: the network's ten themes (exchange.NetworkThemes) until the
//     library's vocabulary is wired (Options.ExchangeThemes);
//   - notices (agendas ready, actions decided) are notify's: an in-app
//     notice and a mail or digest line per the delegate's "exchange"
//     preference, in the change's transaction (Options.ExchangeNotifier
//     replaces it);
//   - a completed action's report is only logged as published until the
//     library is wired (Options.ExchangePublisher);
//   - the event an exchange links to is read through package events.
func newExchange(db *bun.DB, mail *notify.Service, opts Options) (*exchange.Service, error) {
	themes := opts.ExchangeThemes
	if themes == nil {
		themes = exchange.NetworkThemes
	}
	notifier := opts.ExchangeNotifier
	if notifier == nil {
		notifier = mail.ExchangeNotifier()
	}
	publisher := opts.ExchangePublisher
	if publisher == nil {
		publisher = exchange.LogPublisher{Logger: opts.Logger}
	}
	return exchange.NewService(db, exchange.Options{Themes: themes, Events: eventTitles{db}, Notifier: notifier,
		Publisher: publisher, Blobs: opts.Blobs, UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now, Logger: opts.Logger})
}

// eventTitles reads events through package events for exchanges.
type eventTitles struct{ db bun.IDB }

// EventTitle returns the event's title, or exchange.ErrNotFound.
func (e eventTitles) EventTitle(ctx context.Context, id int64) (string, error) {
	ev, err := events.NewStore(e.db).Event(ctx, id)
	if errors.Is(err, events.ErrNotFound) {
		return "", exchange.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return ev.Title, nil
}
