package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// LearnerHome is a signed-in learner's home page: what they are doing,
// what is due, what they earned and what is new for them.
type LearnerHome struct {
	// InProgress are their active enrolments with progress and the next
	// module.
	InProgress []courses.LearnerCourse
	// Deadlines are their open timed attempts, soonest first. Quizzes have
	// no closing date of their own yet; seminars will add theirs here.
	Deadlines []Deadline
	// Certificates are their valid certificates, newest first.
	Certificates []LatestCertificate
	// Newest are the catalogue's newest courses in their language that they
	// are not enrolled in.
	Newest []courses.Course
}

// Deadline is an open attempt that must be submitted in time.
type Deadline struct {
	AttemptID int64     `bun:"attempt_id"`
	Quiz      string    `bun:"quiz_title"`
	Course    string    `bun:"course_title"`
	Deadline  time.Time `bun:"deadline"`
}

// newestCourses is how many new courses the learner's home suggests.
const newestCourses = 4

// LearnerHome returns the home page of the signed-in actor; language is
// the course language of their interface ("es", "pt", "en"). Visitors get
// ErrForbidden.
func (s *Service) LearnerHome(ctx context.Context, actor courses.Actor, language string) (*LearnerHome, error) {
	if !actor.SignedIn() {
		return nil, fmt.Errorf("reports: learner home: %w", ErrForbidden)
	}
	mine, err := s.courses.MyCourses(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	h := &LearnerHome{}
	enrolled := map[int64]bool{}
	for _, m := range mine {
		enrolled[m.Course.ID] = true
		if m.Enrolment.Status == courses.EnrolmentActive {
			h.InProgress = append(h.InProgress, m)
		}
	}
	store := NewStore(s.db)
	if h.Deadlines, err = store.Deadlines(ctx, actor.UserID, s.now()); err != nil {
		return nil, err
	}
	if h.Certificates, err = store.UserCertificates(ctx, actor.UserID); err != nil {
		return nil, err
	}
	newest, _, err := s.courses.Catalog(ctx, courses.CatalogQuery{Language: language, Limit: newestCourses + len(enrolled)})
	if err != nil {
		return nil, err
	}
	for _, c := range newest {
		if !enrolled[c.ID] && len(h.Newest) < newestCourses {
			h.Newest = append(h.Newest, c)
		}
	}
	return h, nil
}

// Deadlines returns a user's open timed attempts whose deadline is still
// ahead, soonest first.
func (s *Store) Deadlines(ctx context.Context, userID int64, now time.Time) ([]Deadline, error) {
	var list []Deadline
	err := s.db.NewRaw(`WITH d AS NOT MATERIALIZED (?), c AS NOT MATERIALIZED (?)
		SELECT d.attempt_id, d.quiz_title, c.title AS course_title, d.deadline
		FROM d JOIN c ON c.course_id = d.course_id
		WHERE d.user_id = ? AND d.deadline > ? ORDER BY d.deadline LIMIT 20`,
		assessment.ReportOpenDeadlines(s.db), courses.ReportCourses(s.db), userID, now).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("deadlines of user %d: %w", userID, err)
	}
	return list, nil
}

// UserCertificates returns a user's valid certificates, newest first.
func (s *Store) UserCertificates(ctx context.Context, userID int64) ([]LatestCertificate, error) {
	var list []LatestCertificate
	err := s.db.NewRaw(`WITH cert AS NOT MATERIALIZED (?)
		SELECT cert.code, cert.holder_name, cert.course_title, cert.issued_at FROM cert
		WHERE cert.user_id = ? ORDER BY cert.issued_at DESC LIMIT 20`, certificates.ReportCertificates(s.db), userID).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("certificates of user %d: %w", userID, err)
	}
	return list, nil
}
