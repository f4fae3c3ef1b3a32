package courses_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestCertificateValidity: a course's certificates last 1 to 120 months,
// or forever (nil or 0); anything else is refused, whoever calls.
func TestCertificateValidity(t *testing.T) {
	ctx := context.Background()
	a := newAuthoring(t)
	teacher := a.person(accounts.RoleInstructor)
	c := a.course(teacher, "Validez")
	params := func(months *int) courses.CourseParams {
		return courses.CourseParams{Title: c.Title, Summary: c.Summary, Language: c.Language, WorkloadHours: c.WorkloadHours,
			CertificateValidityMonths: months}
	}
	months := func(n int) *int { return &n }
	got, err := a.svc.UpdateCourse(ctx, teacher, c.ID, params(months(36)))
	if err != nil || got.CertificateValidityMonths == nil || *got.CertificateValidityMonths != 36 {
		t.Fatalf("36 months: %+v %v", got, err)
	}
	for _, bad := range []int{-1, 121, 1000} {
		if _, err := a.svc.UpdateCourse(ctx, teacher, c.ID, params(months(bad))); !errors.Is(err, courses.ErrInvalidCourse) {
			t.Errorf("%d months: %v, want ErrInvalidCourse", bad, err)
		}
	}
	if got, err = a.svc.UpdateCourse(ctx, teacher, c.ID, params(months(0))); err != nil || got.CertificateValidityMonths != nil {
		t.Errorf("0 months: %+v %v, want never", got.CertificateValidityMonths, err)
	}
	made, err := a.svc.CreateCourse(ctx, teacher, courses.CourseParams{Title: "Con validez", Language: "pt", WorkloadHours: 2, CertificateValidityMonths: months(12)})
	if err != nil || made.CertificateValidityMonths == nil || *made.CertificateValidityMonths != 12 {
		t.Errorf("created with 12 months: %+v %v", made, err)
	}
}
