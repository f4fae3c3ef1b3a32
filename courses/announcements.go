package courses

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// ErrInvalidAnnouncement: an announcement without a title, or with a title
// or body too long.
var ErrInvalidAnnouncement = errors.New("courses: invalid announcement")

// Announcement is an instructor's message to everyone enrolled in a
// course, listed on the course page.
type Announcement struct {
	bun.BaseModel `bun:"table:course_announcements,alias:ann"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	CourseID     int64     `bun:"course_id" json:"course_id"`
	AuthorID     *int64    `bun:"author_id" json:"author_id"`
	Title        string    `bun:"title" json:"title"`
	BodyMarkdown string    `bun:"body_markdown" json:"body_markdown"`
	BodyHTML     string    `bun:"body_html" json:"body_html"`
	CreatedAt    time.Time `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
}

// AnnouncementParams are what an instructor writes.
type AnnouncementParams struct {
	Title        string
	BodyMarkdown string
}

// AnnouncementHook runs inside the transaction that publishes an
// announcement, with the learners enrolled in the course (active or
// completed): package notify tells each of them.
type AnnouncementHook func(ctx context.Context, tx bun.IDB, a Announcement, course Course, userIDs []int64) error

// OnAnnounced registers a hook for new announcements. Call it while wiring.
func (s *Service) OnAnnounced(h AnnouncementHook) { s.onAnnounced = append(s.onAnnounced, h) }

// Announce publishes an announcement to everyone enrolled in a course.
// Only the course's editors (its instructors, admins) announce; others
// get ErrForbidden, or ErrNotFound for a course they may not see.
func (s *Service) Announce(ctx context.Context, actor Actor, courseID int64, p AnnouncementParams) (*Announcement, error) {
	a := &Announcement{CourseID: courseID, Title: strings.TrimSpace(p.Title), BodyMarkdown: strings.TrimSpace(p.BodyMarkdown), CreatedAt: s.now()}
	if a.Title == "" || utf8.RuneCountInString(a.Title) > 200 || len(a.BodyMarkdown) > 20000 {
		return nil, ErrInvalidAnnouncement
	}
	html, err := RenderMarkdown(a.BodyMarkdown)
	if err != nil {
		return nil, err
	}
	a.BodyHTML = html
	if actor.UserID != 0 {
		id := actor.UserID
		a.AuthorID = &id
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.editable(ctx, tx, actor, courseID)
		if err != nil {
			return err
		}
		st := NewStore(tx)
		if err := st.InsertAnnouncement(ctx, a); err != nil {
			return err
		}
		learners, err := st.EnrolledUserIDs(ctx, courseID)
		if err != nil {
			return err
		}
		for _, h := range s.onAnnounced {
			if err := h(ctx, tx, *a, *c, learners); err != nil {
				return fmt.Errorf("announcement hook: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("courses: announce in %d: %w", courseID, err)
	}
	return a, nil
}

// Announcements returns the newest announcements of a course, at most
// limit, to someone whose access to it acc says (Access: it may see the
// course).
func (s *Service) Announcements(ctx context.Context, acc *Access, limit int) ([]Announcement, error) {
	list, err := NewStore(s.db).Announcements(ctx, acc.Course.ID, limit)
	if err != nil {
		return nil, fmt.Errorf("courses: announcements of %d: %w", acc.Course.ID, err)
	}
	return list, nil
}

// InsertAnnouncement stores a new announcement.
func (s *Store) InsertAnnouncement(ctx context.Context, a *Announcement) error {
	_, err := s.db.NewInsert().Model(a).Returning("id, created_at").Exec(ctx)
	return err
}

// Announcements returns a course's newest announcements.
func (s *Store) Announcements(ctx context.Context, courseID int64, limit int) ([]Announcement, error) {
	var out []Announcement
	err := s.db.NewSelect().Model(&out).Where("ann.course_id = ?", courseID).
		OrderExpr("ann.created_at DESC, ann.id DESC").Limit(limit).Scan(ctx)
	return out, err
}

// EnrolledUserIDs returns the users with an active or completed enrolment
// in a course, in id order.
func (s *Store) EnrolledUserIDs(ctx context.Context, courseID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*Enrolment)(nil)).Column("user_id").
		Where("course_id = ? AND status IN (?, ?)", courseID, EnrolmentActive, EnrolmentCompleted).
		OrderExpr("user_id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("enrolled users of %d: %w", courseID, err)
	}
	return ids, nil
}
