package wiring

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/notify"
)

// newExchange builds the exchange service. Its seams are set here:
//
//   - themes are the library's vocabulary (library.Service.Themes): offers
//     store a theme's slug, and its labels in every interface language
//     come with it (Options.ExchangeThemes replaces it);
//   - notices (agendas ready, actions decided) are notify's: an in-app
//     notice and a mail or digest line per the delegate's "exchange"
//     preference, in the change's transaction (Options.ExchangeNotifier
//     replaces it);
//   - a completed action's report, when an admin publishes it, becomes a
//     draft country experience in the library, in the publishing
//     transaction (libraryPublisher; Options.ExchangePublisher replaces it);
//   - the event an exchange links to is read through package events.
func newExchange(db *bun.DB, mail *notify.Service, lib *library.Service, opts Options) (*exchange.Service, error) {
	themes := opts.ExchangeThemes
	if themes == nil {
		themes = libraryThemes{lib}
	}
	notifier := opts.ExchangeNotifier
	if notifier == nil {
		notifier = mail.ExchangeNotifier()
	}
	publisher := opts.ExchangePublisher
	if publisher == nil {
		publisher = libraryPublisher{lib}
	}
	return exchange.NewService(db, exchange.Options{Themes: themes, Events: eventTitles{db}, Notifier: notifier,
		Publisher: publisher, Blobs: opts.Blobs, UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now, Logger: opts.Logger})
}

// libraryThemes is the library's vocabulary as exchanges name it: by
// slug, which the library keeps unique and never changes or deletes.
type libraryThemes struct{ lib *library.Service }

// Themes lists the library's themes in its order.
func (l libraryThemes) Themes(ctx context.Context) ([]exchange.Theme, error) {
	list, err := l.lib.Themes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]exchange.Theme, len(list))
	for i, t := range list {
		out[i] = exchange.Theme{ID: t.Slug, Labels: t.Labels}
	}
	return out, nil
}

// libraryPublisher makes a completed action's report a country
// experience of the library (library.Service.ExperienceFromExchange).
type libraryPublisher struct{ lib *library.Service }

// Publish catalogues e in tx and returns the item's id as the reference.
func (l libraryPublisher) Publish(ctx context.Context, tx bun.IDB, e exchange.Experience) (string, error) {
	ex := library.Experience{Origin: fmt.Sprintf("exchange-action:%d", e.ActionID), Title: e.Title, Abstract: e.Report,
		Language: e.Language, Themes: e.Themes, Year: e.Year}
	for _, inst := range e.Institutions {
		if inst.Country != "" && !slices.Contains(ex.Countries, inst.Country) {
			ex.Countries = append(ex.Countries, inst.Country)
		}
		ex.Institutions = append(ex.Institutions, library.Credit{ID: inst.ID, Name: inst.Name})
	}
	it, err := l.lib.ExperienceFromExchange(ctx, tx, ex)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(it.ID, 10), nil
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
