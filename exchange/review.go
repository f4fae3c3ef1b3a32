package exchange

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// CriterionParams are one line of a rubric.
type CriterionParams struct {
	Name   string
	Weight float64
}

// SetRubric replaces the exchange's rubric; it changes no more once a
// review uses it (ErrRubricInUse), so that every score was given on the
// same criteria.
func (s *Service) SetRubric(ctx context.Context, actor Actor, exchangeID int64, list []CriterionParams) ([]Criterion, error) {
	if len(list) == 0 {
		return nil, invalid("criteria", "required")
	}
	if len(list) > MaxCriteria {
		return nil, &InvalidError{Field: "criteria", Reason: "too_many", Param: MaxCriteria}
	}
	out := make([]Criterion, len(list))
	for i, c := range list {
		field := fmt.Sprintf("criteria[%d]", i)
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "":
			return nil, invalid(field+".name", "required")
		case utf8.RuneCountInString(name) > MaxCriterion:
			return nil, &InvalidError{Field: field + ".name", Reason: "too_long", Param: MaxCriterion}
		case slices.ContainsFunc(out[:i], func(x Criterion) bool { return strings.EqualFold(x.Name, name) }):
			return nil, invalid(field+".name", "twice")
		case !(c.Weight > 0 && c.Weight <= 100) || math.Round(c.Weight*100) != c.Weight*100:
			return nil, &InvalidError{Field: field + ".weight", Reason: "weight", Param: 100}
		}
		out[i] = Criterion{ExchangeID: exchangeID, Name: name, Weight: c.Weight, Position: i + 1}
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.administering(ctx, tx, actor, exchangeID); err != nil {
			return err
		}
		st := NewStore(tx)
		n, err := st.ReviewCount(ctx, exchangeID)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrRubricInUse
		}
		return st.ReplaceCriteria(ctx, exchangeID, out)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: rubric of %d: %w", exchangeID, err)
	}
	return out, nil
}

// Rubric returns the exchange's criteria in order.
func (s *Service) Rubric(ctx context.Context, actor Actor, exchangeID int64) ([]Criterion, error) {
	if _, err := s.Access(ctx, actor, exchangeID); err != nil {
		return nil, err
	}
	return NewStore(s.db).Criteria(ctx, exchangeID)
}

// ReviewParams are a committee member's scores of an action.
type ReviewParams struct {
	// Scores gives each criterion, by name, 1 to 5.
	Scores  map[string]int
	Comment string
}

// ReviewAction records a committee member's scores of a proposed action.
// A member whose institution is in the country of either of the action's
// institutions may not review it (ErrConflictOfInterest); a member
// reviews an action once (ErrAlreadyReviewed).
func (s *Service) ReviewAction(ctx context.Context, actor Actor, actionID int64, p ReviewParams) (*Review, error) {
	p.Comment = strings.TrimSpace(p.Comment)
	var rev *Review
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, acc, err := s.lockAction(ctx, tx, actor, actionID)
		if err != nil {
			return err
		}
		if !acc.Committee {
			return ErrForbidden
		}
		if err := conflictOfInterest(ctx, tx, actor.UserID, a); err != nil {
			return err
		}
		if a.Status != StatusProposed {
			return ErrState
		}
		st := NewStore(tx)
		criteria, err := st.Criteria(ctx, a.ExchangeID)
		if err != nil {
			return err
		}
		if len(criteria) == 0 {
			return ErrNoRubric
		}
		weighted, err := weigh(criteria, p.Scores)
		if err != nil {
			return err
		}
		if err := checkText(text{"comment", p.Comment, MaxTextLen}); err != nil {
			return err
		}
		rev = &Review{ActionID: a.ID, ReviewerID: actor.UserID, Scores: p.Scores, Weighted: weighted, Comment: p.Comment}
		return st.InsertReview(ctx, rev)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: review of action %d: %w", actionID, err)
	}
	return rev, nil
}

// weigh checks that scores give every criterion 1 to 5 and no other, and
// returns Σ weight × score / Σ weight.
func weigh(criteria []Criterion, scores map[string]int) (float64, error) {
	var sum, weights float64
	for _, c := range criteria {
		v, ok := scores[c.Name]
		switch {
		case !ok:
			return 0, invalid("scores."+c.Name, "required")
		case v < 1 || v > 5:
			return 0, &InvalidError{Field: "scores." + c.Name, Reason: "score", Param: 5}
		}
		sum += c.Weight * float64(v)
		weights += c.Weight
	}
	for name := range scores {
		if !slices.ContainsFunc(criteria, func(c Criterion) bool { return c.Name == name }) {
			return 0, invalid("scores."+name, "unknown_criterion")
		}
	}
	return math.Round(sum/weights*1000) / 1000, nil
}

// conflictOfInterest refuses a reviewer whose institution is in the
// country of the offering or the demanding institution. A member with no
// institution (an external expert) has no country to conflict with.
func conflictOfInterest(ctx context.Context, db bun.IDB, reviewerID int64, a *Action) error {
	users, err := accounts.UsersByID(ctx, db, []int64{reviewerID})
	if err != nil {
		return err
	}
	u := users[reviewerID]
	if u.InstitutionID == nil {
		return nil
	}
	insts, err := institutions(ctx, db, []int64{*u.InstitutionID, a.OfferingInstitutionID, a.DemandingInstitutionID})
	if err != nil {
		return err
	}
	mine := insts[*u.InstitutionID]
	for _, id := range []int64{a.OfferingInstitutionID, a.DemandingInstitutionID} {
		if id == mine.ID || (mine.Country != "" && insts[id].Country == mine.Country) {
			return ErrConflictOfInterest
		}
	}
	return nil
}

// Ranked is an action with its reviews aggregated.
type Ranked struct {
	Action Action
	// Mean is the mean of the reviews' weighted scores (0 with none).
	Mean float64
	// Spread is the standard deviation of the weighted scores; Min and
	// Max their range. A wide spread tells the committee to talk.
	Spread   float64
	Min, Max float64
	Reviews  int
}

// Ranking returns the exchange's actions that reached the committee,
// best mean score first (then the most reviewed, then the oldest), for
// the committee and admins.
func (s *Service) Ranking(ctx context.Context, actor Actor, exchangeID int64) ([]Ranked, error) {
	acc, err := s.Access(ctx, actor, exchangeID)
	if err != nil {
		return nil, err
	}
	if !acc.Admin && !acc.Committee {
		return nil, fmt.Errorf("exchange: ranking of %d: %w", exchangeID, ErrForbidden)
	}
	st := NewStore(s.db)
	actions, err := st.Actions(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: ranking of %d: %w", exchangeID, err)
	}
	reviews, err := st.Reviews(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: ranking of %d: %w", exchangeID, err)
	}
	byAction := map[int64][]float64{}
	for _, r := range reviews {
		byAction[r.ActionID] = append(byAction[r.ActionID], r.Weighted)
	}
	var out []Ranked
	for _, a := range actions {
		if a.Status == StatusDraft {
			continue
		}
		out = append(out, rank(a, byAction[a.ID]))
	}
	slices.SortStableFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.Mean, a.Mean), cmp.Compare(b.Reviews, a.Reviews), cmp.Compare(a.Action.ID, b.Action.ID))
	})
	return out, nil
}

// rank aggregates an action's weighted scores.
func rank(a Action, scores []float64) Ranked {
	r := Ranked{Action: a, Reviews: len(scores)}
	if len(scores) == 0 {
		return r
	}
	r.Min, r.Max = slices.Min(scores), slices.Max(scores)
	var sum float64
	for _, v := range scores {
		sum += v
	}
	r.Mean = sum / float64(len(scores))
	var sq float64
	for _, v := range scores {
		sq += (v - r.Mean) * (v - r.Mean)
	}
	r.Spread = math.Sqrt(sq / float64(len(scores)))
	round := func(v float64) float64 { return math.Round(v*100) / 100 }
	r.Mean, r.Spread, r.Min, r.Max = round(r.Mean), round(r.Spread), round(r.Min), round(r.Max)
	return r
}

// DecisionParams are the committee's decision on an action.
type DecisionParams struct {
	Selected bool
	Reason   string
	// Funding is the amount granted, for a selected action.
	Funding *float64
}

// Decide records the committee's decision on a proposed action (admins
// record it): selected, with its funding, or not, with the reason. The
// delegates of both institutions are told.
func (s *Service) Decide(ctx context.Context, actor Actor, actionID int64, p DecisionParams) (*Action, error) {
	p.Reason = strings.TrimSpace(p.Reason)
	switch {
	case !p.Selected && p.Reason == "":
		return nil, invalid("reason", "required")
	case !p.Selected && p.Funding != nil:
		return nil, invalid("funding", "not_selected")
	case p.Funding != nil && (*p.Funding < 0 || *p.Funding > MaxMoney):
		return nil, invalid("funding", "money")
	}
	if err := checkText(text{"reason", p.Reason, MaxNoteLen}); err != nil {
		return nil, err
	}
	var a *Action
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var acc *Access
		var err error
		if a, acc, err = s.lockAction(ctx, tx, actor, actionID); err != nil {
			return err
		}
		if !acc.Admin {
			return ErrForbidden
		}
		if a.Status != StatusProposed {
			return ErrState
		}
		now := s.now()
		a.Status = StatusNotSelected
		if p.Selected {
			a.Status = StatusSelected
		}
		a.DecisionReason, a.Funding, a.DecidedBy, a.DecidedAt, a.UpdatedAt = p.Reason, p.Funding, &actor.UserID, &now, now
		st := NewStore(tx)
		if err := st.UpdateAction(ctx, a, "status", "decision_reason", "funding", "decided_by", "decided_at", "updated_at"); err != nil {
			return err
		}
		dels, err := st.Delegates(ctx, a.ExchangeID)
		if err != nil {
			return err
		}
		for _, d := range dels {
			if d.InstitutionID != a.OfferingInstitutionID && d.InstitutionID != a.DemandingInstitutionID {
				continue
			}
			n := Notice{Kind: NoticeDecision, UserID: d.UserID, ExchangeID: a.ExchangeID, ActionID: a.ID, Selected: p.Selected}
			if err := s.notifier.Notify(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: decide action %d: %w", actionID, err)
	}
	return a, nil
}
