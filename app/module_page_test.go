package app_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/notify"
)

// TestModulePageKeepsNoStaleBody: the module page keeps module bodies and
// rendered articles in the process, checked against the module's version
// and what the statement that reads the page found. A change made
// elsewhere (another node, a command: here the service, which this app's
// caches never hear of) shows on the next view, as do a neighbour and the
// course renamed; signing out or a disabled account stops the reading at
// the next request, however warm what is kept.
func TestModulePageKeepsNoStaleBody(t *testing.T) {
	e := newCoursesEnv(t, 0)
	ctx := context.Background()
	_, author := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	co, mods := e.course(author, "Versiones", true, "Uno", "Dos")
	e.enrol(learnerUser, co.ID)
	path := fmt.Sprintf("/courses/%s/modules/%d", co.Slug, mods[0].ID)

	for range 2 { // the second view is served with the kept body
		wantBody(t, learner.get(path), `<h2 id="uno">Uno</h2>`, "Texto del módulo.", ">Dos</span>")
	}
	a := courses.ActorFor(author)
	if _, err := e.courses.UpdateModule(ctx, a, co.ID, mods[0].ID, courses.ModuleParams{
		Title: "Uno", BodyMarkdown: "## Uno\n\nTexto **nuevo**.", EstimatedMinutes: 10}); err != nil {
		t.Fatal(err)
	}
	res := learner.get(path)
	wantBody(t, res, "Texto <strong>nuevo</strong>.")
	if strings.Contains(res.body, "Texto del módulo.") {
		t.Error("the module page shows the body from before the change")
	}
	if _, err := e.courses.UpdateModule(ctx, a, co.ID, mods[1].ID, courses.ModuleParams{
		Title: "Dos bis", BodyMarkdown: "Otro.", EstimatedMinutes: 5}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, learner.get(path), ">Dos bis</span>", "Texto <strong>nuevo</strong>.")
	if _, err := e.courses.UpdateCourse(ctx, a, co.ID, courses.CourseParams{Title: "Versiones renombrado",
		Summary: co.Summary, Language: co.Language, WorkloadHours: co.WorkloadHours}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, learner.get(path), `lang="es">Versiones renombrado</a>`, ">Dos bis</span>")
	// A reader who changes language gets the article in theirs.
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("locale = 'es'").Where("id = ?", learnerUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantBody(t, learner.get(path), "Módulo 1 de 2", "Texto <strong>nuevo</strong>.")

	// A copy of the session cookie, as a stolen or second tab's would be.
	stale := *learner
	stale.cookies = maps.Clone(learner.cookies)
	wantStatus(t, learner.post("/signout", nil), http.StatusSeeOther)
	if res := stale.get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("signed-out session reads the module: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	other, otherUser := e.signedIn(accounts.RoleLearner)
	e.enrol(otherUser, co.ID)
	wantBody(t, other.get(path), "Texto <strong>nuevo</strong>.")
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("disabled = true").Where("id = ?", otherUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if res := other.get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("disabled user reads the module: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestModulePageReadsItsSession: the module page finds its reader's
// session in its own statement (one round trip), and gives each reader
// what the session looked up first gave them: the bell's count and their
// language for a reader; the author's preview, and a refusal for an
// instructor who does not teach the course; a sign-in redirect, with the
// cookie cleared, for an expired or unknown session; and for a missing
// course, the 404 page with the reader still signed in.
func TestModulePageReadsItsSession(t *testing.T) {
	e := newCoursesEnv(t, 0)
	ctx := context.Background()
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	co, mods := e.course(authorUser, "Sesiones", true, "Uno", "Dos")
	e.enrol(learnerUser, co.ID)
	path := fmt.Sprintf("/courses/%s/modules/%d", co.Slug, mods[0].ID)

	for range 2 {
		if _, err := e.db.NewInsert().Model(&notify.Notification{UserID: learnerUser.ID, Kind: "announcement", Args: []string{"x"}, Link: "/"}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	wantBody(t, learner.get(path), "2 new notifications", learnerUser.Name, "Texto del módulo.")
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("locale = 'pt-BR'").Where("id = ?", learnerUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantBody(t, learner.get(path), `<html lang="pt-BR">`, "Texto del módulo.")

	wantBody(t, author.get(path), "You are seeing this page as learners will see it.", "Texto del módulo.")
	stranger, _ := e.signedIn(accounts.RoleInstructor)
	if res := stranger.get(path); res.StatusCode != http.StatusForbidden || strings.Contains(res.body, "Texto del módulo.") {
		t.Errorf("an instructor of another course reads the module: %d", res.StatusCode)
	}

	res := learner.get(fmt.Sprintf("/courses/no-such-course-%s/modules/%d", unique(""), mods[0].ID))
	wantStatus(t, res, http.StatusNotFound)
	wantBody(t, res, learnerUser.Name)

	if _, err := e.db.NewUpdate().Model((*accounts.Session)(nil)).Set("expires_at = now() - interval '1 minute'").
		Where("user_id = ?", learnerUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	unknown := e.browser()
	unknown.cookies["aula_session"] = "no-such-session"
	for name, c := range map[string]*client{"expired": learner, "unknown": unknown} {
		res := c.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") || strings.Contains(res.body, "Texto") {
			t.Errorf("%s session: %d %s, want a redirect to sign in", name, res.StatusCode, res.Header.Get("Location"))
		}
		if _, ok := c.cookies["aula_session"]; ok {
			t.Errorf("%s session: the cookie is kept", name)
		}
	}
}

// TestMyCoursesReadsItsSession: my courses finds its reader's session in
// its own statement (one round trip), as the module page does, and gives
// each reader what the session looked up first gave them: their courses
// with progress, the bell's count and their language; the "no courses
// yet" page for a reader without enrolments; and a sign-in redirect at
// the next request for a session signed out (a copy of its cookie), an
// expired or unknown one (the cookie cleared), and a disabled account.
func TestMyCoursesReadsItsSession(t *testing.T) {
	e := newCoursesEnv(t, 0)
	ctx := context.Background()
	_, author := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	co, _ := e.course(author, "Mis cursos "+unique(""), true, "Uno", "Dos")
	e.enrol(learnerUser, co.ID)
	if _, err := e.db.NewInsert().Model(&notify.Notification{UserID: learnerUser.ID, Kind: "announcement", Args: []string{"x"}, Link: "/"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	var res response
	if n := e.countStatements(func() { res = learner.get("/my/courses") }); n != 1 {
		t.Errorf("my courses: %d statements, want 1 (the session in the page's)", n)
	}
	wantBody(t, res, learnerUser.Name, "1 new notification", co.Title, "Progress: 0%", "Start the course")
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("locale = 'es'").Where("id = ?", learnerUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantBody(t, learner.get("/my/courses"), `<html lang="es">`, "Avance: 0%")

	newcomer, newcomerUser := e.signedIn(accounts.RoleLearner)
	wantBody(t, newcomer.get("/my/courses"), newcomerUser.Name, "You are not enrolled in any course yet.")

	// A copy of the session cookie, as a stolen or second tab's would be.
	stale := *learner
	stale.cookies = maps.Clone(learner.cookies)
	wantStatus(t, learner.post("/signout", nil), http.StatusSeeOther)
	if res := stale.get("/my/courses"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") || strings.Contains(res.body, co.Title) {
		t.Errorf("signed-out session reads my courses: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("disabled = true").Where("id = ?", newcomerUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if res := newcomer.get("/my/courses"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("disabled user reads my courses: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	other, otherUser := e.signedIn(accounts.RoleLearner)
	e.enrol(otherUser, co.ID)
	wantBody(t, other.get("/my/courses"), co.Title)
	if _, err := e.db.NewUpdate().Model((*accounts.Session)(nil)).Set("expires_at = now() - interval '1 minute'").
		Where("user_id = ?", otherUser.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	unknown := e.browser()
	unknown.cookies["aula_session"] = "no-such-session"
	for name, c := range map[string]*client{"expired": other, "unknown": unknown, "visitor": e.browser()} {
		res := c.get("/my/courses")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") || strings.Contains(res.body, co.Title) {
			t.Errorf("%s: %d %s, want a redirect to sign in", name, res.StatusCode, res.Header.Get("Location"))
		}
		if _, ok := c.cookies["aula_session"]; ok {
			t.Errorf("%s: the cookie is kept", name)
		}
	}
}

// TestModulePageFindsQuizAttachedLater: the module page of a module
// without quizzes asks only whether it has one, in its one statement, and
// so finds a quiz attached since (here through the API; on another node,
// it would be the same) at the next view, which then reads it, and stops
// showing it once it is detached elsewhere.
func TestModulePageFindsQuizAttachedLater(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, mods := quizCourse(t, e.db, teacher, 2)
	learner := e.user(accounts.RoleLearner)
	e.enrol(learner, course.ID)
	browser := e.browser()
	if res := browser.signIn(learner.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	path := "/courses/" + course.Slug + "/modules/" + itoa(mods[1].ID)
	view := func() (response, int64) {
		var res response
		n := e.countStatements(func() { res = browser.get(path) })
		wantStatus(t, res, http.StatusOK)
		return res, n
	}
	if res, n := view(); n != 1 || strings.Contains(res.body, "Cuestionario del módulo") {
		t.Fatalf("module without a quiz: %d statements, quiz shown: %v", n, strings.Contains(res.body, "Cuestionario del módulo"))
	}

	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) {
		b["module_id"] = mods[1].ID
		b["title"] = "Cuestionario del módulo"
	})
	wantBody(t, mustView(view), "Cuestionario del módulo")
	if _, n := view(); n != 1 {
		t.Errorf("module known to have a quiz: %d statements, want 1", n)
	}

	if _, err := e.db.NewUpdate().Table("quizzes").Set("module_id = NULL").Where("id = ?", q.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if res, n := view(); n != 1 || strings.Contains(res.body, "Cuestionario del módulo") {
			t.Errorf("quiz detached: %d statements, quiz still shown: %v", n, strings.Contains(res.body, "Cuestionario del módulo"))
		}
	}
}

// mustView is view's page.
func mustView(view func() (response, int64)) response { res, _ := view(); return res }
