package courses_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/courses"
)

func TestSeedDemo(t *testing.T) {
	a := newAuthoringOn(t, "courses_demo") // fixed emails and slugs: a database of its own
	ctx := context.Background()
	people := accounts.NewService(a.db, nil)

	report, err := a.svc.SeedDemo(ctx, people, assets.Demo)
	if err != nil {
		t.Fatal(err)
	}
	if report.Institutions != 2 || len(report.Accounts) != 2 || len(report.Courses) != 3 {
		t.Fatalf("first run created %+v", report)
	}
	for _, acc := range report.Accounts {
		if len(acc.Password) < accounts.MinPasswordLength {
			t.Errorf("%s: password %q too short", acc.Email, acc.Password)
		}
		if _, err := people.Authenticate(ctx, acc.Email, acc.Password); err != nil {
			t.Errorf("%s cannot sign in with the printed password: %v", acc.Email, err)
		}
	}
	learner, err := accounts.NewStore(a.db).UserByEmail(ctx, "formando@aula.localhost")
	if err != nil {
		t.Fatal(err)
	}
	if learner.Name != "João Conceição" || learner.InstitutionID == nil {
		t.Errorf("demo learner %+v", learner)
	}

	langs := map[string]bool{}
	for _, slug := range []string{"introduccion-a-la-seguridad-social", "extensao-da-protecao-social", "social-protection-floors"} {
		acc, err := a.svc.AccessBySlug(ctx, courses.ActorFor(learner), slug)
		if err != nil {
			t.Fatalf("%s: %v", slug, err)
		}
		c := acc.Course
		langs[c.Language] = true
		if c.Status != courses.StatusPublished || c.CoverAssetID == nil || acc.Enrolment == nil {
			t.Errorf("%s: status %s, cover %v, learner enrolled %v", slug, c.Status, c.CoverAssetID, acc.Enrolment != nil)
		}
		cover, _, err := a.svc.Asset(ctx, courses.Actor{}, c.ID, *c.CoverAssetID)
		if err != nil || cover.ContentType != "image/png" {
			t.Errorf("%s: cover %+v, %v", slug, cover, err)
		}
		mods, err := a.svc.Outline(ctx, acc)
		if err != nil {
			t.Fatal(err)
		}
		if len(mods) < 3 {
			t.Errorf("%s: %d modules, want 3 or more", slug, len(mods))
		}
		tables := 0
		for _, m := range mods {
			r, err := a.svc.ReadModule(ctx, courses.ActorFor(learner), courses.CourseRef{ID: c.ID}, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Module.BodyMarkdown) < 800 || !strings.Contains(r.Module.BodyHTML, "<h2 id=") {
				t.Errorf("%s / %s: a thin module (%d bytes)", slug, m.Title, len(r.Module.BodyMarkdown))
			}
			if strings.Contains(r.Module.BodyHTML, "<table>") {
				tables++
			}
		}
		if tables == 0 {
			t.Errorf("%s: no table rendered in any module", slug)
		}
	}
	if len(langs) != 3 {
		t.Errorf("languages %v, want es, pt and en", langs)
	}

	// The catalogue finds them the way people type.
	for q, slug := range map[string]string{
		"seguridad social": "introduccion-a-la-seguridad-social",
		"protecao social":  "extensao-da-protecao-social",
		"PROTECTION FLOOR": "social-protection-floors",
	} {
		found, _, err := a.svc.Catalog(ctx, courses.CatalogQuery{Query: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 || found[0].Slug != slug {
			t.Errorf("search %q found %v first, want %s", q, courseTitles(found), slug)
		}
	}

	again, err := a.svc.SeedDemo(ctx, people, assets.Demo)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("second run created %+v", again)
	}
}
