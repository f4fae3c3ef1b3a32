package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/postgres"
)

// The queries behind the pages learners load most. Each page's data is one
// statement: the course, the actor's standing in it, the outline and what
// they completed are read together instead of one round trip each, since
// round trips, not the work PostgreSQL does for these small rows, are
// what a page costs.

// learnerCourseRow is one line of "My courses" as its query reads it.
type learnerCourseRow struct {
	Enrolment `bun:",extend"`
	Course    Course `bun:"embed:c_"`
	Next      Module `bun:"embed:n_"`
}

// LearnerCourses returns a user's active and completed enrolments, newest
// first, each with its course, its progress counted by the progress
// columns, and the first live module not completed yet.
//
// "My courses" is the page learners open most after a module: a prepared
// statement (postgres.Select), one text per progress SQL (one in a
// process).
func (s *Store) LearnerCourses(ctx context.Context, userID int64, progress bun.Safe) ([]LearnerCourse, error) {
	var rows []learnerCourseRow
	if err := postgres.Select(ctx, s.db, &rows, s.learnerCoursesSQL(progress), userID); err != nil {
		return nil, fmt.Errorf("courses of learner %d: %w", userID, err)
	}
	out := make([]LearnerCourse, len(rows))
	for i := range rows {
		r := &rows[i]
		r.Enrolment.setProgress()
		out[i] = LearnerCourse{Enrolment: r.Enrolment, Course: r.Course}
		if r.Next.ID != 0 {
			next := r.Next
			out[i].Next = &next
		}
	}
	return out, nil
}

// learnerCoursesSQL is LearnerCourses' statement for progress: $1 the
// learner.
func (s *Store) learnerCoursesSQL(progress bun.Safe) string {
	if text, ok := learnerCoursesSQLs.Load(progress); ok {
		return text.(string)
	}
	text := s.db.NewSelect().Model(new([]learnerCourseRow)).
		ColumnExpr("e.*").ColumnExpr("?", progress).
		ColumnExpr("?", postgres.Columns(s.db, (*Course)(nil), "c", "c_")).
		ColumnExpr("n.id AS n_id, n.course_id AS n_course_id, n.position AS n_position, n.title AS n_title, n.estimated_minutes AS n_estimated_minutes").
		Join("JOIN courses AS c ON c.id = e.course_id").
		Join(`LEFT JOIN LATERAL (SELECT m.id, m.course_id, m.position, m.title, m.estimated_minutes
			FROM modules AS m
			WHERE m.course_id = e.course_id AND m.archived_at IS NULL
			  AND NOT EXISTS (SELECT 1 FROM module_completions AS mc WHERE mc.enrolment_id = e.id AND mc.module_id = m.id)
			ORDER BY m.position LIMIT 1) AS n ON true`).
		Where("e.user_id = $1 AND e.status IN (?, ?)", EnrolmentActive, EnrolmentCompleted).
		OrderExpr("e.enrolled_at DESC, e.id DESC").String()
	learnerCoursesSQLs.Store(progress, text)
	return text
}

var learnerCoursesSQLs sync.Map // progress SQL → statement

// sessionLearnerCourseRow is a line of "My courses" as the statement that
// also finds the session's user reads it (LearnerCoursesForSession): the
// reader on every line, and one line without an enrolment (ID 0) when
// they have none.
type sessionLearnerCourseRow struct {
	Enrolment `bun:",extend"`
	Course    Course        `bun:"embed:c_"`
	Next      Module        `bun:"embed:n_"`
	Reader    accounts.User `bun:"embed:su_"`
}

// LearnerCoursesForSession is LearnerCourses for the user signed in with
// the session whose token hashes to hash, found in the same statement
// through sessions' query: the reader (nil when nobody is signed in with
// it, for the statement then reads no line) and their courses.
func (s *Store) LearnerCoursesForSession(ctx context.Context, sessions Sessions, hash []byte, now time.Time, progress bun.Safe) (*accounts.User, []LearnerCourse, error) {
	var rows []sessionLearnerCourseRow
	if err := postgres.Select(ctx, s.db, &rows, s.learnerCoursesForSessionSQL(sessions, progress), hash, now); err != nil {
		return nil, nil, fmt.Errorf("courses of a session's learner: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, nil
	}
	u := rows[0].Reader
	var out []LearnerCourse
	for i := range rows {
		r := &rows[i]
		if r.Enrolment.ID == 0 {
			continue // the reader's line when they have no course
		}
		r.Enrolment.setProgress()
		lc := LearnerCourse{Enrolment: r.Enrolment, Course: r.Course}
		if r.Next.ID != 0 {
			next := r.Next
			lc.Next = &next
		}
		out = append(out, lc)
	}
	return &u, out, nil
}

// learnerCoursesForSessionSQL is LearnerCoursesForSession's statement: $1
// the token's hash, $2 now. The reader is the statement's first table, so
// a valid session without enrolments still reads one line (theirs), and
// an unknown, expired or disabled one reads none.
func (s *Store) learnerCoursesForSessionSQL(sessions Sessions, progress bun.Safe) string {
	key := sessionCoursesKey{sessions, progress}
	if text, ok := learnerCoursesSQLs.Load(key); ok {
		return text.(string)
	}
	text := s.db.NewSelect().Model(new([]sessionLearnerCourseRow)).
		ModelTableExpr("(?) AS su", sessions.SessionUserQuery(s.db, "$1", "$2")).
		ColumnExpr("e.*").ColumnExpr("?", progress).
		ColumnExpr("?", postgres.Columns(s.db, (*Course)(nil), "c", "c_")).
		ColumnExpr("n.id AS n_id, n.course_id AS n_course_id, n.position AS n_position, n.title AS n_title, n.estimated_minutes AS n_estimated_minutes").
		ColumnExpr("?", postgres.Columns(s.db, (*accounts.User)(nil), "su", "su_", "password_hash")).
		ColumnExpr("su.unread AS su_unread").
		Join("LEFT JOIN (enrolments AS e JOIN courses AS c ON c.id = e.course_id) ON e.user_id = su.id AND e.status IN (?, ?)",
			EnrolmentActive, EnrolmentCompleted).
		Join(`LEFT JOIN LATERAL (SELECT m.id, m.course_id, m.position, m.title, m.estimated_minutes
			FROM modules AS m
			WHERE m.course_id = e.course_id AND m.archived_at IS NULL
			  AND NOT EXISTS (SELECT 1 FROM module_completions AS mc WHERE mc.enrolment_id = e.id AND mc.module_id = m.id)
			ORDER BY m.position LIMIT 1) AS n ON true`).
		OrderExpr("e.enrolled_at DESC, e.id DESC").String()
	learnerCoursesSQLs.Store(key, text)
	return text
}

type sessionCoursesKey struct {
	sessions Sessions
	progress bun.Safe
}

// CourseRef names a course by id or, when ID is 0, by slug.
type CourseRef struct {
	ID   int64
	Slug string
}

func (r CourseRef) String() string {
	if r.ID != 0 {
		return fmt.Sprint(r.ID)
	}
	return fmt.Sprintf("%q", r.Slug)
}

// viewQuery asks for a course and what one user is to it, and optionally
// the page's data, all in one statement.
type viewQuery struct {
	ref CourseRef
	// userID is the reader (0: a visitor); instructor says whether to ask
	// whether they teach the course (only instructors can).
	userID     int64
	instructor bool
	// session: the reader is whoever is signed in with this session,
	// found in the statement (Service.ReadSessionsWith) instead of userID;
	// whether they teach the course is asked in SQL, by their role.
	session  *sessionArgs
	sessions Sessions
	// progress counts the reader's enrolment (Service.progressColumns("e_"));
	// empty leaves the enrolment's progress uncounted (0), as noProgress
	// asks of Service.view.
	progress   bun.Safe
	noProgress bool
	// outline: the live modules, with those the enrolment completed.
	outline bool
	// instructors: who teaches the course, by name.
	instructors bool
	// moduleID: this module of the course, with its body, its neighbours
	// among the live modules, its place among them and whether the
	// reader completed it.
	moduleID int64
	// markdown: the module's Markdown source too (the API gives it to
	// editors; the module page shows only the HTML).
	markdown bool
	// knownBody is a BodyVersion of the module the caller holds the body
	// of: when the module is still that version, its body is not read
	// (nor sent). Empty: always read.
	knownBody string
	// attachments: another package's SQL read with the module
	// (Service.AttachToModules), for a signed-in reader; attached, when
	// set, the SQL asking whether it would read anything, read instead.
	attachments, attached bun.Safe
	// announcements: the newest this many announcements of the course.
	announcements int
	// page: only the columns the module page shows (pageExcept).
	page bool
}

// pageExcept are the columns of the course, the enrolment and the module
// that the module page does not show, and that its statement (viewQuery.page)
// therefore does not read: every column is carried through each of the
// plan's joins, which PostgreSQL sets up on every view, and each
// timestamp is formatted there and parsed again here. What the page and
// the access rules use (the course's id, slug, title, language, status
// and cover; the enrolment's id, course, user and status; the module's
// id, place, title, estimate, archival and body) is read as before.
var pageExcept = struct{ course, enrolment, module []string }{
	course:    []string{"summary", "workload_hours", "certificate_validity_months", "created_by", "published_at", "created_at", "updated_at"},
	enrolment: []string{"enrolled_by", "enrolled_at", "completed_at", "withdrawn_at"},
	module:    []string{"created_at", "updated_at"},
}

// sessionArgs are the values of a session's placeholders (Sessions.SessionArgs).
type sessionArgs struct {
	hash []byte
	now  time.Time
}

// viewRow is a course as viewQuery reads it.
type viewRow struct {
	Course     `bun:",extend"`
	Instructor bool      `bun:"is_instructor,scanonly"`
	Enrolment  Enrolment `bun:"embed:e_"`
	Module     Module    `bun:"embed:rm_"`
	// BodyVersion, Before, Live, Done, Prev and Next come with the module
	// (viewQuery.moduleID).
	BodyVersion string `bun:"rm_body_version,scanonly"`
	// Before counts the live modules before it, Live all of them.
	Before int    `bun:"rm_before,scanonly"`
	Live   int    `bun:"rm_live,scanonly"`
	Done   bool   `bun:"rm_done,scanonly"`
	Prev   Module `bun:"embed:pm_"`
	Next   Module `bun:"embed:nm_"`
	// Attachments is what viewQuery.attachments gave, Attached what
	// viewQuery.attached did.
	Attachments json.RawMessage `bun:"rm_attachments,scanonly"`
	Attached    bool            `bun:"rm_attached,scanonly"`
	Outline     []outlineEntry  `bun:"outline,scanonly,type:jsonb"`
	// Instructors are read through accounts.PublicUsers.
	Instructors []accounts.User `bun:"instructors,scanonly,type:jsonb"`
	// Reader is the user of viewQuery.session (ID 0: none is signed in
	// with it).
	Reader accounts.User `bun:"embed:su_"`
	// Announcements are the newest first.
	Announcements []Announcement `bun:"announcements,scanonly,type:jsonb"`
}

// outlineEntry is a module of the outline and whether the reader did it.
type outlineEntry struct {
	Module
	Done bool `json:"done"`
}

// View runs q. A course that does not exist is ErrNotFound; whether the
// reader may see it is the Service's to decide.
//
// Every course and module page, and every access check (a quiz start's),
// runs it: it is a prepared statement (postgres.SelectOne), its text one
// of a few shapes (viewSQL), so PostgreSQL plans each shape once per
// connection instead of on every call, which cost three times what
// running it does.
func (s *Store) View(ctx context.Context, q viewQuery) (*viewRow, error) {
	args := []any{q.ref.Slug}
	if q.ref.ID != 0 {
		args[0] = q.ref.ID
	}
	if q.session != nil {
		args = append(args, q.session.hash, q.session.now)
	} else if q.userID != 0 {
		args = append(args, q.userID)
	}
	if q.moduleID != 0 {
		args = append(args, q.moduleID)
		if q.knownBody != "" {
			args = append(args, q.knownBody)
		}
	}
	if q.announcements > 0 {
		args = append(args, q.announcements)
	}
	row := new(viewRow)
	if err := postgres.SelectOne(ctx, s.db, s.viewSQL(q), args, row); err != nil {
		return nil, fmt.Errorf("course %s: %w", q.ref, notFound(err))
	}
	return row, nil
}

// viewShape is what View's statement text depends on: which parts q asks
// for, not their values.
type viewShape struct {
	byID, signedIn, instructor, module, outline, instructors, announcements bool
	markdown, knownBody, page                                               bool
	progress, attachments, attached                                         bun.Safe
	// sessions, when set, reads the reader of a session (viewQuery.session).
	sessions Sessions
}

var viewSQLs sync.Map // viewShape → string

// viewSQL is the statement of q's shape, with its arguments as
// placeholders in View's order: $1 the course (id or slug), then those of
// the reader, the module and the number of announcements that q has.
func (s *Store) viewSQL(q viewQuery) string {
	shape := viewShape{byID: q.ref.ID != 0, signedIn: q.userID != 0, instructor: q.instructor, module: q.moduleID != 0,
		outline: q.outline, instructors: q.instructors, announcements: q.announcements > 0}
	if q.session != nil {
		shape.sessions, shape.signedIn, shape.instructor = q.sessions, true, true
	}
	if shape.module {
		shape.markdown, shape.knownBody, shape.page = q.markdown, q.knownBody != "", q.page
		if shape.signedIn {
			shape.attachments, shape.attached = q.attachments, q.attached
		}
	}
	if shape.signedIn {
		shape.progress = q.progress
	}
	if text, ok := viewSQLs.Load(shape); ok {
		return text.(string)
	}
	n := 1
	next := func() bun.Safe { n++; return bun.Safe(fmt.Sprintf("$%d", n)) }
	var user bun.Safe
	var courseExcept, enrolmentExcept []string
	if shape.page {
		courseExcept, enrolmentExcept = pageExcept.course, pageExcept.enrolment
	}
	sel := s.db.NewSelect().Model((*viewRow)(nil)).ColumnExpr("?", postgres.Columns(s.db, (*Course)(nil), "c", "", courseExcept...))
	// A visitor has no enrolment: the statement is then much smaller.
	completions := "module_completions AS mc ON false"
	if shape.sessions != nil {
		// A reader whose session is unknown, expired or disabled is a
		// row of NULLs: a visitor, who is refused the module.
		hash, now := next(), next()
		sel = sel.ColumnExpr("?", postgres.Columns(s.db, (*accounts.User)(nil), "su", "su_", "password_hash")).
			ColumnExpr("su.unread AS su_unread").
			Join("LEFT JOIN (?) AS su ON true", shape.sessions.SessionUserQuery(s.db, hash, now))
		user = "su.id"
	} else if shape.signedIn {
		user = next()
	}
	if shape.signedIn {
		sel = sel.ColumnExpr("?", postgres.Columns(s.db, (*Enrolment)(nil), "e", "e_", enrolmentExcept...))
		if q.progress != "" {
			sel = sel.ColumnExpr("?", q.progress)
		}
		sel = sel.Join("LEFT JOIN enrolments AS e ON e.course_id = c.id AND e.user_id = ? AND e.status IN (?, ?)",
			user, EnrolmentActive, EnrolmentCompleted)
		completions = "module_completions AS mc ON mc.module_id = m.id AND mc.enrolment_id = e.id"
	}
	switch {
	case shape.sessions != nil:
		sel = sel.ColumnExpr("(su.role = ? AND EXISTS (SELECT 1 FROM course_instructors AS ci WHERE ci.course_id = c.id AND ci.user_id = su.id)) IS TRUE AS is_instructor",
			accounts.RoleInstructor)
	case shape.instructor:
		sel = sel.ColumnExpr("EXISTS (SELECT 1 FROM course_instructors AS ci WHERE ci.course_id = c.id AND ci.user_id = ?) AS is_instructor", user)
	}
	if shape.module {
		sel = s.moduleColumns(sel, shape, next)
	}
	if shape.outline {
		sel = sel.ColumnExpr(`(SELECT jsonb_agg(jsonb_build_object('id', m.id, 'course_id', m.course_id,
				'position', m.position, 'title', m.title, 'estimated_minutes', m.estimated_minutes,
				'created_at', m.created_at, 'updated_at', m.updated_at, 'done', mc.module_id IS NOT NULL) ORDER BY m.position)
			FROM modules AS m LEFT JOIN ?
			WHERE m.course_id = c.id AND m.archived_at IS NULL) AS outline`, bun.Safe(completions))
	}
	if shape.instructors {
		sel = sel.ColumnExpr(`(SELECT jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name, 'email', u.email,
				'role', u.role, 'institution_id', u.institution_id, 'locale', u.locale, 'disabled', u.disabled) ORDER BY u.name, u.id)
			FROM course_instructors AS ci JOIN (?) AS u ON u.id = ci.user_id WHERE ci.course_id = c.id) AS instructors`,
			accounts.PublicUsers(s.db))
	}
	if shape.announcements {
		sel = sel.ColumnExpr(`(SELECT jsonb_agg(jsonb_build_object('id', a.id, 'course_id', a.course_id, 'author_id', a.author_id,
				'title', a.title, 'body_markdown', a.body_markdown, 'body_html', a.body_html, 'created_at', a.created_at)
				ORDER BY a.created_at DESC, a.id DESC)
			FROM (SELECT * FROM course_announcements AS ann WHERE ann.course_id = c.id
				ORDER BY ann.created_at DESC, ann.id DESC LIMIT ?) AS a) AS announcements`, next())
	}
	if shape.byID {
		sel = sel.Where("c.id = $1")
	} else {
		sel = sel.Where("c.slug = $1")
	}
	text := sel.String()
	viewSQLs.Store(shape, text)
	return text
}

// bodyVersion changes whenever the module's row does: xmin is the
// transaction that wrote this version of the row, whichever column it
// changed, and updated_at (which every change of the body sets) rules out
// an xmin seen again after wraparound.
const bodyVersion = "rm.xmin::text || '/' || floor(extract(epoch FROM rm.updated_at) * 1000000)::text"

// moduleColumns adds the module of the view (rm), as the module page reads
// it, to sel: its neighbours among the live modules (pm, nm) and their
// counts instead of the whole outline, which the page does not show and
// which was most of the statement's work (a jsonb object per module,
// decoded again in Go); the body only when it is not the version the
// caller holds (knownBody), and the Markdown only when asked for.
func (s *Store) moduleColumns(sel *bun.SelectQuery, shape viewShape, next func() bun.Safe) *bun.SelectQuery {
	except := []string{"body_markdown", "body_html"}
	if shape.page {
		except = append(except, pageExcept.module...)
	}
	sel = sel.ColumnExpr("?", postgres.Columns(s.db, (*Module)(nil), "rm", "rm_", except...)).
		Join("LEFT JOIN modules AS rm ON rm.id = ? AND rm.course_id = c.id", next())
	if shape.markdown {
		sel = sel.ColumnExpr("rm.body_markdown AS rm_body_markdown")
	}
	if shape.knownBody {
		sel = sel.ColumnExpr("CASE WHEN "+bodyVersion+" = ? THEN '' ELSE rm.body_html END AS rm_body_html", next())
	} else {
		sel = sel.ColumnExpr("rm.body_html AS rm_body_html")
	}
	// The module's place among the live modules and its neighbours are
	// one scan of the course's live modules (mn), where they were three
	// (a count, and one ordered LIMIT 1 scan per neighbour): PostgreSQL's
	// start-up of the statement's plan, which it runs on every view, costs
	// by the node and by the table, and the two scans were five nodes
	// and two tables more of it. Positions are unique within a course
	// (modules_course_position_key), so the nearest before and after are
	// the first of each side in position order. Of the neighbours, the
	// page links to them by id with their title: their timestamps were
	// formatted by PostgreSQL and parsed again here on every view for
	// nothing (Reading.Prev, Next).
	sel = sel.ColumnExpr(bodyVersion + " AS rm_body_version").
		ColumnExpr("mn.before AS rm_before, mn.live AS rm_live").
		ColumnExpr("mn.pm_id, CASE WHEN mn.pm_id IS NOT NULL THEN c.id END AS pm_course_id, mn.pm_position, mn.pm_title").
		ColumnExpr("mn.nm_id, CASE WHEN mn.nm_id IS NOT NULL THEN c.id END AS nm_course_id, mn.nm_position, mn.nm_title").
		Join(`LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE m.position < rm.position) AS before, count(*) AS live,
				max(m.position) FILTER (WHERE m.position < rm.position) AS pm_position,
				(array_agg(m.id ORDER BY m.position DESC) FILTER (WHERE m.position < rm.position))[1] AS pm_id,
				(array_agg(m.title ORDER BY m.position DESC) FILTER (WHERE m.position < rm.position))[1] AS pm_title,
				min(m.position) FILTER (WHERE m.position > rm.position) AS nm_position,
				(array_agg(m.id ORDER BY m.position) FILTER (WHERE m.position > rm.position))[1] AS nm_id,
				(array_agg(m.title ORDER BY m.position) FILTER (WHERE m.position > rm.position))[1] AS nm_title
			FROM modules AS m WHERE m.course_id = c.id AND m.archived_at IS NULL) AS mn ON true`)
	if shape.signedIn {
		sel = sel.ColumnExpr("EXISTS (SELECT 1 FROM module_completions AS mc WHERE mc.enrolment_id = e.id AND mc.module_id = rm.id) AS rm_done")
	}
	switch {
	case shape.attached != "":
		sel = sel.ColumnExpr("(?) AS rm_attached", shape.attached)
	case shape.attachments != "":
		sel = sel.ColumnExpr("(?) AS rm_attachments", shape.attachments)
	}
	return sel
}
