package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// bigPNG is a 2000 × 1000 cover, the size of a photo an instructor uploads.
func bigPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2000, 1000))
	for y := range 1000 {
		for x := range 2000 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 173, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLearnerHome: a signed-in learner's home shows their courses in
// progress with the next module, their certificates and the newest courses
// in their language, whose cards show a small version of the cover.
func TestLearnerHome(t *testing.T) {
	e := newCoursesEnv(t, 0)
	ctx := context.Background()
	authorUser := e.user(accounts.RoleInstructor)
	author := e.signedInAs(authorUser)
	mine, mods := e.course(authorUser, "Curso en marcha", true, "Primer módulo", "Segundo módulo")
	newest, _ := e.course(authorUser, "Curso nuevo con portada", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", newest.ID)
	author.get(manage)
	wantStatus(t, author.upload(manage+"/files", "portada.png", bigPNG(t)), http.StatusSeeOther)
	assets, err := e.courses.Assets(ctx, courses.ActorFor(authorUser), newest.ID)
	if err != nil || len(assets) != 1 {
		t.Fatalf("assets %v %v", assets, err)
	}
	if _, err := e.courses.UpdateCourse(ctx, courses.ActorFor(authorUser), newest.ID, courses.CourseParams{Title: newest.Title, Summary: newest.Summary,
		Language: newest.Language, WorkloadHours: newest.WorkloadHours, CoverAssetID: &assets[0].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.courses.Publish(ctx, courses.ActorFor(authorUser), newest.ID); err != nil {
		t.Fatal(err)
	}

	learnerUser := e.user(accounts.RoleLearner)
	e.enrol(learnerUser, mine.ID)
	learner := e.signedInAs(learnerUser)
	learner.speak("es")
	home := learner.get("/")
	wantStatus(t, home, http.StatusOK)
	wantBody(t, home, mine.Title, fmt.Sprintf("/courses/%s/modules/%d", mine.Slug, mods[0].ID), "Primer módulo", newest.Title,
		fmt.Sprintf(`src="/courses/%d/card.jpg?v=%d"`, newest.ID, assets[0].ID))
	if strings.Contains(home.body, `<a href="/courses/`+mine.Slug+`">`+mine.Title+`</a></h3>
    <p class="hint">`) {
		t.Error("a course the learner is enrolled in is offered as new")
	}

	card := e.browser().get(fmt.Sprintf("/courses/%d/card.jpg", newest.ID))
	wantStatus(t, card, http.StatusOK)
	img, err := jpeg.Decode(strings.NewReader(card.body))
	if err != nil {
		t.Fatalf("card is no JPEG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 240 {
		t.Errorf("card is %v, want 480×240", b)
	}
	if len(card.body) > 60<<10 || !strings.HasPrefix(card.Header.Get("Cache-Control"), "public") {
		t.Errorf("card of %d bytes, Cache-Control %q", len(card.body), card.Header.Get("Cache-Control"))
	}
	wantStatus(t, e.browser().get(fmt.Sprintf("/courses/%d/card.jpg", mine.ID)), http.StatusNotFound)

	visitor := e.browser().get("/")
	wantStatus(t, visitor, http.StatusOK)
	wantBody(t, visitor, `href="/signin"`)
}
