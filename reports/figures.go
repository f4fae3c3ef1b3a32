package reports

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Figures are what an institution reports to its ministry and the network
// to its funders, for one group (a course, a month, a country, …) in one
// year: enrolments made, courses completed, certificates issued (and not
// revoked since) and training hours (the workload of the courses
// completed); and apart from those, participation certificates (of
// events) and their hours attended.
type Figures struct {
	// Key identifies the group: a course or institution id, a month
	// (1–12), a country code or a course language; Label names it.
	Key          string `bun:"key" json:"key"`
	Label        string `bun:"label" json:"label"`
	Enrolments   int    `bun:"enrolments" json:"enrolments"`
	Completions  int    `bun:"completions" json:"completions"`
	Certificates int    `bun:"certificates" json:"certificates"`
	Hours        int    `bun:"hours" json:"training_hours"`
	// Participation counts certificates of participation in events
	// issued (and not revoked), ParticipationHours the hours they attest:
	// their own columns, never added to the courses' (docs/reports.md).
	Participation      int `bun:"participation" json:"participation_certificates"`
	ParticipationHours int `bun:"participation_hours" json:"participation_hours"`
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
	sets, err := s.figures(ctx, year, institutionID, ByCourse, ByMonth)
	if err != nil {
		return nil, err
	}
	r.ByCourse = sets[0]
	r.ByMonth = FillMonths(sets[1])
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
	// Each table reads the smallest rollup with its key: countries and
	// institutions one pass over the institutions' months, languages the
	// courses' months (a course's language is joined when read).
	r := &NetworkReport{Year: year}
	sets, err := s.figures(ctx, year, 0, ByCountry, ByInstitution)
	if err != nil {
		return nil, err
	}
	r.ByCountry, r.ByInstitution = sets[0], sets[1]
	if r.ByLanguage, err = s.Figures(ctx, ByLanguage, year, 0); err != nil {
		return nil, err
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
	if _, ok := groupings[by]; !ok {
		return nil, fmt.Errorf("reports: grouping %q: %w", by, ErrInvalidFilter)
	}
	sets, err := s.figures(ctx, year, institutionID, by)
	if err != nil {
		return nil, err
	}
	return sets[0], nil
}

// figures reads a year's figures in several groupings at once.
func (s *Service) figures(ctx context.Context, year int, institutionID int64, by ...Grouping) ([][]Figures, error) {
	f := figuresFilter{InstitutionID: institutionID}
	f.From = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	f.To = f.From.AddDate(1, 0, 0)
	for _, b := range by {
		f.Groups = append(f.Groups, groupings[b])
	}
	var sets [][]Figures
	err := s.read(ctx, func(st *Store) (err error) {
		sets, err = st.Figures(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Participation certificates have no course: the per-course table
	// leaves them out, the months and the total count them.
	for i, b := range by {
		if b == ByCourse {
			sets[i] = slices.DeleteFunc(sets[i], func(f Figures) bool { return f.Key == "" })
		}
	}
	return sets, nil
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
		t.Participation += r.Participation
		t.ParticipationHours += r.ParticipationHours
	}
	return t
}
