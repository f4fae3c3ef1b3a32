package certificates

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Kind says what a certificate attests.
type Kind string

// The kinds of certificate: a course completed, or an event (seminar,
// workshop, webinar) attended. Both have the same codes, signatures,
// PDFs, verification and revocation; a participation names an event
// instead of a course, and its first and last days.
const (
	KindCompletion    Kind = "completion"
	KindParticipation Kind = "participation"
)

// Kind returns what the certificate attests.
func (c *Certificate) Kind() Kind {
	if c.EventID != nil {
		return KindParticipation
	}
	return KindCompletion
}

// Participation is what a certificate of participation states, as the
// events package hands it over when an event closes.
type Participation struct {
	UserID  int64
	EventID int64
	// Title and Language are the event's; the certificate is written in
	// its language.
	Title    string
	Language string
	// FirstStart and LastEnd are the event's first and last sessions;
	// their calendar days in Location (the event's zone) are printed.
	FirstStart, LastEnd time.Time
	Location            *time.Location
	// Minutes is how long the person attended; the certificate states it
	// in whole hours, rounded.
	Minutes int
}

// IssueParticipation issues a certificate of participation inside db, the
// transaction that closes the event, and returns its code; "" when the
// person holds a standing certificate for the event already, which the
// unique index on person and event ensures however closings race.
func (s *Service) IssueParticipation(ctx context.Context, db bun.IDB, p Participation) (string, error) {
	holder, institution, err := accounts.CertificateHolder(ctx, db, p.UserID)
	if err != nil {
		return "", fmt.Errorf("certificates: participation of user %d: %w", p.UserID, foreignNotFound(err))
	}
	iss, err := s.issuerIn(ctx, db)
	if err != nil {
		return "", err
	}
	look, _ := LookOf(iss.Issuer)
	loc := p.Location
	if loc == nil {
		loc = s.loc
	}
	first := CalendarDay(p.FirstStart, loc)
	c := &Certificate{UserID: p.UserID, EventID: &p.EventID, Revision: 1}
	c.setSnapshot(Snapshot{
		HolderName:    holder,
		CourseTitle:   p.Title,
		WorkloadHours: int(math.Round(float64(p.Minutes) / 60)),
		CompletedAt:   CalendarDay(p.LastEnd, loc),
		// Whole seconds, as signed: the stored value is the signed value.
		IssuedAt:        s.now().Truncate(time.Second),
		Institution:     institution,
		IssuerName:      iss.Name,
		Language:        p.Language,
		TemplateVersion: TemplateVersion,
		Kind:            KindParticipation,
		StartedAt:       &first,
		Look:            look,
	})
	ok, err := s.insert(ctx, db, c)
	if err != nil {
		return "", fmt.Errorf("certificates: participation of user %d in event %d: %w", p.UserID, p.EventID, err)
	}
	if !ok {
		return "", nil
	}
	return c.Code, nil
}

// participationWording is what a certificate of participation says
// instead of a completion's title, verb and details.
var participationWording = map[string]struct {
	title, participated string
	// details states the hours attended and the event's dates.
	details func(hours int, from, to string) string
}{
	Spanish: {
		title:        "Certificado de participación",
		participated: "participó en",
		details: func(hours int, from, to string) string {
			return withHours(dateRange(from, to, "el ", "del ", " al "), hours, "con "+plural(hours, "hora", "horas")+" de asistencia, ")
		},
	},
	Portuguese: {
		title:        "Certificado de participação",
		participated: "participou de",
		details: func(hours int, from, to string) string {
			return withHours(dateRange(from, to, "em ", "de ", " a "), hours, "com "+plural(hours, "hora", "horas")+" de presença, ")
		},
	},
	English: {
		title:        "Certificate of participation",
		participated: "participated in",
		details: func(hours int, from, to string) string {
			return withHours(dateRange(from, to, "on ", "from ", " to "), hours, plural(hours, "hour", "hours")+" attended, ")
		},
	},
}

// dateRange writes one day ("el 3 de marzo de 2027") or two ("del 3 de
// marzo de 2027 al 5 de marzo de 2027").
func dateRange(from, to, on, since, until string) string {
	if from == to {
		return on + from
	}
	return since + from + until + to
}

// withHours puts the hours attended before the dates, unless there are none.
func withHours(dates string, hours int, prefix string) string {
	if hours == 0 {
		return dates
	}
	return prefix + dates
}

// participationTexts turns a completion's texts into a participation's.
func participationTexts(t *texts, s Snapshot) {
	w, ok := participationWording[s.Language]
	if !ok {
		w = participationWording[English]
	}
	from := FormatDate(s.CompletedAt, s.Language)
	if s.StartedAt != nil {
		from = FormatDate(s.StartedAt.UTC(), s.Language)
	}
	t.title = w.title
	t.completed = w.participated
	t.details = w.details(s.WorkloadHours, from, FormatDate(s.CompletedAt.UTC(), s.Language))
}

// EventCertificates returns the certificates of participation of an
// event, revoked ones too, in the order they were issued.
func (s *Service) EventCertificates(ctx context.Context, eventID int64) ([]Certificate, error) {
	list, err := NewStore(s.db).EventCertificates(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("certificates: certificates of event %d: %w", eventID, err)
	}
	return list, nil
}

// EventCertificates returns the certificates of an event, oldest first.
func (s *Store) EventCertificates(ctx context.Context, eventID int64) ([]Certificate, error) {
	var list []Certificate
	err := s.db.NewSelect().Model(&list).Where("cert.event_id = ?", eventID).OrderExpr("cert.issued_at, cert.id").Scan(ctx)
	return list, err
}
