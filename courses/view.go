package courses

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aula-platform/aula/accounts"
)

// view reads a course with what actor may do with it and, as q asks, the
// page's data, in one statement, and refuses a course the actor may not
// see (ErrNotFound, as if it did not exist).
//
// With q.session the actor is the user signed in with it, as the statement
// found them (viewRow.Reader; a visitor when none is), and the row comes
// back with a refusal too, for the caller to learn who was refused.
func (s *Service) view(ctx context.Context, actor Actor, q viewQuery) (*Access, *viewRow, error) {
	if q.session == nil {
		q.userID = actor.UserID
		q.instructor = actor.SignedIn() && actor.Role == accounts.RoleInstructor
	}
	if !q.noProgress {
		q.progress = s.progressColumns("e_")
	}
	row, err := NewStore(s.db).View(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	if q.session != nil {
		actor = Actor{}
		if row.Reader.ID != 0 {
			actor = ActorFor(&row.Reader)
		}
	}
	acc := accessOf(actor, &row.Course, row.Instructor, row.Enrolment)
	if !acc.CanView() {
		return nil, row, fmt.Errorf("course %s: %w", q.ref, ErrNotFound)
	}
	return acc, row, nil
}

// outline splits the outline a view read into the modules and the set of
// those the reader completed.
func (r *viewRow) outline() ([]Module, map[int64]bool) {
	mods := make([]Module, len(r.Outline))
	done := make(map[int64]bool)
	for i, o := range r.Outline {
		mods[i] = o.Module
		if o.Done {
			done[o.ID] = true
		}
	}
	return mods, done
}

// CourseView is what a course page shows: what the reader may do, the
// live modules in order, those the reader completed, and who teaches it.
type CourseView struct {
	Access      *Access
	Modules     []Module
	Done        map[int64]bool
	Instructors []accounts.User
	// Announcements are the course's newest (AnnouncementsShown), newest first.
	Announcements []Announcement
}

// AnnouncementsShown is how many announcements a course page lists.
const AnnouncementsShown = 10

// ViewCourse returns the course page's data for actor, in one statement. A
// course the actor may not see is ErrNotFound.
func (s *Service) ViewCourse(ctx context.Context, actor Actor, ref CourseRef) (*CourseView, error) {
	acc, row, err := s.view(ctx, actor, viewQuery{ref: ref, outline: true, instructors: true, announcements: AnnouncementsShown})
	if err != nil {
		return nil, err
	}
	v := &CourseView{Access: acc, Instructors: row.Instructors, Announcements: row.Announcements}
	v.Modules, v.Done = row.outline()
	return v, nil
}

// ReadModule returns a module for reading: to enrolled learners (active or
// completed) and to the course's editors, who preview it as learners will
// see it. Others who can see the course get ErrNotEnrolled (which is also
// ErrForbidden); those who cannot see it, ErrNotFound. Archived modules
// are for editors only. The course, the reader's access, the module and
// its neighbours are one statement. The enrolment's progress is not
// counted (ProgressPercent 0): a module page does not show it, and its
// counts are most of what the statement executes.
func (s *Service) ReadModule(ctx context.Context, actor Actor, course CourseRef, id int64) (*Reading, error) {
	r, _, err := s.readModule(ctx, actor, viewQuery{ref: course, moduleID: id, markdown: true})
	return r, err
}

// ReadModuleBody is ReadModule for the module page, which shows the body
// as HTML only: the Markdown source is not read, and neither is the body
// when known is the module's Reading.BodyVersion (the caller kept the body
// of an earlier read; Reading.SameBody says so and Module.BodyHTML is
// then empty). The version is read in the same statement as the access,
// so a body kept by one process is never shown after another changed it.
//
// What AttachToModules asks for comes in the same statement
// (Reading.Attachments).
//
// The Reading has only what the page shows and the access rules use: of
// the course, its id, slug, title, language, status and cover; of the
// enrolment, its id, course, user and status; of the module, all but its
// timestamps (pageExcept). The other fields are zero.
func (s *Service) ReadModuleBody(ctx context.Context, actor Actor, course CourseRef, id int64, known string) (*Reading, error) {
	r, _, err := s.readModule(ctx, actor, viewQuery{ref: course, moduleID: id, knownBody: known, attachments: s.moduleAttachments, page: true})
	return r, err
}

// ReadModuleBodyForSession is ReadModuleBody for whoever is signed in with
// the browser session token, looked up in the same statement
// (ReadSessionsWith): the module page is then one round trip, where the
// session and the page were two. The session's rule is accounts' own
// (Sessions), checked in PostgreSQL on every call as before, so a
// signed-out session or a disabled user reads nothing.
//
// It returns the reader: nil, with a nil Reading and error, when nobody
// is signed in with token, and also when the course does not exist (the
// statement then reads no row, so it cannot say who reads): the caller
// looks the session up on its own then. With a reader, the Reading and
// the error are ReadModuleBody's for them.
func (s *Service) ReadModuleBodyForSession(ctx context.Context, token string, course CourseRef, id int64, known string) (*accounts.User, *Reading, error) {
	if s.sessions == nil {
		return nil, nil, errors.New("courses: ReadModuleBodyForSession before ReadSessionsWith")
	}
	hash, now := s.sessions.SessionArgs(token)
	r, row, err := s.readModule(ctx, Actor{}, viewQuery{ref: course, moduleID: id, knownBody: known,
		attachments: s.moduleAttachments, session: &sessionArgs{hash: hash, now: now}, sessions: s.sessions, page: true})
	if row == nil || row.Reader.ID == 0 {
		if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) {
			return nil, nil, err // the statement failed: nothing to fall back on
		}
		return nil, nil, nil
	}
	u := row.Reader
	return &u, r, err
}

func (s *Service) readModule(ctx context.Context, actor Actor, q viewQuery) (*Reading, *viewRow, error) {
	id := q.moduleID
	q.noProgress = true
	// Attachments are read for a signed-in reader only (viewSQL).
	attaches := q.attachments != "" && (q.session != nil || actor.SignedIn())
	if _, known := s.attachedModules.Load(id); attaches && !known {
		q.attached = s.moduleAttached
	}
	acc, row, err := s.view(ctx, actor, q)
	switch {
	case err != nil || !attaches: // nothing read to learn from
	case q.attached != "" && row.Attached:
		// Something was attached since this process last looked (or it
		// never did): read it, and at once from now on.
		s.attachedModules.Store(id, true)
		q.attached = ""
		acc, row, err = s.view(ctx, actor, q)
	case q.attached == "" && isNull(row.Attachments):
		s.attachedModules.Delete(id) // detached since
	}
	if err != nil {
		return nil, row, err
	}
	if row.Module.ID == 0 {
		return nil, row, fmt.Errorf("courses: module %d: %w", id, ErrNotFound)
	}
	m := &row.Module
	if m.ArchivedAt != nil && !acc.Editor {
		return nil, row, fmt.Errorf("courses: module %d is archived: %w", id, ErrNotFound)
	}
	if !acc.CanRead() {
		return nil, row, fmt.Errorf("courses: read module %d: %w", id, errors.Join(ErrNotEnrolled, ErrForbidden))
	}
	r := &Reading{Access: acc, Module: m, Count: row.Live, BodyVersion: row.BodyVersion,
		SameBody: q.knownBody != "" && row.BodyVersion == q.knownBody, Attachments: row.Attachments}
	if m.ArchivedAt == nil {
		// An archived module, which only editors open, has no place
		// among those learners see, and no learner completes it.
		r.Position, r.Done = row.Before+1, row.Done
	}
	if row.Prev.ID != 0 {
		r.Prev = &row.Prev
	}
	if row.Next.ID != 0 {
		r.Next = &row.Next
	}
	return r, row, nil
}

// isNull reports whether a jsonb column read nothing (SQL NULL, or JSON null).
func isNull(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }
