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
// ErrForbidden. It is three queries, each small at 100,000 learners
// (docs/reports.md): the counts (the enabled learners from an index
// alone), the year's months from the institutions' monthly rollup (a few
// thousand rows), and the ten latest certificates by their index.
func (s *Service) Dashboard(ctx context.Context, actor courses.Actor) (*Dashboard, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("reports: dashboard: %w", ErrForbidden)
	}
	now := s.now().In(s.loc)
	d := &Dashboard{ThisYear: now.Year()}
	err := s.read(ctx, func(st *Store) (err error) {
		d.Learners, d.Institutions, d.PublishedCourses, err = st.Counts(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	// One pass over the year's months: this month is its row, the year
	// their sum.
	sets, err := s.figures(ctx, now.Year(), 0, ByMonth)
	if err != nil {
		return nil, err
	}
	d.ByMonth = FillMonths(sets[0])
	d.Month, d.Year = d.ByMonth[now.Month()-1], total(d.ByMonth)
	err = s.read(ctx, func(st *Store) (err error) {
		d.Latest, err = st.LatestCertificates(ctx, 10)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
