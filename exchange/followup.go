package exchange

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// followers: the delegates of the action's two institutions, and admins.
func follows(acc *Access, a *Action) bool {
	return acc.Admin || (acc.Institution != 0 && (acc.Institution == a.OfferingInstitutionID || acc.Institution == a.DemandingInstitutionID))
}

// transitions are the follow-up's moves: a selected action starts or is
// cancelled; one in progress is completed or cancelled.
var transitions = map[Status][]Status{
	StatusSelected:   {StatusInProgress, StatusCancelled},
	StatusInProgress: {StatusCompleted, StatusCancelled},
}

// followed reports whether the action is in follow-up: selected and not
// yet completed or cancelled.
func followed(a *Action) bool { return a.Status == StatusSelected || a.Status == StatusInProgress }

// ProgressParams are a dated note on a selected action.
type ProgressParams struct {
	Note string
	// Status, when set, moves the action on (in_progress, completed,
	// cancelled).
	Status *Status
	// Report is the final report, required to complete the action.
	Report string
}

// AddProgress records a progress note on a selected action, moving it on
// when the note says so; the delegates of its two institutions and admins
// write them. Completing takes the final report.
func (s *Service) AddProgress(ctx context.Context, actor Actor, actionID int64, p ProgressParams) (*Progress, *Action, error) {
	p.Note, p.Report = strings.TrimSpace(p.Note), strings.TrimSpace(p.Report)
	var pr *Progress
	var a *Action
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var acc *Access
		var err error
		if a, acc, err = s.lockAction(ctx, tx, actor, actionID); err != nil {
			return err
		}
		if !follows(acc, a) {
			return ErrForbidden
		}
		if p.Note == "" {
			return invalid("note", "required")
		}
		if err := checkText(text{"note", p.Note, MaxTextLen}, text{"report", p.Report, MaxReportLen}); err != nil {
			return err
		}
		if !followed(a) {
			return ErrState
		}
		st := NewStore(tx)
		if p.Status != nil && *p.Status != a.Status {
			allowed := false
			for _, to := range transitions[a.Status] {
				allowed = allowed || to == *p.Status
			}
			if !allowed {
				return invalid("status", "transition")
			}
			if *p.Status == StatusCompleted {
				if p.Report == "" {
					return invalid("report", "required")
				}
				a.FinalReport = p.Report
			}
			a.Status, a.UpdatedAt = *p.Status, s.now()
			if err := st.UpdateAction(ctx, a, "status", "final_report", "updated_at"); err != nil {
				return err
			}
		}
		pr = &Progress{ActionID: a.ID, Note: p.Note, Status: p.Status, AuthorID: &actor.UserID, CreatedAt: s.now()}
		return st.InsertProgress(ctx, pr)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("exchange: progress of action %d: %w", actionID, err)
	}
	return pr, a, nil
}

// MilestoneParams are a step of a selected action's plan.
type MilestoneParams struct {
	Title string
	// DueOn is a day ("2027-06-30"), or "".
	DueOn string
}

// AddMilestone adds a step to a selected action's plan.
func (s *Service) AddMilestone(ctx context.Context, actor Actor, actionID int64, p MilestoneParams) (*Milestone, error) {
	p.Title = strings.TrimSpace(p.Title)
	m := &Milestone{ActionID: actionID, Title: p.Title}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, acc, err := s.lockAction(ctx, tx, actor, actionID)
		if err != nil {
			return err
		}
		if !follows(acc, a) {
			return ErrForbidden
		}
		if p.Title == "" {
			return invalid("title", "required")
		}
		if err := checkText(text{"title", p.Title, MaxTitleLen}); err != nil {
			return err
		}
		if strings.TrimSpace(p.DueOn) != "" {
			d, err := day("due_on", p.DueOn)
			if err != nil {
				return err
			}
			m.DueOn = &d
		}
		if !followed(a) {
			return ErrState
		}
		return NewStore(tx).InsertMilestone(ctx, m)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: milestone of action %d: %w", actionID, err)
	}
	return m, nil
}

// CompleteMilestone marks a milestone done (again: it keeps its first
// date).
func (s *Service) CompleteMilestone(ctx context.Context, actor Actor, milestoneID int64) (*Milestone, error) {
	var m *Milestone
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		var err error
		if m, err = st.Milestone(ctx, milestoneID); err != nil {
			return err
		}
		a, acc, err := s.lockAction(ctx, tx, actor, m.ActionID)
		if err != nil {
			return err
		}
		if !follows(acc, a) {
			return ErrForbidden
		}
		if m.DoneAt != nil {
			return nil
		}
		now := s.now()
		m.DoneAt = &now
		return st.UpdateMilestone(ctx, m)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: milestone %d: %w", milestoneID, err)
	}
	return m, nil
}

// PublishParams say how a completed action's report goes to the library.
type PublishParams struct {
	// Language is the ISO 639-1 code the report is written in.
	Language string
}

// Publish hands a completed action's final report to the library as a
// country experience (admins do), once: the publisher's write and the
// action marked published are one transaction, so either both happen or
// neither; publishing again is ErrState.
func (s *Service) Publish(ctx context.Context, actor Actor, actionID int64, p PublishParams) (*Action, error) {
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
		if a.Status != StatusCompleted || a.PublishedAt != nil {
			return ErrState
		}
		st := NewStore(tx)
		r, err := st.Round(ctx, a.RoundID)
		if err != nil {
			return err
		}
		o, err := st.Offer(ctx, r.OfferID)
		if err != nil {
			return err
		}
		insts, err := institutions(ctx, tx, []int64{a.OfferingInstitutionID, a.DemandingInstitutionID})
		if err != nil {
			return err
		}
		now := s.now()
		ref, err := s.publisher.Publish(ctx, tx, Experience{ActionID: a.ID, ExchangeTitle: acc.Exchange.Title, Title: o.Title,
			Report: a.FinalReport, Language: strings.ToLower(strings.TrimSpace(p.Language)), Themes: o.Themes,
			Year:         now.In(acc.Exchange.Location()).Year(),
			Institutions: []accounts.Institution{insts[a.OfferingInstitutionID], insts[a.DemandingInstitutionID]}})
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		a.PublishedAt, a.LibraryRef, a.UpdatedAt = &now, ref, now
		return st.UpdateAction(ctx, a, "published_at", "library_ref", "updated_at")
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: publish action %d: %w", actionID, err)
	}
	return a, nil
}
