package exchange

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// ActionParams are the fields of a proposed cooperation action.
type ActionParams struct {
	Type                   ActionType
	Description            string
	OfferingInstitutionID  int64
	DemandingInstitutionID int64
	DurationDays           *int
	EstimatedCost          *float64
}

// ProposeAction records a cooperation action after a round, as a draft: a
// delegate of either side proposes it, naming the round's presenter as the
// offering institution and one it served (or that stated interest in the
// offer) as the demanding one. The round is locked: rescheduling keeps
// the rounds that actions came from.
func (s *Service) ProposeAction(ctx context.Context, actor Actor, roundID int64, p ActionParams) (*Action, error) {
	p.Description = strings.TrimSpace(p.Description)
	var a *Action
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		r, err := st.Round(ctx, roundID)
		if err != nil {
			return err
		}
		acc, err := s.viewing(ctx, tx, actor, r.ExchangeID, false)
		if err != nil {
			return err
		}
		if !acc.Admin && acc.Institution == 0 {
			return ErrForbidden // the committee reviews actions, it does not propose them
		}
		if err := p.validate(); err != nil {
			return err
		}
		o, err := st.Offer(ctx, r.OfferID)
		if err != nil {
			return err
		}
		if p.OfferingInstitutionID != o.InstitutionID {
			return invalid("offering_institution_id", "not_presenter")
		}
		interested, err := st.Interested(ctx, o.ID, p.DemandingInstitutionID)
		if err != nil {
			return err
		}
		if !interested && !slices.Contains(r.Institutions, p.DemandingInstitutionID) {
			return invalid("demanding_institution_id", "not_in_round")
		}
		var side int64
		switch {
		case acc.Institution == p.OfferingInstitutionID || acc.Institution == p.DemandingInstitutionID:
			side = acc.Institution
		case acc.Admin:
			side = p.OfferingInstitutionID // the secretariat enters it for the presenter
		default:
			return ErrForbidden
		}
		a = &Action{ExchangeID: r.ExchangeID, RoundID: r.ID, Type: p.Type, Description: p.Description,
			OfferingInstitutionID: p.OfferingInstitutionID, DemandingInstitutionID: p.DemandingInstitutionID,
			DurationDays: p.DurationDays, EstimatedCost: p.EstimatedCost, Status: StatusDraft,
			ProposedBy: &actor.UserID, ProposingInstitutionID: side}
		if err := st.InsertAction(ctx, a); err != nil {
			return err
		}
		if !r.Locked {
			r.Locked = true
			return st.UpdateRound(ctx, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: action of round %d: %w", roundID, err)
	}
	return a, nil
}

// validate reports the first field of p that breaks a rule.
func (p *ActionParams) validate() error {
	switch {
	case !slices.Contains(ActionTypes, p.Type):
		return invalid("type", "action_type")
	case p.Description == "":
		return invalid("description", "required")
	case p.DurationDays != nil && (*p.DurationDays < 1 || *p.DurationDays > MaxDuration):
		return &InvalidError{Field: "duration_days", Reason: "range", Param: MaxDuration}
	case p.EstimatedCost != nil && (*p.EstimatedCost < 0 || *p.EstimatedCost > MaxMoney):
		return invalid("estimated_cost", "money")
	}
	return checkText(text{"description", p.Description, MaxTextLen})
}

// ConfirmAction is the other side's agreement: a delegate of the
// institution that did not propose the action confirms it, and only then
// is it a potential action for the committee. The proposing side
// confirming is ErrOwnProposal; a confirmed action, ErrState.
func (s *Service) ConfirmAction(ctx context.Context, actor Actor, actionID int64) (*Action, error) {
	var a *Action
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var acc *Access
		var err error
		if a, acc, err = s.lockAction(ctx, tx, actor, actionID); err != nil {
			return err
		}
		switch {
		case acc.Institution == a.ProposingInstitutionID:
			return ErrOwnProposal
		case acc.Institution != a.OtherSide():
			return ErrForbidden
		case a.Status != StatusDraft:
			return ErrState
		}
		now := s.now()
		a.Status, a.ConfirmedBy, a.ConfirmedAt, a.UpdatedAt = StatusProposed, &actor.UserID, &now, now
		return NewStore(tx).UpdateAction(ctx, a, "status", "confirmed_by", "confirmed_at", "updated_at")
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: confirm action %d: %w", actionID, err)
	}
	return a, nil
}

// lockAction locks the action in tx and checks that actor takes part in
// its exchange.
func (s *Service) lockAction(ctx context.Context, tx bun.IDB, actor Actor, id int64) (*Action, *Access, error) {
	a, err := NewStore(tx).Action(ctx, id, true)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.viewing(ctx, tx, actor, a.ExchangeID, false)
	if err != nil {
		return nil, nil, err
	}
	return a, acc, nil
}

// ActionDetail is an action with its follow-up.
type ActionDetail struct {
	Action     *Action
	Access     *Access
	Milestones []Milestone
	Progress   []Progress
}

// Action returns an action with its milestones and progress notes, for
// those who take part in its exchange.
func (s *Service) Action(ctx context.Context, actor Actor, id int64) (*ActionDetail, error) {
	st := NewStore(s.db)
	a, err := st.Action(ctx, id, false)
	if err != nil {
		return nil, fmt.Errorf("exchange: action %d: %w", id, err)
	}
	acc, err := s.Access(ctx, actor, a.ExchangeID)
	if err != nil {
		return nil, err
	}
	d := &ActionDetail{Action: a, Access: acc}
	if d.Milestones, err = st.Milestones(ctx, id); err != nil {
		return nil, fmt.Errorf("exchange: milestones of %d: %w", id, err)
	}
	if d.Progress, err = st.Progress(ctx, id); err != nil {
		return nil, fmt.Errorf("exchange: progress of %d: %w", id, err)
	}
	return d, nil
}

// Actions lists the exchange's actions with their state, for those who
// take part.
func (s *Service) Actions(ctx context.Context, actor Actor, exchangeID int64) ([]Action, error) {
	if _, err := s.Access(ctx, actor, exchangeID); err != nil {
		return nil, err
	}
	list, err := NewStore(s.db).Actions(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: actions of %d: %w", exchangeID, err)
	}
	return list, nil
}
