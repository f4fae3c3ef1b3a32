package courses_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

func TestCreateCourse(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)

	title := fmt.Sprintf("Introducción a la Seguridad Social %d", authorSeq.Add(1))
	c, err := a.svc.CreateCourse(ctx, teacher, courses.CourseParams{
		Title: "  " + title + " ", Summary: "Qué es, para qué sirve.", Language: "es", WorkloadHours: 12})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.Status != courses.StatusDraft || c.PublishedAt != nil {
		t.Errorf("new course %+v, want a draft never published", c)
	}
	if c.Title != title {
		t.Errorf("title %q, want %q trimmed", c.Title, title)
	}
	if want := courses.Slugify(title); c.Slug != want {
		t.Errorf("slug %q, want %q", c.Slug, want)
	}
	if c.CreatedBy == nil || *c.CreatedBy != teacher.UserID {
		t.Errorf("created by %v, want %d", c.CreatedBy, teacher.UserID)
	}
	inst, err := a.svc.Instructors(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(inst) != 1 || inst[0].ID != teacher.UserID {
		t.Errorf("instructors %v, want the creator", inst)
	}
}

func TestCreateCourseRefusals(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	learner := a.person(accounts.RoleLearner)
	valid := courses.CourseParams{Title: "Curso", Language: "pt", WorkloadHours: 4}

	tests := []struct {
		name  string
		actor courses.Actor
		edit  func(p *courses.CourseParams)
		want  error
	}{
		{"learner", learner, nil, courses.ErrForbidden},
		{"visitor", courses.Actor{}, nil, courses.ErrForbidden},
		{"empty title", teacher, func(p *courses.CourseParams) { p.Title = "   " }, courses.ErrInvalidCourse},
		{"long title", teacher, func(p *courses.CourseParams) { p.Title = strings.Repeat("ã", 201) }, courses.ErrInvalidCourse},
		{"unknown language", teacher, func(p *courses.CourseParams) { p.Language = "fr" }, courses.ErrInvalidCourse},
		{"no workload", teacher, func(p *courses.CourseParams) { p.WorkloadHours = 0 }, courses.ErrInvalidCourse},
		{"bad slug", teacher, func(p *courses.CourseParams) { p.Slug = "Con Espacios" }, courses.ErrInvalidSlug},
		{"numeric slug", teacher, func(p *courses.CourseParams) { p.Slug = "2024" }, courses.ErrInvalidSlug},
		{"learner as instructor", teacher, func(p *courses.CourseParams) { p.InstructorIDs = []int64{learner.UserID} }, courses.ErrInvalidInstructor},
		{"cover before files", teacher, func(p *courses.CourseParams) { id := int64(1); p.CoverAssetID = &id }, courses.ErrInvalidCover},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := valid
			if tc.edit != nil {
				tc.edit(&p)
			}
			if c, err := a.svc.CreateCourse(ctx, tc.actor, p); !errors.Is(err, tc.want) {
				t.Fatalf("CreateCourse = %+v, %v; want %v", c, err, tc.want)
			}
		})
	}
}

func TestSlugCollisions(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	title := fmt.Sprintf("Extensão da proteção social %d", authorSeq.Add(1))
	base := courses.Slugify(title)

	var slugs []string
	for range 3 {
		c, err := a.svc.CreateCourse(ctx, teacher, courses.CourseParams{Title: title, Language: "pt", WorkloadHours: 8})
		if err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, c.Slug)
	}
	if want := []string{base, base + "-2", base + "-3"}; strings.Join(slugs, " ") != strings.Join(want, " ") {
		t.Errorf("slugs %v, want %v", slugs, want)
	}

	// A slug typed by the instructor is theirs or refused, never changed.
	_, err := a.svc.CreateCourse(ctx, teacher, courses.CourseParams{Title: "Otro", Slug: base, Language: "es", WorkloadHours: 1})
	if !errors.Is(err, courses.ErrSlugTaken) {
		t.Errorf("typed slug taken: %v, want ErrSlugTaken", err)
	}
	c := a.course(teacher, "Otro curso")
	if _, err := a.svc.UpdateCourse(ctx, teacher, c.ID, courses.CourseParams{Title: c.Title, Slug: base + "-2", Language: "es", WorkloadHours: 1}); !errors.Is(err, courses.ErrSlugTaken) {
		t.Errorf("update to taken slug: %v, want ErrSlugTaken", err)
	}
	// An empty slug on update keeps the current one.
	got, err := a.svc.UpdateCourse(ctx, teacher, c.ID, courses.CourseParams{Title: "Título nuevo", Language: "es", WorkloadHours: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != c.Slug || got.Title != "Título nuevo" {
		t.Errorf("after update: slug %q title %q; want slug %q kept", got.Slug, got.Title, c.Slug)
	}
}

func TestCourseStates(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	c := a.course(teacher, "Pisos de protección social")

	if _, err := a.svc.Publish(ctx, teacher, c.ID); !errors.Is(err, courses.ErrNoModules) {
		t.Fatalf("publish without modules: %v, want ErrNoModules", err)
	}
	if _, err := a.svc.Archive(ctx, teacher, c.ID); !errors.Is(err, courses.ErrInvalidTransition) {
		t.Fatalf("archive a draft: %v, want ErrInvalidTransition", err)
	}
	// An archived module does not count: learners would find nothing.
	m := a.module(teacher, c.ID, "Módulo 1")
	if _, err := a.svc.ArchiveModule(ctx, teacher, c.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Publish(ctx, teacher, c.ID); !errors.Is(err, courses.ErrNoModules) {
		t.Fatalf("publish with only an archived module: %v, want ErrNoModules", err)
	}
	if _, err := a.svc.RestoreModule(ctx, teacher, c.ID, m.ID); err != nil {
		t.Fatal(err)
	}

	pub, err := a.svc.Publish(ctx, teacher, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != courses.StatusPublished || pub.PublishedAt == nil {
		t.Fatalf("published course %+v", pub)
	}
	first := *pub.PublishedAt
	again, err := a.svc.Publish(ctx, teacher, c.ID)
	if err != nil || !again.PublishedAt.Equal(first) {
		t.Fatalf("publishing twice: %v, published_at %v then %v", err, first, again.PublishedAt)
	}

	// The last readable module of a published course stays.
	if _, err := a.svc.ArchiveModule(ctx, teacher, c.ID, m.ID); !errors.Is(err, courses.ErrLastModule) {
		t.Errorf("archive last module of a published course: %v, want ErrLastModule", err)
	}
	if err := a.svc.DeleteModule(ctx, teacher, c.ID, m.ID); !errors.Is(err, courses.ErrLastModule) {
		t.Errorf("delete last module of a published course: %v, want ErrLastModule", err)
	}

	arch, err := a.svc.Archive(ctx, teacher, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if arch.Status != courses.StatusArchived {
		t.Fatalf("archived course status %s", arch.Status)
	}
	// Publishing again brings it back with its first publication date.
	back, err := a.svc.Publish(ctx, teacher, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != courses.StatusPublished || !back.PublishedAt.Equal(first) {
		t.Errorf("republished: %s at %v, want published at %v", back.Status, back.PublishedAt, first)
	}
}

func TestEditRights(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	other := a.person(accounts.RoleInstructor)
	admin := a.person(accounts.RoleAdmin)
	learner := a.person(accounts.RoleLearner)
	draft := a.course(owner, "Borrador")
	pub, _ := a.published(owner, "Publicado", "Uno")

	params := func(c *courses.Course) courses.CourseParams {
		return courses.CourseParams{Title: c.Title + " (editado)", Language: c.Language, WorkloadHours: c.WorkloadHours}
	}
	tests := []struct {
		name   string
		actor  courses.Actor
		course *courses.Course
		want   error
	}{
		{"owner edits draft", owner, draft, nil},
		{"admin edits draft", admin, draft, nil},
		{"other instructor, draft: not even seen", other, draft, courses.ErrNotFound},
		{"learner, draft: not even seen", learner, draft, courses.ErrNotFound},
		{"visitor, draft", courses.Actor{}, draft, courses.ErrNotFound},
		{"other instructor, published", other, pub, courses.ErrForbidden},
		{"learner, published", learner, pub, courses.ErrForbidden},
		{"admin, published", admin, pub, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.svc.UpdateCourse(ctx, tc.actor, tc.course.ID, params(tc.course))
			if !errors.Is(err, tc.want) {
				t.Errorf("UpdateCourse: %v, want %v", err, tc.want)
			}
			_, err = a.svc.CreateModule(ctx, tc.actor, tc.course.ID, courses.ModuleParams{Title: "Nuevo"})
			if !errors.Is(err, tc.want) {
				t.Errorf("CreateModule: %v, want %v", err, tc.want)
			}
			if tc.want == nil {
				return // publishing the draft would change the later cases
			}
			if _, err = a.svc.Publish(ctx, tc.actor, tc.course.ID); !errors.Is(err, tc.want) {
				t.Errorf("Publish: %v, want %v", err, tc.want)
			}
			if _, err = a.svc.Archive(ctx, tc.actor, tc.course.ID); !errors.Is(err, tc.want) {
				t.Errorf("Archive: %v, want %v", err, tc.want)
			}
		})
	}

	// Adding a co-instructor gives them the course; the list replaces the old one.
	if _, err := a.svc.UpdateCourse(ctx, admin, draft.ID, courses.CourseParams{Title: draft.Title, Language: "es", WorkloadHours: 3,
		InstructorIDs: []int64{other.UserID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Access(ctx, other, draft.ID); err != nil {
		t.Errorf("new instructor cannot see the draft: %v", err)
	}
	if _, err := a.svc.UpdateCourse(ctx, owner, draft.ID, params(draft)); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("removed instructor still edits: %v", err)
	}
	if _, err := a.svc.UpdateCourse(ctx, admin, draft.ID, courses.CourseParams{Title: "x", Language: "es", WorkloadHours: 3,
		InstructorIDs: []int64{}}); !errors.Is(err, courses.ErrInvalidInstructor) {
		t.Errorf("course left without instructors: %v, want ErrInvalidInstructor", err)
	}

	mine, total, err := a.svc.Teaching(ctx, other, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(mine) != 1 || mine[0].ID != draft.ID {
		t.Errorf("Teaching(other) = %d courses %v, want only the draft", total, mine)
	}
	if _, _, err := a.svc.Teaching(ctx, learner, 10, 0); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("Teaching(learner): %v, want ErrForbidden", err)
	}
}

func TestVisibility(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	learner := a.person(accounts.RoleLearner)
	enrolled := a.person(accounts.RoleLearner)
	draft := a.course(owner, "Borrador visible")
	pub, mods := a.published(owner, "Curso visible", "Uno", "Dos")
	if _, err := a.svc.Enrol(ctx, enrolled.UserID, pub.ID, nil); err != nil {
		t.Fatal(err)
	}

	check := func(who string, actor courses.Actor, id int64, wantView, wantRead bool) {
		t.Helper()
		acc, err := a.svc.Access(ctx, actor, id)
		if !wantView {
			if !errors.Is(err, courses.ErrNotFound) {
				t.Errorf("%s: Access = %v, want ErrNotFound", who, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s: Access: %v", who, err)
		}
		if acc.CanRead() != wantRead {
			t.Errorf("%s: CanRead = %v, want %v", who, acc.CanRead(), wantRead)
		}
		_, err = a.svc.ReadModule(ctx, actor, courses.CourseRef{ID: id}, mods[0].ID)
		if wantRead && err != nil {
			t.Errorf("%s: ReadModule: %v", who, err)
		}
		if !wantRead && !(errors.Is(err, courses.ErrNotEnrolled) && errors.Is(err, courses.ErrForbidden)) {
			t.Errorf("%s: ReadModule = %v, want ErrNotEnrolled and ErrForbidden", who, err)
		}
	}
	check("visitor, draft", courses.Actor{}, draft.ID, false, false)
	check("learner, draft", learner, draft.ID, false, false)
	check("visitor, published", courses.Actor{}, pub.ID, true, false)
	check("learner, published", learner, pub.ID, true, false)
	check("enrolled, published", enrolled, pub.ID, true, true)
	check("owner, published", owner, pub.ID, true, true)

	if _, err := a.svc.Archive(ctx, owner, pub.ID); err != nil {
		t.Fatal(err)
	}
	check("visitor, archived", courses.Actor{}, pub.ID, false, false)
	check("learner, archived", learner, pub.ID, false, false)
	check("enrolled, archived", enrolled, pub.ID, true, true)

	if _, err := a.svc.AccessBySlug(ctx, courses.Actor{}, draft.Slug); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("draft by slug to a visitor: %v", err)
	}
	if _, err := a.svc.Access(ctx, owner, 1<<40); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("missing course: %v", err)
	}
}
