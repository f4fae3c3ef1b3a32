package certificates

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/courses"
)

// TestCoursesListFollowsEveryWrite: the admins' list of courses is kept
// between views, yet a course added, renamed or removed by anyone (another
// node, a command: here SQL this service never hears of) shows on the
// next read: from Courses, and from the certificate list's page
// (ListPage), which reads the list's version with its certificates and
// asks first after each write.
func TestCoursesListFollowsEveryWrite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	title := func(id int64) (string, bool) {
		t.Helper()
		_, _, page, err := f.svc.ListPage(ctx, Filter{Query: "nobody holds this", Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		list, err := f.svc.Courses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != len(list) {
			t.Fatalf("the certificate list's page has %d courses, Courses %d", len(page), len(list))
		}
		found, ok := "", false
		for i, c := range list {
			if page[i] != c {
				t.Fatalf("the certificate list's page has %+v where Courses has %+v", page[i], c)
			}
			if c.ID == id {
				found, ok = c.Title, true
			}
		}
		return found, ok
	}
	c, _ := f.course(1, nil)
	if got, ok := title(c.ID); !ok || got != c.Title {
		t.Fatalf("new course: %q (listed %v), want %q", got, ok, c.Title)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := f.db.ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec("UPDATE courses SET title = ? WHERE id = ?", c.Title+" (segunda edición)", c.ID)
	if got, _ := title(c.ID); got != c.Title+" (segunda edición)" {
		t.Fatalf("renamed by hand: %q, want the new title", got)
	}
	var other courses.Course
	if err := f.db.NewRaw(`INSERT INTO courses (slug, title, summary, language, workload_hours, status)
		SELECT slug || '-copy', title || ' copy', summary, language, workload_hours, status FROM courses WHERE id = ? RETURNING id, title`, c.ID).
		Scan(ctx, &other.ID, &other.Title); err != nil {
		t.Fatal(err)
	}
	if got, ok := title(other.ID); !ok || got != other.Title {
		t.Fatalf("inserted by hand: %q (listed %v), want %q", got, ok, other.Title)
	}
	exec("DELETE FROM courses WHERE id = ?", other.ID)
	if _, ok := title(other.ID); ok {
		t.Fatal("a course deleted by hand is still listed")
	}
}
