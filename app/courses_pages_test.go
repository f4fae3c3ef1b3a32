package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

var manageLocation = regexp.MustCompile(`^/manage/courses/([0-9]+)`)

// TestAuthorCourseWithPages goes through the authoring pages as an
// instructor would: create a course, add modules, reorder them with the
// up/down buttons, publish, and find it in the catalogue.
func TestAuthorCourseWithPages(t *testing.T) {
	e := newCoursesEnv(t, 0)
	c, _ := e.signedIn(accounts.RoleInstructor)
	c.speak("es")

	wantStatus(t, c.get("/manage/courses/new"), http.StatusOK)
	title := "Introducción a la Seguridad Social " + unique("")
	res := c.post("/manage/courses", url.Values{"title": {title}, "slug": {""}, "summary": {"Qué es la seguridad social."},
		"language": {"es"}, "workload_hours": {"12"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := manageLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("created course: redirected to %q", res.Header.Get("Location"))
	}
	manage := "/manage/courses/" + m[1]
	page := c.get(manage)
	wantStatus(t, page, http.StatusOK)
	slug := courses.Slugify(title)
	wantBody(t, page, html.EscapeString(title), "Borrador", "/courses/"+slug)

	// Publishing without modules is refused with a clear message.
	res = c.post(manage+"/publish", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Un curso necesita al menos un módulo para poder publicarse.")

	for _, mt := range []string{"Primero", "Segundo", "Tercero"} {
		res = c.post(manage+"/modules", url.Values{"title": {mt}, "estimated_minutes": {"20"}, "body_markdown": {"## " + mt + "\r\n\r\nContenido."}})
		wantStatus(t, res, http.StatusSeeOther)
	}
	order := func() string {
		t.Helper()
		page := c.get(manage)
		var titles []string
		for _, m := range regexp.MustCompile(`<span class="module-title"[^>]*>([^<]+)</span>`).FindAllStringSubmatch(page.body, -1) {
			titles = append(titles, m[1])
		}
		return strings.Join(titles, " ")
	}
	if got := order(); got != "Primero Segundo Tercero" {
		t.Fatalf("modules %s", got)
	}
	ids := regexp.MustCompile(`/manage/courses/[0-9]+/modules/([0-9]+)/move`).FindAllStringSubmatch(c.get(manage).body, -1)
	if len(ids) < 4 { // first: down; middle: up and down; last: up
		t.Fatalf("move buttons: %v", ids)
	}
	thirdID := ids[len(ids)-1][1]
	res = c.post(manage+"/modules/"+thirdID+"/move", url.Values{"direction": {"up"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got := order(); got != "Primero Tercero Segundo" {
		t.Errorf("after moving Tercero up: %s", got)
	}
	res = c.post(manage+"/modules/"+thirdID+"/move", url.Values{"direction": {"sideways"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)

	res = c.post(manage+"/publish", nil)
	wantStatus(t, res, http.StatusSeeOther)
	wantBody(t, c.get(manage), "Publicado")

	// A visitor finds it by searching without accents, and reads its outline.
	visitor := e.browser()
	visitor.lang = "es"
	catalog := visitor.get("/courses?q=introduccion+seguridad&language=es")
	wantStatus(t, catalog, http.StatusOK)
	wantBody(t, catalog, `href="/courses/`+slug+`"`)
	coursePage := visitor.get("/courses/" + slug)
	wantStatus(t, coursePage, http.StatusOK)
	wantBody(t, coursePage, "Primero", "Tercero", "Segundo", "12 horas")
	if strings.Contains(coursePage.body, "/modules/") {
		t.Error("a visitor gets links to the modules")
	}
	// The numeric id is an address of the same course.
	wantStatus(t, visitor.get("/courses/"+m[1]), http.StatusOK)
}

func TestCourseFormErrorsKeepInput(t *testing.T) {
	e := newCoursesEnv(t, 0)
	c, u := e.signedIn(accounts.RoleInstructor)
	c.speak("pt-PT")
	c.get("/manage/courses/new")
	res := c.post("/manage/courses", url.Values{"title": {""}, "summary": {"Proteção social de João Conceição"},
		"language": {"pt"}, "workload_hours": {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Proteção social de João Conceição", `id="title"`, `aria-invalid="true"`)
	if !strings.Contains(res.body, "Este campo é obrigatório.") {
		t.Errorf("no translated message for the title:\n%.2000s", res.body)
	}

	res = c.post("/manage/courses", url.Values{"title": {"Curso"}, "slug": {"Com Espaços"}, "language": {"pt"}, "workload_hours": {"3"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Use apenas minúsculas sem acentos", `value="com espaços"`)

	taken, _ := e.course(u, "Ocupado", false)
	res = c.post("/manage/courses", url.Values{"title": {"Outro"}, "slug": {taken.Slug}, "language": {"pt"}, "workload_hours": {"3"}})
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "Outro curso já usa este endereço web.", `value="`+taken.Slug+`"`)

	// Editing: removing every instructor is refused, not ignored.
	page := c.get(fmt.Sprintf("/manage/courses/%d/edit", taken.ID))
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `value="`+itoa(u.ID)+`" selected`)
	res = c.post(fmt.Sprintf("/manage/courses/%d", taken.ID), url.Values{"title": {taken.Title}, "slug": {taken.Slug}, "language": {"es"}, "workload_hours": {"6"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Escolha pelo menos um formador")
}

func TestCoursePagesAuthorisation(t *testing.T) {
	e := newCoursesEnv(t, 0)
	owner, ownerUser := e.signedIn(accounts.RoleInstructor)
	other, _ := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	visitor := e.browser()
	visitor.get("/")
	draft, draftMods := e.course(ownerUser, "Borrador secreto", false, "Uno")
	pub, pubMods := e.course(ownerUser, "Curso abierto", true, "Uno", "Dos")

	edit := func(id int64) string { return fmt.Sprintf("/manage/courses/%d", id) }
	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		want   int
	}{
		{"learner, my teaching", learner, http.MethodGet, "/manage/courses", http.StatusForbidden},
		{"learner edits a published course", learner, http.MethodPost, edit(pub.ID), http.StatusForbidden},
		{"learner publishes", learner, http.MethodPost, edit(draft.ID) + "/publish", http.StatusForbidden},
		{"learner adds a module", learner, http.MethodPost, edit(pub.ID) + "/modules", http.StatusForbidden},
		{"other instructor opens a draft", other, http.MethodGet, edit(draft.ID), http.StatusNotFound},
		{"other instructor edits a draft", other, http.MethodPost, edit(draft.ID), http.StatusNotFound},
		{"other instructor opens a published course", other, http.MethodGet, edit(pub.ID), http.StatusForbidden},
		{"other instructor edits a published course", other, http.MethodPost, edit(pub.ID), http.StatusForbidden},
		{"other instructor moves a module", other, http.MethodPost, fmt.Sprintf("%s/modules/%d/move", edit(pub.ID), pubMods[1].ID), http.StatusForbidden},
		{"other instructor deletes a module", other, http.MethodPost, fmt.Sprintf("%s/modules/%d/delete", edit(pub.ID), pubMods[1].ID), http.StatusForbidden},
		{"visitor, draft page", visitor, http.MethodGet, "/courses/" + draft.Slug, http.StatusNotFound},
		{"learner, draft page by id", learner, http.MethodGet, fmt.Sprintf("/courses/%d", draft.ID), http.StatusNotFound},
		{"other instructor, draft page", other, http.MethodGet, "/courses/" + draft.Slug, http.StatusNotFound},
		{"learner, draft module", learner, http.MethodGet, fmt.Sprintf("/courses/%d/modules/%d", draft.ID, draftMods[0].ID), http.StatusNotFound},
		{"learner not enrolled, module", learner, http.MethodGet, fmt.Sprintf("/courses/%s/modules/%d", pub.Slug, pubMods[0].ID), http.StatusForbidden},
		{"owner, draft page", owner, http.MethodGet, "/courses/" + draft.Slug, http.StatusOK},
		{"owner, draft module preview", owner, http.MethodGet, fmt.Sprintf("/courses/%s/modules/%d", draft.Slug, draftMods[0].ID), http.StatusOK},
		{"admin opens a draft", admin, http.MethodGet, edit(draft.ID), http.StatusOK},
		{"owner, published page", owner, http.MethodGet, "/courses/" + pub.Slug, http.StatusOK},
		{"unknown slug", visitor, http.MethodGet, "/courses/no-existe-este-curso", http.StatusNotFound},
		{"malformed slug", visitor, http.MethodGet, "/courses/No%20Valido", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var res response
			if tc.method == http.MethodGet {
				res = tc.c.get(tc.path)
			} else {
				res = tc.c.post(tc.path, url.Values{"title": {"Cambiado"}, "language": {"es"}, "workload_hours": {"1"}, "direction": {"up"}})
			}
			wantStatus(t, res, tc.want)
		})
	}
	// Nothing was changed by those who may not.
	acc, err := e.courses.Access(context.Background(), courses.ActorFor(ownerUser), pub.ID)
	if err != nil || acc.Course.Title != pub.Title {
		t.Errorf("published course after refused edits: %v %+v", err, acc)
	}
	if got, _ := e.courses.EditModules(context.Background(), courses.ActorFor(ownerUser), pub.ID); len(got) != 2 || got[0].ID != pubMods[0].ID {
		t.Errorf("modules after refused edits: %v", got)
	}

	// The owner previews the draft exactly as learners will see it, with a note.
	res := owner.get("/courses/" + draft.Slug)
	wantBody(t, res, "as learners will see it", html.EscapeString(draft.Title))
	// Once enrolled, the learner reads the modules.
	e.enrol(learnerUser, pub.ID)
	wantStatus(t, learner.get(fmt.Sprintf("/courses/%s/modules/%d", pub.Slug, pubMods[0].ID)), http.StatusOK)
	// A visitor is sent to sign in first.
	res = visitor.get(fmt.Sprintf("/courses/%s/modules/%d", pub.Slug, pubMods[0].ID))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("visitor on a module: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestModuleXSSNeverReachesThePage: script tags, javascript: links and
// event-handler attributes written in a module's Markdown are not in the
// page learners get.
func TestModuleXSSNeverReachesThePage(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	co, _ := e.course(authorUser, "Seguro", false, "Inocente")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	evil := strings.Join([]string{
		"# Módulo peligroso",
		"<script>alert('xss')</script>",
		"[haga clic](javascript:alert(document.cookie))",
		"[también](JaVaScRiPt:alert(1))",
		"<a href=\"javascript:alert(2)\">enlace</a>",
		"<img src=x onerror=alert(3)>",
		"![foto](/x.png \"t\" onerror=\"alert(4)\")",
		"<svg onload=alert(5)>",
		"<div onclick=\"alert(6)\">texto</div>",
		"Texto legítimo con **negrita**.",
	}, "\n\n")
	res := author.post(manage+"/modules", url.Values{"title": {"Peligroso"}, "body_markdown": {evil}, "estimated_minutes": {"5"}})
	wantStatus(t, res, http.StatusSeeOther)
	if _, err := e.courses.Publish(context.Background(), courses.ActorFor(authorUser), co.ID); err != nil {
		t.Fatal(err)
	}
	e.enrol(learnerUser, co.ID)
	mods, err := e.courses.EditModules(context.Background(), courses.ActorFor(authorUser), co.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/courses/%s/modules/%d", co.Slug, mods[1].ID)
	for who, c := range map[string]*client{"learner": learner, "author previewing": author} {
		page := c.get(path)
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, "<strong>negrita</strong>", "haga clic")
		for _, problem := range activeContent(t, page.body) {
			t.Errorf("%s: module page has %s", who, problem)
		}
	}
	// The editor still gets the Markdown back as typed, escaped in the form.
	form := author.get(fmt.Sprintf("%s/modules/%d/edit", manage, mods[1].ID))
	wantBody(t, form, "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;")
}

// activeContent lists what in a page could run script: script, svg,
// iframe, object and embed elements, on* attributes, and javascript: or
// data: URLs in href or src.
func activeContent(t *testing.T, page string) []string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "script", "svg", "iframe", "object", "embed", "math":
				found = append(found, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(key, "on") {
					found = append(found, fmt.Sprintf("%s=%q on <%s>", a.Key, a.Val, n.Data))
				}
				if (key == "href" || key == "src") && (strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "data:")) {
					found = append(found, fmt.Sprintf("%s=%q on <%s>", a.Key, a.Val, n.Data))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func TestModulePageNavigation(t *testing.T) {
	e := newCoursesEnv(t, 0)
	_, author := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	co, mods := e.course(author, "Navegación", true, "Uno", "Dos", "Tres")
	e.enrol(learnerUser, co.ID)
	link := func(m *courses.Module) string { return fmt.Sprintf("/courses/%s/modules/%d", co.Slug, m.ID) }

	first := learner.get(link(mods[0]))
	wantStatus(t, first, http.StatusOK)
	wantBody(t, first, `rel="next" href="`+link(mods[1])+`"`, "Module 1 of 3")
	if strings.Contains(first.body, `rel="prev"`) {
		t.Error("first module links to a previous one")
	}
	middle := learner.get(link(mods[1]))
	wantBody(t, middle, `rel="prev" href="`+link(mods[0])+`"`, `rel="next" href="`+link(mods[2])+`"`, "<h2 id=\"dos\">Dos</h2>")
	last := learner.get(link(mods[2]))
	if strings.Contains(last.body, `rel="next"`) {
		t.Error("last module links to a next one")
	}
	// A module of another course is not reachable through this one.
	other, otherMods := e.course(author, "Otro", true, "X")
	_ = other
	wantStatus(t, learner.get(fmt.Sprintf("/courses/%s/modules/%d", co.Slug, otherMods[0].ID)), http.StatusNotFound)
}
