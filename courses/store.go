package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/postgres"
)

// Store runs the queries of courses, modules and files on a database or
// inside a transaction. It checks no permission: the Service does.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db (a *bun.DB or a bun.Tx).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// Course returns the course with id.
func (s *Store) Course(ctx context.Context, id int64) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("course %d: %w", id, notFound(err))
	}
	return c, nil
}

// LockCourse returns the course with id, locked until the end of the
// transaction s runs in.
func (s *Store) LockCourse(ctx context.Context, id int64) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("c.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("lock course %d: %w", id, notFound(err))
	}
	return c, nil
}

// CourseBySlug returns the course with slug.
func (s *Store) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("c.slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("course %q: %w", slug, notFound(err))
	}
	return c, nil
}

// TakenSlugs returns which of the candidate slugs courses use already.
func (s *Store) TakenSlugs(ctx context.Context, candidates []string) (map[string]bool, error) {
	var slugs []string
	err := s.db.NewSelect().Model((*Course)(nil)).Column("slug").
		Where("slug IN (?)", bun.List(candidates)).Scan(ctx, &slugs)
	if err != nil {
		return nil, fmt.Errorf("taken slugs: %w", err)
	}
	taken := make(map[string]bool, len(slugs))
	for _, sl := range slugs {
		taken[sl] = true
	}
	return taken, nil
}

// InsertCourse stores a new course and fills its id.
func (s *Store) InsertCourse(ctx context.Context, c *Course) error {
	if _, err := s.db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert course: %w", courseConflict(err))
	}
	return s.reload(ctx, c)
}

// reload reads c again after a write. RETURNING * cannot be used: the
// generated search column has no field in Course, and it is not worth
// fetching on every write.
func (s *Store) reload(ctx context.Context, c *Course) error {
	fresh, err := s.Course(ctx, c.ID)
	if err != nil {
		return err
	}
	*c = *fresh
	return nil
}

// UpdateCourse saves the given columns of c.
func (s *Store) UpdateCourse(ctx context.Context, c *Course, columns ...string) error {
	res, err := s.db.NewUpdate().Model(c).Column(columns...).Set("updated_at = now()").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update course %d: %w", c.ID, courseConflict(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update course %d: %w", c.ID, ErrNotFound)
	}
	return s.reload(ctx, c)
}

func courseConflict(err error) error {
	if postgres.Code(err) == postgres.UniqueViolation && postgres.Constraint(err) == "courses_slug_key" {
		return ErrSlugTaken
	}
	return err
}

// CourseFilter narrows a list of courses for the people who teach them.
type CourseFilter struct {
	// InstructorID, when not 0, keeps the courses this user teaches.
	InstructorID  int64
	Limit, Offset int
}

// Courses returns a page of courses, most recently changed first, and
// how many match.
func (s *Store) Courses(ctx context.Context, f CourseFilter) ([]Course, int, error) {
	var list []Course
	q := s.db.NewSelect().Model(&list).OrderExpr("c.updated_at DESC, c.id DESC").Limit(f.Limit).Offset(f.Offset)
	if f.InstructorID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM course_instructors AS ci WHERE ci.course_id = c.id AND ci.user_id = ?)", f.InstructorID)
	}
	total, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list courses: %w", err)
	}
	return list, total, nil
}

// IsInstructor reports whether the user teaches the course.
func (s *Store) IsInstructor(ctx context.Context, courseID, userID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*CourseInstructor)(nil)).
		Where("course_id = ? AND user_id = ?", courseID, userID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("instructor of %d: %w", courseID, err)
	}
	return ok, nil
}

// Instructors returns the users who teach a course, by name.
func (s *Store) Instructors(ctx context.Context, courseID int64) ([]accounts.User, error) {
	var users []accounts.User
	err := s.db.NewSelect().TableExpr("(?) AS u", accounts.PublicUsers(s.db)).ColumnExpr("u.*").
		Join("JOIN course_instructors AS ci ON ci.user_id = u.id").
		Where("ci.course_id = ?", courseID).OrderExpr("u.name, u.id").Scan(ctx, &users)
	if err != nil {
		return nil, fmt.Errorf("instructors of %d: %w", courseID, err)
	}
	return users, nil
}

// Teachers returns, of the given user ids, the users that may teach
// (enabled instructors and admins), keyed by id.
func (s *Store) Teachers(ctx context.Context, ids []int64) (map[int64]accounts.User, error) {
	out := map[int64]accounts.User{}
	if len(ids) == 0 {
		return out, nil
	}
	var users []accounts.User
	err := s.db.NewSelect().TableExpr("(?) AS u", accounts.PublicUsers(s.db)).ColumnExpr("u.*").
		Where("u.id IN (?) AND u.role IN (?) AND NOT u.disabled", bun.List(ids),
			bun.List([]accounts.Role{accounts.RoleInstructor, accounts.RoleAdmin})).Scan(ctx, &users)
	if err != nil {
		return nil, fmt.Errorf("teachers: %w", err)
	}
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// SetInstructors makes userIDs the instructors of a course, and no one else.
func (s *Store) SetInstructors(ctx context.Context, courseID int64, userIDs []int64) error {
	q := s.db.NewDelete().Model((*CourseInstructor)(nil)).Where("course_id = ?", courseID)
	if len(userIDs) > 0 {
		q = q.Where("user_id NOT IN (?)", bun.List(userIDs))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("set instructors of %d: %w", courseID, err)
	}
	if len(userIDs) == 0 {
		return nil
	}
	rows := make([]CourseInstructor, len(userIDs))
	for i, id := range userIDs {
		rows[i] = CourseInstructor{CourseID: courseID, UserID: id}
	}
	if _, err := s.db.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("set instructors of %d: %w", courseID, err)
	}
	return nil
}

// HasEnrolments reports whether anyone ever enrolled in the course
// (withdrawn learners included: their progress rows name its modules).
func (s *Store) HasEnrolments(ctx context.Context, courseID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Enrolment)(nil)).Where("course_id = ?", courseID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("enrolments of %d: %w", courseID, err)
	}
	return ok, nil
}

// SetStatus changes a course's status; publishing stamps published_at the
// first time.
func (s *Store) SetStatus(ctx context.Context, c *Course, status Status, now time.Time) error {
	q := s.db.NewUpdate().Model((*Course)(nil)).Set("status = ?", status).Set("updated_at = now()").Where("id = ?", c.ID)
	if status == StatusPublished {
		q = q.Set("published_at = COALESCE(published_at, ?)", now)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("set status of %d to %s: %w", c.ID, status, err)
	}
	return s.reload(ctx, c)
}
