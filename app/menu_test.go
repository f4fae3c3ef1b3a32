package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestMenuFollowsRolesAndPage: the site menu, kept rendered per language,
// current entry and roles, shows each user the entries of their roles
// only, marks the page they are on and speaks their language, whoever
// loaded a page before them.
func TestMenuFollowsRolesAndPage(t *testing.T) {
	e := newEnv(t)
	links := map[string]string{"my": `href="/my/courses"`, "teach": `href="/manage/courses"`,
		"reports": `href="/reports"`, "admin": `href="/admin/"`}
	menu := func(body string) string {
		start, end := strings.Index(body, "<ul>"), strings.Index(body, "</ul>")
		if start < 0 || end < start {
			t.Fatalf("no menu in %.300s", body)
		}
		return body[start:end]
	}
	visitor := e.browser()
	for _, tc := range []struct {
		role accounts.Role // "" for a visitor
		want []string
	}{
		{accounts.RoleAdmin, []string{"my", "teach", "reports", "admin"}},
		{"", nil},
		{accounts.RoleLearner, []string{"my"}},
		{accounts.RoleInstructor, []string{"my", "teach"}},
		{accounts.RoleCoordinator, []string{"my", "reports"}},
		{accounts.RoleAdmin, []string{"my", "teach", "reports", "admin"}},
	} {
		b := visitor
		if tc.role != "" {
			b, _ = e.signedIn(tc.role)
		}
		m := menu(b.get("/courses").body)
		for name, link := range links {
			if got, want := strings.Contains(m, link), slices.Contains(tc.want, name); got != want {
				t.Errorf("%q: menu has %s: %v, want %v", tc.role, name, got, want)
			}
		}
		if !strings.Contains(m, `href="/courses" aria-current="page"`) {
			t.Errorf("%q: the catalogue is not the current entry on /courses", tc.role)
		}
		if tc.role != "" {
			if m := menu(b.get("/my/courses").body); !strings.Contains(m, `href="/my/courses" aria-current="page"`) ||
				strings.Contains(m, `href="/courses" aria-current`) {
				t.Errorf("%q: on /my/courses the current entry is not My courses: %s", tc.role, m)
			}
		}
	}
	spanish := e.browser()
	spanish.lang = "es"
	if m := menu(spanish.get("/courses").body); !strings.Contains(m, ">Cursos</a>") {
		t.Errorf("Spanish visitor's menu is not in Spanish: %s", m)
	}
}
