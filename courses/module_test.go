package courses_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// outline returns the titles of a course's modules as editors see them.
func (a *authoring) outline(actor courses.Actor, courseID int64) string {
	a.t.Helper()
	mods, err := a.svc.EditModules(context.Background(), actor, courseID)
	if err != nil {
		a.t.Fatal(err)
	}
	for i, m := range mods {
		if m.Position != i+1 {
			a.t.Fatalf("positions not 1..n: %v at %d", m.Title, m.Position)
		}
	}
	return strings.Join(titles(mods), " ")
}

func TestModuleOrder(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Orden")
	ids := map[string]int64{}
	for _, title := range []string{"A", "B", "C", "D"} {
		ids[title] = a.module(owner, c.ID, title).ID
	}
	if got := a.outline(owner, c.ID); got != "A B C D" {
		t.Fatalf("created in order: %s", got)
	}

	steps := []struct {
		name string
		do   func() error
		want string
	}{
		{"move C up swaps it with B", func() error { _, err := a.svc.ShiftModule(ctx, owner, c.ID, ids["C"], -1); return err }, "A C B D"},
		{"move A up stays first", func() error { _, err := a.svc.ShiftModule(ctx, owner, c.ID, ids["A"], -1); return err }, "A C B D"},
		{"move D down stays last", func() error { _, err := a.svc.ShiftModule(ctx, owner, c.ID, ids["D"], 1); return err }, "A C B D"},
		{"move A down swaps it with C", func() error { _, err := a.svc.ShiftModule(ctx, owner, c.ID, ids["A"], 1); return err }, "C A B D"},
		{"move D to first", func() error { _, err := a.svc.MoveModule(ctx, owner, c.ID, ids["D"], 1); return err }, "D C A B"},
		{"move D past the end", func() error { _, err := a.svc.MoveModule(ctx, owner, c.ID, ids["D"], 99); return err }, "C A B D"},
		{"insert E at 2", func() error {
			m, err := a.svc.CreateModule(ctx, owner, c.ID, courses.ModuleParams{Title: "E", Position: 2})
			if err == nil {
				ids["E"] = m.ID
			}
			return err
		}, "C E A B D"},
		{"delete A closes the gap", func() error { return a.svc.DeleteModule(ctx, owner, c.ID, ids["A"]) }, "C E B D"},
		{"archived B keeps its place", func() error { _, err := a.svc.ArchiveModule(ctx, owner, c.ID, ids["B"]); return err }, "C E B D"},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := a.outline(owner, c.ID); got != st.want {
			t.Fatalf("%s: order %s, want %s", st.name, got, st.want)
		}
	}

	// Learners see the outline without the archived module.
	acc, err := a.svc.Access(ctx, owner, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	learnerView, err := a.svc.Outline(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(titles(learnerView), " "); got != "C E D" {
		t.Errorf("learners' outline %s, want C E D", got)
	}
	// Previous and next skip the archived module.
	r, err := a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, ids["E"])
	if err != nil {
		t.Fatal(err)
	}
	if r.Prev == nil || r.Prev.Title != "C" || r.Next == nil || r.Next.Title != "D" || r.Position != 2 || r.Count != 3 {
		t.Errorf("E: prev %v next %v at %d of %d; want C, D, 2 of 3", r.Prev, r.Next, r.Position, r.Count)
	}
	r, err = a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, ids["C"])
	if err != nil {
		t.Fatal(err)
	}
	if r.Prev != nil || r.Next == nil || r.Next.Title != "E" {
		t.Errorf("C: prev %v next %v; want none, E", r.Prev, r.Next)
	}
	// The neighbours come with their course and place, as the modules
	// themselves have them.
	if r.Next.ID != ids["E"] || r.Next.CourseID != c.ID || r.Next.Position != 2 {
		t.Errorf("C: next %+v, want E of course %d at 2", r.Next, c.ID)
	}
	// An editor opening the archived B, between E and D, has the live
	// modules on either side of it as neighbours, and no place among them.
	r, err = a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, ids["B"])
	if err != nil {
		t.Fatal(err)
	}
	if r.Prev == nil || r.Prev.Title != "E" || r.Next == nil || r.Next.Title != "D" || r.Position != 0 || r.Count != 3 {
		t.Errorf("archived B: prev %v next %v at %d of %d; want E, D, 0 of 3", r.Prev, r.Next, r.Position, r.Count)
	}
	if r.Prev.Position != 2 || r.Next.Position != 4 || r.Prev.CourseID != c.ID {
		t.Errorf("archived B: prev %+v next %+v, want E at 2 and D at 4", r.Prev, r.Next)
	}
}

func TestDeleteModuleOnlyWithoutEnrolments(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	learner := a.person(accounts.RoleLearner)
	c, mods := a.published(owner, "Con alumnos", "Uno", "Dos")
	if _, err := a.svc.Enrol(ctx, learner.UserID, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.svc.DeleteModule(ctx, owner, c.ID, mods[1].ID); !errors.Is(err, courses.ErrHasEnrolments) {
		t.Fatalf("delete with enrolments: %v, want ErrHasEnrolments", err)
	}
	if _, err := a.svc.ArchiveModule(ctx, owner, c.ID, mods[1].ID); err != nil {
		t.Fatalf("archive instead: %v", err)
	}
	if _, err := a.svc.ReadModule(ctx, learner, courses.CourseRef{ID: c.ID}, mods[1].ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("learner reads an archived module: %v, want ErrNotFound", err)
	}
	if _, err := a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, mods[1].ID); err != nil {
		t.Errorf("editor cannot open an archived module: %v", err)
	}
	// A module of another course is not found through this one.
	other, otherMods := a.published(owner, "Otro", "X")
	if _, err := a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, otherMods[0].ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("module of course %d read through course %d: %v", other.ID, c.ID, err)
	}
}

func TestModuleMarkdownRenderedOnSave(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Markdown")
	src := "## Prestaciones\r\n\r\n| Tipo | Fuente |\r\n|---|---|\r\n| Pensión | Cotizaciones |\r\n\r\nVer nota[^1].\r\n\r\n[^1]: OIT, 2012.\r\n\r\n" +
		"<script>alert(1)</script> [clic](javascript:alert(1)) <img src=x onerror=alert(1)>"
	m, err := a.svc.CreateModule(ctx, owner, c.ID, courses.ModuleParams{Title: "Uno", BodyMarkdown: src, EstimatedMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h2 id="prestaciones">`, "<table>", "<td>Pensión</td>", `class="footnotes"`} {
		if !strings.Contains(m.BodyHTML, want) {
			t.Errorf("body_html lacks %s:\n%s", want, m.BodyHTML)
		}
	}
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(strings.ToLower(m.BodyHTML), bad) {
			t.Errorf("body_html keeps %s:\n%s", bad, m.BodyHTML)
		}
	}
	if strings.Contains(m.BodyMarkdown, "\r") {
		t.Error("CRLF kept in the Markdown")
	}
	// What is stored is what was rendered: a reader gets it without rendering again.
	r, err := a.svc.ReadModule(ctx, owner, courses.CourseRef{ID: c.ID}, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Module.BodyHTML != m.BodyHTML {
		t.Error("stored HTML differs from the rendered one")
	}
	up, err := a.svc.UpdateModule(ctx, owner, c.ID, m.ID, courses.ModuleParams{Title: "Uno bis", BodyMarkdown: "**nuevo**", EstimatedMinutes: 5})
	if err != nil {
		t.Fatal(err)
	}
	if up.BodyHTML != "<p><strong>nuevo</strong></p>\n" || up.Title != "Uno bis" || up.EstimatedMinutes != 5 {
		t.Errorf("updated module %+v", up)
	}

	for _, p := range []courses.ModuleParams{
		{Title: ""},
		{Title: "x", EstimatedMinutes: -1},
		{Title: "x", EstimatedMinutes: courses.MaxEstimatedMinutes + 1},
		{Title: "x", BodyMarkdown: strings.Repeat("ñ", courses.MaxModuleBodyLen+1)},
	} {
		if _, err := a.svc.CreateModule(ctx, owner, c.ID, p); !errors.Is(err, courses.ErrInvalidModule) {
			t.Errorf("CreateModule(%.40v): %v, want ErrInvalidModule", p, err)
		}
	}
}
