package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aula-platform/aula/reports"
)

// TestDashboard: counts, this month's and year's figures, the latest
// certificates and the completions of each month, for admins only.
func TestDashboard(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	before, err := w.svc.Reports.Dashboard(ctx, w.admin)
	if err != nil {
		t.Fatal(err)
	}
	ana := w.learner("Ana Peña Conceição", w.mine, 2, true)
	w.learner("João", w.theirs, 0)
	d, err := w.svc.Reports.Dashboard(ctx, w.admin)
	if err != nil {
		t.Fatal(err)
	}
	if d.Learners != before.Learners+2 || d.Institutions != before.Institutions || d.PublishedCourses != before.PublishedCourses {
		t.Errorf("counts %+v after %+v", d, before)
	}
	if d.Month.Enrolments != before.Month.Enrolments+2 || d.Month.Completions != before.Month.Completions+1 ||
		d.Year.Certificates != before.Year.Certificates+1 || d.Year.Hours != before.Year.Hours+12 {
		t.Errorf("month %+v year %+v, before %+v %+v", d.Month, d.Year, before.Month, before.Year)
	}
	if len(d.Latest) == 0 || d.Latest[0].Holder != ana.Name || d.Latest[0].Course != w.course.Title {
		t.Errorf("latest certificates %+v", d.Latest)
	}
	month := time.Now().Month() - 1
	if len(d.ByMonth) != 12 || d.ByMonth[month].Completions != before.ByMonth[month].Completions+1 {
		t.Errorf("completions by month %+v", d.ByMonth)
	}
	if _, err := w.svc.Reports.Dashboard(ctx, w.coordinator); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("coordinator's dashboard: %v", err)
	}
}
