package courses

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/aula-platform/aula/accounts"
)

// EnrolUsers enrols the users in a course and returns the ids of those
// newly enrolled. Withdrawn learners come back; active and completed ones are
// left alone. Rows are written in user id order, so two bulk enrolments of
// the same people into one course wait for each other instead of
// deadlocking.
func (s *Store) EnrolUsers(ctx context.Context, courseID int64, userIDs []int64, by *int64, now time.Time) ([]int64, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	ids := slices.Clone(userIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var added []int64
	err := s.db.NewRaw(`INSERT INTO enrolments (course_id, user_id, status, enrolled_by, enrolled_at)
		SELECT ?, u, 'active', ?, ? FROM unnest(?::bigint[]) WITH ORDINALITY AS t(u, n) ORDER BY n
		ON CONFLICT (course_id, user_id) DO UPDATE
			SET status = 'active', enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at, withdrawn_at = NULL
			WHERE enrolments.status = 'withdrawn'
		RETURNING user_id`,
		courseID, by, now, pgdialect.Array(ids)).Scan(ctx, &added)
	if err != nil {
		return nil, fmt.Errorf("enrol %d users in %d: %w", len(ids), courseID, err)
	}
	return added, nil
}

// CountEnrolled returns how many of the users are enrolled in the course
// (active or completed).
func (s *Store) CountEnrolled(ctx context.Context, courseID int64, userIDs []int64) (int, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	n, err := s.db.NewSelect().Model((*Enrolment)(nil)).
		Where("course_id = ? AND user_id IN (?) AND status IN (?, ?)", courseID, bun.List(userIDs), EnrolmentActive, EnrolmentCompleted).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count enrolled in %d: %w", courseID, err)
	}
	return n, nil
}

// CurrentEnrolment returns the user's active or completed enrolment in a
// course, with its progress counted by the progress columns.
func (s *Store) CurrentEnrolment(ctx context.Context, userID, courseID int64, progress bun.Safe) (*Enrolment, error) {
	e := new(Enrolment)
	err := s.db.NewSelect().Model(e).ColumnExpr("e.*").ColumnExpr("?", progress).
		Where("e.user_id = ? AND e.course_id = ? AND e.status IN (?, ?)", userID, courseID, EnrolmentActive, EnrolmentCompleted).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("enrolment of %d in %d: %w", userID, courseID, notFound(err))
	}
	return e, nil
}

// LearnerEnrolment returns enrolment id if it belongs to userID, whatever
// its status; with lock, the row stays locked until the end of the
// transaction and only an active or completed enrolment is returned.
func (s *Store) LearnerEnrolment(ctx context.Context, userID, enrolmentID int64, lock bool) (*Enrolment, error) {
	e := new(Enrolment)
	q := s.db.NewSelect().Model(e).Where("e.id = ? AND e.user_id = ?", enrolmentID, userID)
	if lock {
		q = q.Where("e.status IN (?, ?)", EnrolmentActive, EnrolmentCompleted).For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("enrolment %d: %w", enrolmentID, notFound(err))
	}
	return e, nil
}

// InsertEnrolment stores e, or brings back the user's withdrawn enrolment
// in the course (with its progress), filling e from the row. It reports
// false when the user is enrolled already (active or completed).
func (s *Store) InsertEnrolment(ctx context.Context, e *Enrolment) (bool, error) {
	res, err := s.db.NewInsert().Model(e).
		On("CONFLICT (course_id, user_id) DO UPDATE").
		Set("status = EXCLUDED.status, enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at, withdrawn_at = NULL").
		Where("e.status = ?", EnrolmentWithdrawn).
		Returning("*").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("insert enrolment: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Withdraw marks the user's active enrolment withdrawn; false when there is
// no such enrolment.
func (s *Store) Withdraw(ctx context.Context, userID, enrolmentID int64, now time.Time) (bool, error) {
	res, err := s.db.NewUpdate().Model((*Enrolment)(nil)).
		Set("status = ?, withdrawn_at = ?", EnrolmentWithdrawn, now).
		Where("id = ? AND user_id = ? AND status = ?", enrolmentID, userID, EnrolmentActive).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("withdraw %d: %w", enrolmentID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// LockEnrolment returns the enrolment with id, locked until the end of the
// transaction s runs in.
func (s *Store) LockEnrolment(ctx context.Context, id int64) (*Enrolment, error) {
	e := new(Enrolment)
	if err := s.db.NewSelect().Model(e).Where("e.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("lock enrolment %d: %w", id, notFound(err))
	}
	return e, nil
}

// MarkCompleted saves e's status and completion time.
func (s *Store) MarkCompleted(ctx context.Context, e *Enrolment) error {
	if _, err := s.db.NewUpdate().Model(e).Column("status", "completed_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("complete enrolment %d: %w", e.ID, err)
	}
	return nil
}

// LiveModuleExists reports whether the course has the module, not archived.
func (s *Store) LiveModuleExists(ctx context.Context, courseID, moduleID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Module)(nil)).
		Where("id = ? AND course_id = ? AND archived_at IS NULL", moduleID, courseID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("module %d of %d: %w", moduleID, courseID, err)
	}
	return ok, nil
}

// InsertCompletion records a completed module; recording it twice changes
// nothing.
func (s *Store) InsertCompletion(ctx context.Context, mc *ModuleCompletion) error {
	if _, err := s.db.NewInsert().Model(mc).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("complete module %d of enrolment %d: %w", mc.ModuleID, mc.EnrolmentID, err)
	}
	return nil
}

// CountProgress counts e's progress with the progress columns and sets
// its ProgressPercent.
func (s *Store) CountProgress(ctx context.Context, e *Enrolment, progress bun.Safe) error {
	err := s.db.NewSelect().Model(e).ColumnExpr("?", progress).Where("e.id = ?", e.ID).Scan(ctx)
	if err != nil {
		return fmt.Errorf("progress of enrolment %d: %w", e.ID, err)
	}
	e.setProgress()
	return nil
}

// Completions returns the modules an enrolment completed.
func (s *Store) Completions(ctx context.Context, enrolmentID int64) ([]ModuleCompletion, error) {
	var rows []ModuleCompletion
	if err := s.db.NewSelect().Model(&rows).Where("mc.enrolment_id = ?", enrolmentID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("completed modules of %d: %w", enrolmentID, err)
	}
	return rows, nil
}

// LearnerEnrolments returns a user's active and completed enrolments,
// newest first.
func (s *Store) LearnerEnrolments(ctx context.Context, userID int64) ([]Enrolment, error) {
	var list []Enrolment
	err := s.db.NewSelect().Model(&list).
		Where("e.user_id = ? AND e.status IN (?, ?)", userID, EnrolmentActive, EnrolmentCompleted).
		OrderExpr("e.enrolled_at DESC, e.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("enrolments of %d: %w", userID, err)
	}
	return list, nil
}

// CoursesByID returns the courses with the given ids, keyed by id.
func (s *Store) CoursesByID(ctx context.Context, ids []int64) (map[int64]Course, error) {
	out := make(map[int64]Course, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []Course
	if err := s.db.NewSelect().Model(&list).Where("c.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses by id: %w", err)
	}
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// NextModules returns, for every course the user is enrolled in, the first
// live module they have not completed, keyed by course id, in one query.
func (s *Store) NextModules(ctx context.Context, userID int64) (map[int64]*Module, error) {
	var next []Module
	err := s.db.NewRaw(`SELECT DISTINCT ON (m.course_id) m.id, m.course_id, m.position, m.title, m.estimated_minutes
		FROM modules AS m
		JOIN enrolments AS e ON e.course_id = m.course_id AND e.user_id = ?
		WHERE m.archived_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM module_completions mc WHERE mc.enrolment_id = e.id AND mc.module_id = m.id)
		ORDER BY m.course_id, m.position`, userID).Scan(ctx, &next)
	if err != nil {
		return nil, fmt.Errorf("next modules of %d: %w", userID, err)
	}
	out := make(map[int64]*Module, len(next))
	for i := range next {
		out[next[i].CourseID] = &next[i]
	}
	return out, nil
}

// fewEnrolments is the most enrolments a course may have for its list by
// learner name to be read by sorting them all rather than by walking the
// users' name index: the two cost alike near √(users × page), some 1,500
// to 2,200 at 100,000 users and pages of 20 to 50. A variable for tests.
var fewEnrolments = 2000

// rosterRow is a roster line as the query reads it.
type rosterRow struct {
	Enrolment     `bun:",extend"`
	UserName      string `bun:"user_name"`
	UserEmail     string `bun:"user_email"`
	InstitutionID *int64 `bun:"user_institution_id"`
}

// Roster returns a page of a course's active and completed enrolments with
// their learners, by name, and how many match.
func (s *Store) Roster(ctx context.Context, courseID int64, f RosterFilter, progress bun.Safe) ([]RosterEntry, int, error) {
	var rows []rosterRow
	// base joins the learners when learners is set or the institution
	// filter needs them: every enrolment has its user (the foreign key
	// cascades), so the count reads enrolments alone without that filter.
	base := func(learners bool) *bun.SelectQuery {
		q := s.db.NewSelect().Model(&rows).
			Where("e.course_id = ? AND e.status IN (?, ?)", courseID, EnrolmentActive, EnrolmentCompleted)
		if learners || f.InstitutionID != 0 {
			q = q.Join("JOIN (?) AS u ON u.id = e.user_id", accounts.PublicUsers(s.db))
		}
		if f.InstitutionID != 0 {
			q = q.Where("u.institution_id = ?", f.InstitutionID)
		}
		return q
	}
	// The count of every page, the cursor aside: the course's counts the
	// database keeps (course_enrolment_counts) for the whole roster, the
	// enrolments of the institution's learners otherwise (a few hundred,
	// read from users_institution_id_idx). It comes first: the whole
	// course's size chooses how its page is read.
	var total int
	var err error
	if f.InstitutionID == 0 {
		total, err = s.CountCurrentEnrolments(ctx, courseID, "")
	} else {
		total, err = base(false).Count(ctx)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("count roster of %d: %w", courseID, err)
	}
	// By name, a page is read by walking users_name_idx (name, id) and
	// keeping those enrolled, which reads about users/enrolments learners
	// per row kept: for a course of few, sorting its enrolments costs
	// less, but PostgreSQL prices the walk's probes as if cached and
	// walked 3,300 users for a course of 600 (25-50 ms where sorting took
	// 4). Its name with an empty string appended orders alike (same text,
	// same collation) and no index holds it, so such a course is sorted.
	// An institution's learners are walked through their own index.
	order := "u.name, u.id"
	if f.InstitutionID == 0 && total <= fewEnrolments {
		order = "u.name || '', u.id"
	}
	q := base(true).ColumnExpr("e.*").ColumnExpr("?", progress).
		ColumnExpr("u.name AS user_name, u.email AS user_email, u.institution_id AS user_institution_id").
		OrderExpr(order).Limit(f.Limit)
	if f.After != nil {
		// users_name_idx is (name, id): the page starts where it says.
		q = q.Where("(u.name, u.id) > (?, ?)", f.After.Name, f.After.UserID)
	} else {
		q = q.Offset(f.Offset)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("roster of %d: %w", courseID, err)
	}
	out := make([]RosterEntry, len(rows))
	for i, r := range rows {
		r.Enrolment.setProgress()
		out[i] = RosterEntry{Enrolment: r.Enrolment, User: RosterUser{ID: r.UserID, Name: r.UserName, Email: r.UserEmail, InstitutionID: r.InstitutionID}}
	}
	return out, total, nil
}

// CountCurrentEnrolments returns how many enrolments of a course have the
// status (active or completed; "" both), from the counts triggers keep in
// step with enrolments (migration 20261202030000_list_counts): at most 16
// rows, whatever the course's size.
func (s *Store) CountCurrentEnrolments(ctx context.Context, courseID int64, status EnrolmentStatus) (int, error) {
	q, err := countCurrent(s.db, courseID, status)
	if err != nil {
		return 0, err
	}
	var n int
	if err := q.Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("count enrolments of %d: %w", courseID, err)
	}
	return n, nil
}

// countCurrent selects, as enrolments, how many enrolments of a course
// have status ("": active or completed) from the counts kept per course:
// one row, 0 for a course without any.
func countCurrent(db bun.IDB, courseID int64, status EnrolmentStatus) (*bun.SelectQuery, error) {
	column := map[EnrolmentStatus]string{"": "c.active + c.completed", EnrolmentActive: "c.active",
		EnrolmentCompleted: "c.completed"}[status]
	if column == "" {
		return nil, fmt.Errorf("count %q enrolments of %d: not a current status", status, courseID)
	}
	return db.NewSelect().TableExpr("course_enrolment_counts AS c").ColumnExpr("coalesce(sum(?), 0) AS enrolments", bun.Safe(column)).
		Where("c.course_id = ?", courseID), nil
}
