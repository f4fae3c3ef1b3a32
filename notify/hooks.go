package notify

import (
	"context"
	htmltemplate "html/template"
	"slices"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// The hooks other domains run inside their transactions (wiring registers
// them), so each notice commits with the write it tells of.

// Enrolled tells people enrolled by someone else (an admin, a cohort, a
// CSV import) that they were (courses.EnrolmentHook). Enrolling oneself
// needs no notice.
func (s *Service) Enrolled(ctx context.Context, tx bun.IDB, courseID int64, userIDs []int64, by int64) error {
	if by == 0 {
		return nil
	}
	ids := slices.DeleteFunc(slices.Clone(userIDs), func(id int64) bool { return id == by })
	if len(ids) == 0 {
		return nil
	}
	c, err := courses.CourseIn(ctx, tx, courseID)
	if err != nil {
		return err
	}
	return s.deliver(ctx, tx, ids, notice{kind: KindEnrolled, args: []string{c.Title}, link: "/courses/" + c.Slug})
}

// CertificateChanged tells the holder that a certificate was issued (with
// its verification link), revoked (with the reason) or corrected
// (certificates.ChangeHook).
func (s *Service) CertificateChanged(ctx context.Context, tx bun.IDB, kind certificates.EventKind, c certificates.Certificate, reason string) error {
	n := notice{args: []string{c.CourseTitle, c.Code}, link: "/verify/" + c.Code}
	switch kind {
	case certificates.EventIssued:
		if c.Kind() == certificates.KindParticipation {
			// The closing of its event tells of it, as a certificate of
			// participation under the events topic (EventsNotifier): one
			// notice, not two.
			return nil
		}
		n.kind = KindCertificateIssued
	case certificates.EventRevoked:
		n.kind, n.args, n.link = KindCertificateRevoked, append(n.args, reason), "/my/certificates"
	case certificates.EventReissued:
		n.kind = KindCertificateCorrected
	default:
		return nil
	}
	return s.deliver(ctx, tx, []int64{c.UserID}, n)
}

// AttemptTimedOut tells a learner that a quiz attempt closed by its time
// limit was graded with its saved answers (assessment.TimedOutHook).
func (s *Service) AttemptTimedOut(ctx context.Context, tx bun.IDB, a assessment.Attempt, quiz assessment.Quiz, res assessment.Result) error {
	return s.deliver(ctx, tx, []int64{a.UserID}, notice{kind: KindAttemptTimedOut,
		args: []string{quiz.Title, strconv.FormatFloat(res.Percent, 'f', -1, 64)},
		link: "/attempts/" + strconv.FormatInt(a.ID, 10)})
}

// Announced sends an instructor's announcement to everyone enrolled in
// the course (courses.AnnouncementHook): the mail sent at once carries its
// text; the bell and the digest its title.
func (s *Service) Announced(ctx context.Context, tx bun.IDB, a courses.Announcement, c courses.Course, userIDs []int64) error {
	ids := userIDs
	if a.AuthorID != nil {
		ids = slices.DeleteFunc(slices.Clone(userIDs), func(id int64) bool { return id == *a.AuthorID })
	}
	return s.deliver(ctx, tx, ids, notice{kind: KindAnnouncement, args: []string{c.Title, a.Title},
		link:     "/courses/" + c.Slug + "#announcement-" + strconv.FormatInt(a.ID, 10),
		bodyText: a.BodyMarkdown,
		// Sanitised by courses.RenderMarkdown, the modules' policy.
		bodyHTML: htmltemplate.HTML(a.BodyHTML)})
}
