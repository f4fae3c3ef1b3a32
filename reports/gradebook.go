package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aula-platform/aula/courses"
)

// GradebookQuery chooses the rows of a course's gradebook.
type GradebookQuery struct {
	CourseID int64
	// InstitutionID keeps one institution's learners (0: all that the
	// viewer may see; a coordinator sees only their own anyway).
	InstitutionID int64
	// Status keeps "active" or "completed" enrolments ("": both).
	Status string
	// Sort is "name" (the default), "enrolled" (newest first) or
	// "completed" (latest completions first, then those not completed).
	Sort string
	// After is the cursor of the page to read (Gradebook.Next); "" is the
	// first page.
	After string
	// Limit is the page size (1..MaxPage; 50 otherwise).
	Limit int
}

// GradebookSorts and GradebookStatuses are the values GradebookQuery
// accepts, for forms and validation.
var (
	GradebookSorts    = []string{"name", "enrolled", "completed"}
	GradebookStatuses = []string{"active", "completed"}
)

// QuizColumn is one quiz of a course, a column of its gradebook.
type QuizColumn struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Required bool   `json:"required"`
	// counts: passing it is part of completing the course (required and
	// open: not archived, with questions), as courses' progress counts it.
	counts bool
}

// QuizCell is one learner's standing in one quiz: the best submitted
// percent (nil before any attempt was submitted) and how many attempts
// they submitted.
type QuizCell struct {
	QuizID   int64    `json:"quiz_id"`
	Best     *float64 `json:"best_percent"`
	Attempts int      `json:"attempts"`
}

// GradebookRow is one enrolled learner of a course.
type GradebookRow struct {
	EnrolmentID  int64      `json:"enrolment_id"`
	UserID       int64      `json:"user_id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Institution  string     `json:"institution"` // its acronym, "" for none
	Status       string     `json:"status"`
	EnrolledAt   time.Time  `json:"enrolled_at"`
	Progress     int        `json:"progress_percent"`
	LastActivity time.Time  `json:"last_activity_at"`
	Quizzes      []QuizCell `json:"quizzes"`
	CompletedAt  *time.Time `json:"completed_at"`
	Certificate  string     `json:"certificate_code"` // "" for none (or revoked)
}

// Gradebook is one page of a course's gradebook.
type Gradebook struct {
	Course  *courses.Course
	Quizzes []QuizColumn
	Rows    []GradebookRow
	// Next is the cursor of the next page, "" on the last one.
	Next string
	// Scope is the institution the viewer is limited to (0: none).
	Scope int64
}

// Gradebook returns a page of a course's gradebook: one row per enrolled
// learner, sorted and filtered as q says. Those who follow the course's
// learners see it (courses.Service.Oversight: its instructors and admins
// every learner, coordinators their own institution's); others get
// courses.ErrForbidden, or courses.ErrNotFound for a course they may not see.
func (s *Service) Gradebook(ctx context.Context, actor courses.Actor, q GradebookQuery) (*Gradebook, error) {
	gb, spec, after, kept, err := s.openGradebook(ctx, actor, &q)
	if err != nil {
		return nil, err
	}
	limit := pageSize(q.Limit)
	if q.InstitutionID == 0 {
		// An institution's learners are read through its own index by
		// name: only the whole course needs its size to choose (few).
		spec = spec.sized(kept)
	}
	rows, err := s.gradebookRows(ctx, q, spec, after, gb.Quizzes, limit+1)
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		gb.Next = spec.cursor(rows[limit-1]).String()
	}
	gb.Rows = rows
	return gb, nil
}

// GradebookExport is a whole gradebook to write out: its header, checked
// and scoped for the actor, and the rows still to read.
type GradebookExport struct {
	// Gradebook is the course, its quiz columns and the scope; no rows.
	*Gradebook
	// Rows is how many rows the filters keep (from the first page on).
	Rows int
	// Background says the export is too large to stream while its reader
	// waits (more than the service's inline rows): StartGradebookExport
	// makes it as a job instead.
	Background bool
	s          *Service
	q          GradebookQuery
	spec       sortSpec
	after      *cursor
}

// ExportGradebook checks that actor may read the gradebook q asks for, as
// Gradebook does, and returns it for Each to walk, with its size. The
// check comes first so that a refusal is an answer of its own, not a
// broken download.
func (s *Service) ExportGradebook(ctx context.Context, actor courses.Actor, q GradebookQuery) (*GradebookExport, error) {
	gb, spec, after, kept, err := s.openGradebook(ctx, actor, &q)
	if err != nil {
		return nil, err
	}
	x := &GradebookExport{Gradebook: gb, s: s, q: q, spec: spec, after: after}
	if err := x.size(ctx, kept); err != nil {
		return nil, err
	}
	x.Background = x.Rows > s.inlineRows
	return x, nil
}

// size sets how many rows the export has and how they are read, for a
// course with kept enrolments of the export's status: an institution's
// are counted, and read through its own index by name whatever their
// number.
func (x *GradebookExport) size(ctx context.Context, kept int) (err error) {
	if x.q.InstitutionID != 0 {
		x.Rows, err = x.s.institutionCount(ctx, x.q)
		return err
	}
	x.Rows, x.spec = kept, x.spec.sized(kept)
	return nil
}

// Each calls fn with every row the export's query keeps (from its cursor
// on, whatever its page size), reading chunk rows per query, so an export
// of any size keeps memory flat.
func (x *GradebookExport) Each(ctx context.Context, fn func(*GradebookRow) error) error {
	after := x.after
	// The first chunk is small, so that the file's first bytes leave as
	// soon as they can: a whole chunk is some 20 ms of the database's
	// time at 40,000 learners, more on a busy server.
	n := min(firstChunk, chunk)
	for {
		rows, err := x.s.gradebookRows(ctx, x.q, x.spec, after, x.Quizzes, n)
		if err != nil {
			return err
		}
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		if len(rows) < n {
			return nil
		}
		c := x.spec.cursor(rows[len(rows)-1])
		after, n = &c, chunk
	}
}

// openGradebook checks who asks, scopes q to what they may see, and
// returns the gradebook's header with its sort and starting point, and
// how many enrolments of q's status the whole course has.
func (s *Service) openGradebook(ctx context.Context, actor courses.Actor, q *GradebookQuery) (*Gradebook, sortSpec, *cursor, int, error) {
	spec, after, err := planGradebook(q)
	if err != nil {
		return nil, sortSpec{}, nil, 0, err
	}
	o, err := s.courses.Oversight(ctx, actor, q.CourseID)
	if err != nil {
		return nil, sortSpec{}, nil, 0, err
	}
	if q.InstitutionID, err = o.Scope(q.InstitutionID); err != nil {
		return nil, sortSpec{}, nil, 0, err
	}
	gb := &Gradebook{Course: o.Course, Scope: o.InstitutionID}
	var kept int
	err = s.read(ctx, func(st *Store) (err error) {
		gb.Quizzes, kept, err = st.GradebookHead(ctx, q.CourseID, courses.EnrolmentStatus(q.Status))
		return err
	})
	if err != nil {
		return nil, sortSpec{}, nil, 0, err
	}
	return gb, spec, after, kept, nil
}

// planGradebook checks q's sort and status and reads its cursor.
func planGradebook(q *GradebookQuery) (sortSpec, *cursor, error) {
	if q.Sort == "" {
		q.Sort = "name"
	}
	spec, ok := gradebookSorts[q.Sort]
	if !ok || (q.Status != "" && q.Status != "active" && q.Status != "completed") {
		return sortSpec{}, nil, fmt.Errorf("gradebook sort %q, status %q: %w", q.Sort, q.Status, ErrInvalidFilter)
	}
	after, err := parseCursor(q.After)
	return spec, after, err
}

// sortSpec is one way of sorting the gradebook, with its keyset condition.
type sortSpec struct {
	order string // ORDER BY, ending with an id so rows never tie
	// few is order written so that no index serves it, for a course with
	// few enrolments (fewEnrolments): its rows are read and sorted ("" when
	// order is not served by an index other than the course's).
	few   string
	outer string // order over the page's columns (pg)
	after string // the condition for rows after a cursor: key, then id
	// bound repeats after's condition on the key alone ("" none), which
	// an index can serve where it cannot serve the row comparison: without
	// it a deep page walked the index from the first key, and an export of
	// 40,000 rows read in chunks scanned quadratically (> 20 s).
	bound string
	key   func(r *GradebookRow) string
	id    func(r *GradebookRow) int64 // the id after's second value is
}

// fewEnrolments is the most enrolments a course may have for its
// gradebook by name to be read by sorting them all: beyond it the users'
// name index is walked, keeping those enrolled. The walk reads about
// users/enrolments learners per row kept, the sort every enrolment, so
// they cost alike near √(users × page): at 100,000 users and pages of
// 50, some 2,200. PostgreSQL prices each probe of the walk as if its
// index pages were cached and walked even for a course of 600 (8,800
// users read for 51 rows, 50 ms where sorting took 4).
var fewEnrolments = 2000

// sized is s for a course (or a filter of it) of n enrolments.
func (s sortSpec) sized(n int) sortSpec {
	if n <= fewEnrolments && s.few != "" {
		s.order = s.few
	}
	return s
}

func (s sortSpec) cursor(r GradebookRow) cursor { return cursor{Key: s.key(&r), ID: s.id(&r)} }

func enrolmentID(r *GradebookRow) int64 { return r.EnrolmentID }

// By name, ties go by the learner's id (one enrolment per learner and
// course), so the keyset condition is on users alone, (name, id): its
// index serves it as an index condition, and the planner estimates it
// rightly. Ordered by (name, enrolment id) the condition spanned two
// tables: the last chunk of an export, estimated at 2 rows, was read by
// hashing the whole course's 40,000 enrolments (1.3 s) instead of
// probing the few hundred learners left. The name with an empty string appended orders
// alike (same text, same collation) but is no column an index holds.
var gradebookSorts = map[string]sortSpec{
	"name": {order: "p.name, p.user_id", few: "p.name || '', p.user_id", outer: "pg.name, pg.user_id",
		after: "(p.name, p.user_id) > (?, ?)",
		key:   func(r *GradebookRow) string { return r.Name }, id: func(r *GradebookRow) int64 { return r.UserID }},
	"enrolled": {order: "e.enrolled_at DESC, e.enrolment_id DESC", outer: "pg.enrolled_at DESC, pg.enrolment_id DESC",
		after: "(e.enrolled_at, e.enrolment_id) < (?::timestamptz, ?)",
		bound: "e.enrolled_at <= ?::timestamptz",
		key:   func(r *GradebookRow) string { return r.EnrolledAt.Format(time.RFC3339Nano) }, id: enrolmentID},
	"completed": {order: "coalesce(e.completed_at, '-infinity') DESC, e.enrolment_id DESC",
		outer: "coalesce(pg.completed_at, '-infinity') DESC, pg.enrolment_id DESC",
		after: "(coalesce(e.completed_at, '-infinity'), e.enrolment_id) < (?::timestamptz, ?)",
		key: func(r *GradebookRow) string {
			if r.CompletedAt == nil {
				return "-infinity"
			}
			return r.CompletedAt.Format(time.RFC3339Nano)
		}, id: enrolmentID},
}

// gradebookRows reads up to limit rows after the cursor and turns them
// into GradebookRows with one cell per quiz column.
func (s *Service) gradebookRows(ctx context.Context, q GradebookQuery, spec sortSpec, after *cursor, quizzes []QuizColumn, limit int) ([]GradebookRow, error) {
	var raw []gradebookRow
	err := s.read(ctx, func(st *Store) (err error) {
		raw, err = st.Gradebook(ctx, gradebookFilter{CourseID: q.CourseID, InstitutionID: q.InstitutionID,
			Status: q.Status, Order: spec.order, Outer: spec.outer, After: spec.after, Bound: spec.bound, Cursor: after, Limit: limit})
		return err
	})
	if err != nil {
		return nil, err
	}
	column := make(map[int64]int, len(quizzes))
	required := 0
	for j, qz := range quizzes {
		column[qz.ID] = j
		if qz.counts {
			required++
		}
	}
	rows := make([]GradebookRow, len(raw))
	// One backing array for every row's cells: a page's or chunk's cells
	// are one allocation.
	cells := make([]QuizCell, len(raw)*len(quizzes))
	for i, r := range raw {
		row := GradebookRow{EnrolmentID: r.EnrolmentID, UserID: r.UserID, Name: r.Name, Email: r.Email, Institution: r.Institution,
			Status: r.Status, EnrolledAt: r.EnrolledAt, LastActivity: r.LastActivity, CompletedAt: r.CompletedAt, Certificate: r.Certificate,
			Quizzes: cells[i*len(quizzes) : (i+1)*len(quizzes) : (i+1)*len(quizzes)]}
		for j, qz := range quizzes {
			row.Quizzes[j].QuizID = qz.ID
		}
		passed, err := parseQuizResults(r.Quizzes, column, row.Quizzes, quizzes)
		if err != nil {
			return nil, fmt.Errorf("quiz results of enrolment %d: %w", r.EnrolmentID, err)
		}
		row.Progress = progress(r, passed, required)
		rows[i] = row
	}
	return rows, nil
}

// parseQuizResults fills cells (one per quiz column) from an enrolment's
// results as the gradebook query writes them, "id:best:attempts:passed"
// joined by spaces, and returns how many quizzes that count towards
// completion it passed. Results of a quiz that is no column (archived)
// are left out, as courses' progress leaves them out.
func parseQuizResults(s string, column map[int64]int, cells []QuizCell, quizzes []QuizColumn) (passed int, err error) {
	for s != "" {
		var item string
		item, s, _ = strings.Cut(s, " ")
		id, rest, ok1 := strings.Cut(item, ":")
		best, rest, ok2 := strings.Cut(rest, ":")
		attempts, pass, ok3 := strings.Cut(rest, ":")
		qid, err1 := strconv.ParseInt(id, 10, 64)
		n, err2 := strconv.Atoi(attempts)
		if !ok1 || !ok2 || !ok3 || err1 != nil || err2 != nil {
			return 0, fmt.Errorf("result %q: malformed", item)
		}
		j, ok := column[qid]
		if !ok {
			continue
		}
		cells[j].Attempts = n
		if best != "" {
			b, err := strconv.ParseFloat(best, 64)
			if err != nil {
				return 0, fmt.Errorf("result %q: %w", item, err)
			}
			cells[j].Best = &b
		}
		if pass == "1" && quizzes[j].counts {
			passed++
		}
	}
	return passed, nil
}

// progress is the percentage courses shows for an enrolment: complete is
// 100; otherwise the live modules done and required quizzes passed, over
// both (courses' module progress plus assessment's requirement).
func progress(r gradebookRow, requiredDone, requiredTotal int) int {
	if r.Status == string(courses.EnrolmentCompleted) {
		return 100
	}
	total := r.ModulesTotal + requiredTotal
	if total == 0 {
		return 0
	}
	return (r.ModulesDone + requiredDone) * 100 / total
}

// institutionCount is the number of rows of the gradebook's export of
// one institution's learners, counted from their few hundred enrolments
// (the whole course's is kept per course and status: GradebookHead).
func (s *Service) institutionCount(ctx context.Context, q GradebookQuery) (n int, err error) {
	err = s.read(ctx, func(st *Store) (err error) {
		n, err = st.GradebookCount(ctx, gradebookFilter{CourseID: q.CourseID, InstitutionID: q.InstitutionID, Status: q.Status})
		return err
	})
	return n, err
}
