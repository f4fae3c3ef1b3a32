package exchange

import (
	"context"
	"log/slog"
	"slices"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Theme is a term of the library's vocabulary as offers use it: ID is
// its slug ("food-security"), what offers store and the API speaks;
// Labels name it per interface locale ("es", "pt-BR", "pt-PT", "en").
type Theme struct {
	ID     string
	Labels map[string]string
}

// Label is the theme's name in locale, English when the locale has none,
// and its id when it has no label at all.
func (t Theme) Label(locale string) string {
	if l := t.Labels[locale]; l != "" {
		return l
	}
	if l := t.Labels["en"]; l != "" {
		return l
	}
	return t.ID
}

// Themes is the library's theme vocabulary: offers name their themes by
// its ids (slugs).
type Themes interface {
	// Themes lists the vocabulary in the order forms and charts show it.
	Themes(ctx context.Context) ([]Theme, error)
}

// FixedThemes is a vocabulary given as a list, for tests that run the
// exchange without the library.
type FixedThemes []Theme

// Themes returns the list.
func (f FixedThemes) Themes(context.Context) ([]Theme, error) { return slices.Clone(f), nil }

// Events tells whether an event exists, for an exchange linked to one.
type Events interface {
	// EventTitle returns the title of the event with id, or an error
	// wrapping ErrNotFound.
	EventTitle(ctx context.Context, id int64) (string, error)
}

// NoticeKind is what a person is told.
type NoticeKind string

// The notices of exchanges.
const (
	// NoticeAgenda: the rounds were scheduled (again); the delegate's
	// agenda is ready.
	NoticeAgenda NoticeKind = "agenda"
	// NoticeDecision: the committee decided an action of the delegate's
	// institution.
	NoticeDecision NoticeKind = "decision"
)

// Notice is one thing to tell one person.
type Notice struct {
	Kind       NoticeKind
	UserID     int64
	ExchangeID int64
	// ActionID is the decided action of a decision.
	ActionID int64
	// Selected tells a decision's outcome.
	Selected bool
}

// Notifier tells delegates what happened. Notify runs inside the
// transaction db of the change (a mail implementation enqueues its job
// there); an error rolls the change back.
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
	log.DebugContext(ctx, "exchange: notice", "kind", n.Kind, "user", n.UserID, "exchange", n.ExchangeID,
		"action", n.ActionID, "selected", n.Selected)
	return nil
}

// Experience is a completed action's report, as the library receives it.
type Experience struct {
	ActionID      int64
	ExchangeTitle string
	// Title is the offer's: the programme the action learnt from.
	Title  string
	Report string
	// Language is the ISO 639-1 code the report is written in.
	Language string
	Themes   []string
	Year     int
	// Institutions are the offering and the demanding institution, in
	// that order, with their countries.
	Institutions []accounts.Institution
}

// Publisher hands a completed action's report to the library as a
// country experience, inside the transaction db, and returns the
// library's reference to it.
type Publisher interface {
	Publish(ctx context.Context, db bun.IDB, e Experience) (ref string, err error)
}
