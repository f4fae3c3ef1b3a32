package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/exchange"
)

// The notices of the exchange of experiences (topic "exchange"). A
// decision is a kind per outcome, so the bell words it in the reader's
// language.
const (
	KindExchangeAgenda      = "exchange_agenda"
	KindExchangeSelected    = "exchange_selected"
	KindExchangeNotSelected = "exchange_not_selected"
	// kindExchangePrefix starts every kind of the exchange topic.
	kindExchangePrefix = "exchange_"
)

// ExchangeNotifier tells delegates that their agenda of rounds is ready
// (after each scheduling) and what the committee decided about an action
// of their institution: each an in-app notice and, as the delegate's
// "exchange" preference says, a mail at once, a digest line or nothing
// more. wiring makes it the exchange service's Notifier.
func (s *Service) ExchangeNotifier() exchange.Notifier { return exchangeNotifier{s} }

type exchangeNotifier struct{ s *Service }

// Notify writes the notice of n in db, the transaction of the scheduling
// or decision, so it commits with it or not at all.
func (xn exchangeNotifier) Notify(ctx context.Context, db bun.IDB, n exchange.Notice) error {
	if err := xn.s.exchangeNotice(ctx, db, n); err != nil {
		return fmt.Errorf("notify: %s notice of exchange %d to %d: %w", n.Kind, n.ExchangeID, n.UserID, err)
	}
	return nil
}

// exchangeNotice builds the notice of n and delivers it.
func (s *Service) exchangeNotice(ctx context.Context, db bun.IDB, n exchange.Notice) error {
	st := exchange.NewStore(db)
	e, err := st.Exchange(ctx, n.ExchangeID, false)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(e.ID, 10)
	out := notice{args: []string{e.Title}}
	switch n.Kind {
	case exchange.NoticeAgenda:
		out.kind, out.link = KindExchangeAgenda, "/exchanges/"+id+"/agenda"
		out.more = func(l *letter, t tr, _ accounts.User) {
			l.Items = append(l.Items, letterItem{Title: t.T("notify.exchange.calendar"), URL: s.link("/exchanges/" + id + "/agenda.ics")})
		}
	case exchange.NoticeDecision:
		a, err := st.Action(ctx, n.ActionID, false)
		if err != nil {
			return err
		}
		out.kind, out.link = KindExchangeNotSelected, "/actions/"+strconv.FormatInt(a.ID, 10)
		if n.Selected {
			out.kind = KindExchangeSelected
		}
		// What the action is, in the delegate's language, and the
		// committee's reason: the mail's, not the bell's one line.
		out.more = func(l *letter, t tr, _ accounts.User) {
			l.Paragraphs = append(l.Paragraphs, t.T("notify.exchange.action", t.T("exchange.type."+string(a.Type)), a.Description))
			if reason := strings.TrimSpace(a.DecisionReason); reason != "" {
				l.Paragraphs = append(l.Paragraphs, t.T("notify.exchange.reason", reason))
			}
		}
	default:
		return fmt.Errorf("unknown notice kind %q", n.Kind)
	}
	return s.deliver(ctx, db, []int64{n.UserID}, out)
}
