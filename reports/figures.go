package reports

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Figures are what an institution reports to its ministry and the network
// to its funders, for one group (a course, a month, a country, …) in one
// year: enrolments made, courses completed, certificates issued (and not
// revoked since) and training hours (the workload of the courses
// completed).
type Figures struct {
	// Key identifies the group: a course or institution id, a month
	// (1–12), a country code or a course language; Label names it.
	Key          string `bun:"key" json:"key"`
	Label        string `bun:"label" json:"label"`
	Enrolments   int    `bun:"enrolments" json:"enrolments"`
	Completions  int    `bun:"completions" json:"completions"`
	Certificates int    `bun:"certificates" json:"certificates"`
	Hours        int    `bun:"hours" json:"training_hours"`
}

// Grouping is how figures are broken down.
type Grouping string

// The groupings: the institution report uses course and month, the
// network report country, institution and language.
const (
	ByCourse      Grouping = "course"
	ByMonth       Grouping = "month"
	ByCountry     Grouping = "country"
	ByInstitution Grouping = "institution"
	ByLanguage    Grouping = "language"
)

// InstitutionReport is an institution's figures for a year.
type InstitutionReport struct {
	Institution *accounts.Institution
	Year        int
	ByCourse    []Figures
	// ByMonth has the twelve months, January first, zeros included.
	ByMonth []Figures
	Total   Figures
}

// NetworkReport is the whole network's figures for a year.
type NetworkReport struct {
	Year          int
	ByCountry     []Figures
	ByInstitution []Figures
	ByLanguage    []Figures
	Total         Figures
}

// Year returns year, or the current year of the installation's calendar
// for 0; a year outside 2000–2100 is ErrInvalidFilter.
func (s *Service) Year(year int) (int, error) {
	if year == 0 {
		return s.now().In(s.loc).Year(), nil
	}
	if year < 2000 || year > 2100 {
		return 0, fmt.Errorf("reports: year %d: %w", year, ErrInvalidFilter)
	}
	return year, nil
}

// Institution returns an institution's figures for a year (0: this
// year), per course and per month. Admins see any institution's,
// coordinators their own; others get ErrForbidden. An unknown
// institution is accounts.ErrNotFound.
func (s *Service) Institution(ctx context.Context, actor courses.Actor, institutionID int64, year int) (*InstitutionReport, error) {
	inst, year, err := s.institutionAllowed(ctx, actor, institutionID, year)
	if err != nil {
		return nil, err
	}
	r := &InstitutionReport{Institution: inst, Year: year}
	if r.ByCourse, err = s.Figures(ctx, ByCourse, year, institutionID); err != nil {
		return nil, err
	}
	months, err := s.Figures(ctx, ByMonth, year, institutionID)
	if err != nil {
		return nil, err
	}
	r.ByMonth = FillMonths(months)
	r.Total = total(r.ByMonth)
	return r, nil
}

// institutionAllowed checks that actor may see the institution's report.
func (s *Service) institutionAllowed(ctx context.Context, actor courses.Actor, institutionID int64, year int) (*accounts.Institution, int, error) {
	year, err := s.Year(year)
	if err != nil {
		return nil, 0, err
	}
	if !actor.Oversees(&institutionID) {
		return nil, 0, fmt.Errorf("institution %d: %w", institutionID, ErrForbidden)
	}
	inst, err := accounts.NewStore(s.db).Institution(ctx, institutionID)
	if err != nil {
		return nil, 0, err
	}
	return inst, year, nil
}

// Network returns the network's figures for a year (0: this year), per
// country, institution and course language. Admins only.
func (s *Service) Network(ctx context.Context, actor courses.Actor, year int) (*NetworkReport, error) {
	year, err := s.Year(year)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("reports: network: %w", ErrForbidden)
	}
	r := &NetworkReport{Year: year}
	for _, g := range []struct {
		by   Grouping
		into *[]Figures
	}{{ByCountry, &r.ByCountry}, {ByInstitution, &r.ByInstitution}, {ByLanguage, &r.ByLanguage}} {
		if *g.into, err = s.Figures(ctx, g.by, year, 0); err != nil {
			return nil, err
		}
	}
	r.Total = total(r.ByLanguage)
	return r, nil
}

// MayExport reports whether actor may export figures by grouping for the
// institution (0: the network): the same people who see the reports.
func (s *Service) MayExport(ctx context.Context, actor courses.Actor, by Grouping, institutionID int64, year int) (int, error) {
	if _, ok := groupings[by]; !ok {
		return 0, fmt.Errorf("reports: grouping %q: %w", by, ErrInvalidFilter)
	}
	if institutionID == 0 {
		if by == ByCourse || by == ByMonth {
			return 0, fmt.Errorf("reports: network by %s: %w", by, ErrInvalidFilter)
		}
		year, err := s.Year(year)
		if err != nil {
			return 0, err
		}
		if !actor.IsAdmin() {
			return 0, fmt.Errorf("reports: network: %w", ErrForbidden)
		}
		return year, nil
	}
	if by != ByCourse && by != ByMonth {
		return 0, fmt.Errorf("reports: institution by %s: %w", by, ErrInvalidFilter)
	}
	_, year, err := s.institutionAllowed(ctx, actor, institutionID, year)
	return year, err
}

// Figures returns the figures of a year grouped by by, for one
// institution's people (0: everyone), without checking who asks: callers
// have (Institution, Network, MayExport). Months and years follow the
// installation's time zone.
func (s *Service) Figures(ctx context.Context, by Grouping, year int, institutionID int64) ([]Figures, error) {
	g, ok := groupings[by]
	if !ok {
		return nil, fmt.Errorf("reports: grouping %q: %w", by, ErrInvalidFilter)
	}
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, s.loc)
	return NewStore(s.db).Figures(ctx, figuresFilter{Group: g, From: from, To: from.AddDate(1, 0, 0), Zone: s.loc.String(),
		InstitutionID: institutionID})
}

// FillMonths returns the twelve months of a year's figures by month,
// January first, with zeros for months without any.
func FillMonths(rows []Figures) []Figures {
	out := make([]Figures, 12)
	for i := range out {
		out[i].Key = strconv.Itoa(i + 1)
	}
	for _, r := range rows {
		if m, err := strconv.Atoi(r.Key); err == nil && m >= 1 && m <= 12 {
			out[m-1] = r
		}
	}
	return out
}

func total(rows []Figures) Figures {
	var t Figures
	for _, r := range rows {
		t.Enrolments += r.Enrolments
		t.Completions += r.Completions
		t.Certificates += r.Certificates
		t.Hours += r.Hours
	}
	return t
}
