package library

import "context"

// InsertSubmission stores a new submission and fills its id.
func (s *Store) InsertSubmission(ctx context.Context, sub *Submission) error {
	_, err := s.db.NewInsert().Model(sub).Returning("id").Exec(ctx)
	return wrap(err, "insert submission %q", sub.Title)
}

// UpdateSubmission writes a submission's fields and review.
func (s *Store) UpdateSubmission(ctx context.Context, sub *Submission) error {
	_, err := s.db.NewUpdate().Model(sub).Column("status", "title", "fields", "note", "reviewed_by", "reviewed_at",
		"item_id", "updated_at").WherePK().Exec(ctx)
	return wrap(err, "update submission %d", sub.ID)
}

// Submission returns one submission.
func (s *Store) Submission(ctx context.Context, id int64) (*Submission, error) {
	sub := new(Submission)
	if err := s.db.NewSelect().Model(sub).Where("ls.id = ?", id).Scan(ctx); err != nil {
		return nil, wrap(notFound(err), "submission %d", id)
	}
	return sub, nil
}

// LockSubmission returns a submission locked until the transaction ends,
// so two librarians deciding at once decide one after the other.
func (s *Store) LockSubmission(ctx context.Context, id int64) (*Submission, error) {
	sub := new(Submission)
	if err := s.db.NewSelect().Model(sub).Where("ls.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, wrap(notFound(err), "lock submission %d", id)
	}
	return sub, nil
}

// maxListed bounds the lists of submissions.
const maxListed = 200

// SubmissionQueue returns the submissions in status, oldest first.
func (s *Store) SubmissionQueue(ctx context.Context, status SubmissionStatus) ([]Submission, error) {
	var list []Submission
	err := s.db.NewSelect().Model(&list).Where("ls.status = ?", status).OrderExpr("ls.created_at, ls.id").
		Limit(maxListed).Scan(ctx)
	return list, wrap(err, "submissions %s", status)
}

// SubmissionsOf returns a member's submissions, newest first.
func (s *Store) SubmissionsOf(ctx context.Context, userID int64) ([]Submission, error) {
	var list []Submission
	err := s.db.NewSelect().Model(&list).Where("ls.submitted_by = ?", userID).OrderExpr("ls.created_at DESC, ls.id DESC").
		Limit(maxListed).Scan(ctx)
	return list, wrap(err, "submissions of %d", userID)
}
