package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/aula-platform/aula/courses"
)

// Dashboard is what an administrator sees first: the size of the network,
// this month's and this year's figures, the latest certificates, and the
// completions of each month of the year.
type Dashboard struct {
	Learners, Institutions, PublishedCourses int
	// Month and Year are this month's and this year's figures, in the
	// installation's calendar.
	Month, Year Figures
	ThisYear    int
	Latest      []LatestCertificate
	// ByMonth are this year's twelve months, January first.
	ByMonth []Figures
}

// LatestCertificate is a certificate on the dashboard's list.
type LatestCertificate struct {
	Code     string    `bun:"code"`
	Holder   string    `bun:"holder_name"`
	Course   string    `bun:"course_title"`
	IssuedAt time.Time `bun:"issued_at"`
}

// Dashboard returns the administrators' dashboard; others get
// ErrForbidden. It is a fixed handful of queries, each served by an index
// or a count of a small table.
func (s *Service) Dashboard(ctx context.Context, actor courses.Actor) (*Dashboard, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("reports: dashboard: %w", ErrForbidden)
	}
	now := s.now().In(s.loc)
	d := &Dashboard{ThisYear: now.Year()}
	store := NewStore(s.db)
	var err error
	if d.Learners, d.Institutions, d.PublishedCourses, err = store.Counts(ctx); err != nil {
		return nil, err
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.loc)
	year := time.Date(now.Year(), time.January, 1, 0, 0, 0, 0, s.loc)
	for _, p := range []struct {
		into     *Figures
		from, to time.Time
	}{{&d.Month, month, month.AddDate(0, 1, 0)}, {&d.Year, year, year.AddDate(1, 0, 0)}} {
		rows, err := store.Figures(ctx, figuresFilter{Group: groupings[byNothing], From: p.from, To: p.to, Zone: s.loc.String()})
		if err != nil {
			return nil, err
		}
		if len(rows) == 1 {
			*p.into = rows[0]
		}
	}
	months, err := s.Figures(ctx, ByMonth, now.Year(), 0)
	if err != nil {
		return nil, err
	}
	d.ByMonth = FillMonths(months)
	if d.Latest, err = store.LatestCertificates(ctx, 10); err != nil {
		return nil, err
	}
	return d, nil
}
