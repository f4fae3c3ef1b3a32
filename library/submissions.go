package library

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// maxNote is the longest note a librarian sends with a decision.
const maxNote = 5000

// Submit sends a member's experience for review. Any signed-in member of
// an institution may; the submission credits that institution. The
// fields are checked as an item's are, so an accepted submission always
// makes a valid item.
func (s *Service) Submit(ctx context.Context, actor *accounts.User, p ItemParams) (*Submission, error) {
	if actor == nil {
		return nil, ErrForbidden
	}
	if actor.InstitutionID == nil {
		return nil, ErrNoInstitution
	}
	if _, err := s.checkParams(ctx, s.db, &p); err != nil {
		return nil, err
	}
	now := s.now()
	sub := &Submission{SubmittedBy: &actor.ID, InstitutionID: actor.InstitutionID, Status: SubmissionPending,
		Title: p.Title, Fields: p, CreatedAt: now, UpdatedAt: now}
	if err := NewStore(s.db).InsertSubmission(ctx, sub); err != nil {
		return nil, err
	}
	return sub, nil
}

// Resubmit replaces the fields of the member's own submission that is
// pending or awaiting changes; it is pending again.
func (s *Service) Resubmit(ctx context.Context, actor *accounts.User, id int64, p ItemParams) (*Submission, error) {
	if actor == nil {
		return nil, ErrForbidden
	}
	if _, err := s.checkParams(ctx, s.db, &p); err != nil {
		return nil, err
	}
	var out *Submission
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		sub, err := store.LockSubmission(ctx, id)
		if err != nil {
			return err
		}
		if sub.SubmittedBy == nil || *sub.SubmittedBy != actor.ID {
			return fmt.Errorf("library: resubmit %d: %w", id, ErrNotFound)
		}
		if sub.Status != SubmissionPending && sub.Status != SubmissionChangesRequested {
			return fmt.Errorf("library: resubmit %s %d: %w", sub.Status, id, ErrInvalidTransition)
		}
		sub.Fields, sub.Title, sub.Status, sub.UpdatedAt = p, p.Title, SubmissionPending, s.now()
		if err := store.UpdateSubmission(ctx, sub); err != nil {
			return err
		}
		out = sub
		return nil
	})
	return out, err
}

// Submission returns a submission to its member and to librarians
// (ErrNotFound to anyone else).
func (s *Service) Submission(ctx context.Context, actor *accounts.User, id int64) (*Submission, error) {
	if actor == nil {
		return nil, ErrNotFound
	}
	sub, err := NewStore(s.db).Submission(ctx, id)
	if err != nil {
		return nil, err
	}
	if sub.SubmittedBy != nil && *sub.SubmittedBy == actor.ID {
		return sub, nil
	}
	if ok, err := s.IsLibrarian(ctx, actor); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("library: submission %d: %w", id, ErrNotFound)
	}
	return sub, nil
}

// Submissions lists, for a librarian, the submissions in status (pending
// when empty), oldest first: the review queue; for a member, their own,
// newest first.
func (s *Service) Submissions(ctx context.Context, actor *accounts.User, status SubmissionStatus) ([]Submission, bool, error) {
	if actor == nil {
		return nil, false, ErrForbidden
	}
	librarian, err := s.IsLibrarian(ctx, actor)
	if err != nil {
		return nil, false, err
	}
	store := NewStore(s.db)
	if !librarian {
		list, err := store.SubmissionsOf(ctx, actor.ID)
		return list, false, err
	}
	if status == "" {
		status = SubmissionPending
	}
	list, err := store.SubmissionQueue(ctx, status)
	return list, true, err
}

// Accept makes a submission an item, published at once and crediting the
// member's institution (unless the fields name another), and tells the
// member, all in one transaction; only librarians may. note is an
// optional word to the member.
func (s *Service) Accept(ctx context.Context, actor *accounts.User, id int64, note string) (*Submission, error) {
	return s.review(ctx, actor, id, note, SubmissionAccepted, func(ctx context.Context, tx bun.IDB, sub *Submission) error {
		p := sub.Fields
		if p.InstitutionID == nil {
			p.InstitutionID = sub.InstitutionID
		}
		now := s.now()
		it := &Item{Status: StatusPublished, CreatedBy: &actor.ID, PublishedAt: &now}
		it, err := s.writeItem(ctx, tx, it, p, true)
		if err != nil {
			return err
		}
		sub.ItemID = &it.ID
		return nil
	})
}

// RequestChanges sends a pending submission back to its member with what
// to change (note is required); only librarians may.
func (s *Service) RequestChanges(ctx context.Context, actor *accounts.User, id int64, note string) (*Submission, error) {
	if clean(note) == "" {
		return nil, fieldError("note", ErrNoteRequired)
	}
	return s.review(ctx, actor, id, note, SubmissionChangesRequested, nil)
}

// Decline refuses a submission for good; only librarians may.
func (s *Service) Decline(ctx context.Context, actor *accounts.User, id int64, note string) (*Submission, error) {
	return s.review(ctx, actor, id, note, SubmissionDeclined, nil)
}

// reviewable are the statuses a decision may be taken from, per decision.
var reviewable = map[SubmissionStatus][]SubmissionStatus{
	SubmissionAccepted:         {SubmissionPending, SubmissionChangesRequested},
	SubmissionDeclined:         {SubmissionPending, SubmissionChangesRequested},
	SubmissionChangesRequested: {SubmissionPending},
}

func (s *Service) review(ctx context.Context, actor *accounts.User, id int64, note string, to SubmissionStatus,
	apply func(ctx context.Context, tx bun.IDB, sub *Submission) error) (*Submission, error) {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	note = cleanText(note)
	if utf8.RuneCountInString(note) > maxNote {
		return nil, fieldError("note", ErrTooLong)
	}
	var out *Submission
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		sub, err := store.LockSubmission(ctx, id)
		if err != nil {
			return err
		}
		if !slices.Contains(reviewable[to], sub.Status) {
			return fmt.Errorf("library: %s submission %d is %s: %w", to, id, sub.Status, ErrInvalidTransition)
		}
		if apply != nil {
			if err := apply(ctx, tx, sub); err != nil {
				return err
			}
		}
		now := s.now()
		sub.Status, sub.Note, sub.ReviewedBy, sub.ReviewedAt, sub.UpdatedAt = to, note, &actor.ID, &now, now
		if err := store.UpdateSubmission(ctx, sub); err != nil {
			return err
		}
		if err := s.notifier.SubmissionReviewed(ctx, tx, Review{Submission: *sub, ReviewerID: actor.ID}); err != nil {
			return fmt.Errorf("library: notify decision on %d: %w", id, err)
		}
		out = sub
		return nil
	})
	return out, err
}
