package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestCertificateValidityAPI: PATCH sets how long a course's certificates
// stay valid; 0 and null mean "never expires"; a field left out keeps it;
// a value out of 1–120 is refused on the field.
func TestCertificateValidityAPI(t *testing.T) {
	e := newCoursesEnv(t, 0)
	token, teacher := e.token(accounts.RoleInstructor)
	co, _ := e.course(teacher, "Validez", false, "Uno")
	path := fmt.Sprintf("/api/v1/courses/%d", co.ID)
	validity := func(res response) string {
		t.Helper()
		var out struct {
			V *int `json:"certificate_validity_months"`
		}
		decode(t, res, &out)
		if !strings.Contains(res.body, `"certificate_validity_months"`) {
			t.Errorf("no certificate_validity_months in %s", res.body)
		}
		if out.V == nil {
			return "never"
		}
		return fmt.Sprint(*out.V)
	}

	res := e.api(http.MethodPatch, path, token, map[string]any{"certificate_validity_months": 12})
	wantStatus(t, res, http.StatusOK)
	if got := validity(res); got != "12" {
		t.Fatalf("after PATCH 12: %s", got)
	}
	if got := validity(e.api(http.MethodGet, path, token, nil)); got != "12" {
		t.Errorf("read back: %s", got)
	}
	if got := validity(e.api(http.MethodPatch, path, token, map[string]any{"title": "Otro título " + unique("")})); got != "12" {
		t.Errorf("a PATCH without the field changed it to %s", got)
	}
	for _, bad := range []any{121, -1, "doce"} {
		res = e.api(http.MethodPatch, path, token, map[string]any{"certificate_validity_months": bad})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		var body apiError
		decode(t, res, &body)
		if body.Error.Fields["certificate_validity_months"] == "" {
			t.Errorf("%v: %s", bad, res.body)
		}
	}
	for _, never := range []any{0, nil} {
		e.api(http.MethodPatch, path, token, map[string]any{"certificate_validity_months": 6})
		res = e.api(http.MethodPatch, path, token, map[string]any{"certificate_validity_months": never})
		wantStatus(t, res, http.StatusOK)
		if got := validity(res); got != "never" {
			t.Errorf("%v: %s, want never", never, got)
		}
	}
}

// TestCertificateValidityPage: the course edit page shows and sets it.
func TestCertificateValidityPage(t *testing.T) {
	e := newCoursesEnv(t, 0)
	b, teacher := e.signedIn(accounts.RoleInstructor)
	co, _ := e.course(teacher, "Validez en la página", false, "Uno")
	edit := fmt.Sprintf("/manage/courses/%d/edit", co.ID)
	form := b.get(edit)
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, `name="certificate_validity_months"`, "Certificate validity (months)")

	fields := url.Values{"title": {co.Title}, "slug": {co.Slug}, "summary": {co.Summary}, "language": {"es"},
		"workload_hours": {"6"}, "instructor_ids": {itoa(teacher.ID)}}
	fields.Set("certificate_validity_months", "24")
	wantStatus(t, b.post(fmt.Sprintf("/manage/courses/%d", co.ID), fields), http.StatusSeeOther)
	wantBody(t, b.get(edit), `name="certificate_validity_months" type="number" min="0" max="120" step="1" value="24"`)

	fields.Set("certificate_validity_months", "500")
	res := b.post(fmt.Sprintf("/manage/courses/%d", co.ID), fields)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `value="500" aria-describedby="validity-hint" aria-invalid="true"`)

	fields.Set("certificate_validity_months", "")
	wantStatus(t, b.post(fmt.Sprintf("/manage/courses/%d", co.ID), fields), http.StatusSeeOther)
	wantBody(t, b.get(edit), `name="certificate_validity_months" type="number" min="0" max="120" step="1" value=""`)
}
