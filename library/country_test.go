package library_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
)

// publishedCourse creates and publishes a course with one module.
func (e *env) publishedCourse(t *testing.T, title string) *courses.Course {
	t.Helper()
	ctx := context.Background()
	admin := e.user(accounts.RoleAdmin)
	a := courses.ActorFor(admin)
	co, err := e.svc.Courses.CreateCourse(ctx, a, courses.CourseParams{Title: title, Language: "pt", WorkloadHours: 2,
		InstructorIDs: []int64{admin.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Courses.CreateModule(ctx, a, co.ID, courses.ModuleParams{Title: "Módulo 1", BodyMarkdown: "Texto."}); err != nil {
		t.Fatal(err)
	}
	if co, err = e.svc.Courses.Publish(ctx, a, co.ID); err != nil {
		t.Fatal(err)
	}
	return co
}

func TestCountryPageGathersItemsAndCitingCourses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.librarian()
	p := params("Experiência de Timor-Leste " + unique("z"))
	p.Countries = []string{"TL"}
	it := e.item(lib, p)
	other := params("Outra de Moçambique")
	e.item(lib, other)
	co := e.publishedCourse(t, "Proteção social em Timor-Leste "+unique(""))
	if err := e.lib.LinkCourse(ctx, lib, it.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.lib.LinkCourse(ctx, lib, it.ID, 999999); !errors.Is(err, library.ErrUnknownCourse) {
		t.Fatalf("link to no course: %v", err)
	}
	page, err := e.lib.Country(ctx, "TL", true)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range page.Items {
		found = found || x.ID == it.ID
		for _, c := range x.Countries {
			if c == "MZ" && len(x.Countries) == 1 {
				t.Errorf("a Mozambican item on Timor-Leste's page")
			}
		}
	}
	if !found {
		t.Fatalf("the item is not on its country's page")
	}
	if len(page.Courses) == 0 || page.Courses[len(page.Courses)-1].ID != co.ID && page.Courses[0].ID != co.ID {
		t.Fatalf("courses %+v, want the citing course", page.Courses)
	}
	citing, err := e.lib.CitingCourses(ctx, it.ID)
	if err != nil || len(citing) != 1 || citing[0].ID != co.ID {
		t.Fatalf("citing courses %+v %v", citing, err)
	}
	cited, err := e.lib.CourseReading(ctx, co.ID)
	if err != nil || len(cited) != 1 || cited[0].ID != it.ID {
		t.Fatalf("items cited by the course %+v %v", cited, err)
	}
	if len(page.Events) != 0 {
		t.Errorf("events with none organised in Timor-Leste: %+v", page.Events)
	}
}
