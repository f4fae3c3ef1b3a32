package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"

	"github.com/aula-platform/aula/accounts"
)

var (
	editQuizLocation = regexp.MustCompile(`^/manage/quizzes/([0-9]+)$`)
	attemptLocation  = regexp.MustCompile(`^/attempts/([0-9]+)$`)
	fieldName        = regexp.MustCompile(`name="(q[0-9]+)" value="([^"]*)"`)
)

// TestQuizWithPagesOnly writes a quiz and takes it with plain forms, as a
// browser without JavaScript would.
func TestQuizWithPagesOnly(t *testing.T) {
	e := newQuizEnv(t)
	teacherBrowser, teacher := e.signedIn(accounts.RoleInstructor)
	e.speaks(teacher, "pt-BR")
	course, mods := quizCourse(t, e.db, teacher, 1)

	// The instructor creates the quiz, then adds questions one by one.
	wantStatus(t, teacherBrowser.get("/manage/courses/"+itoa(course.ID)+"/quizzes/new"), http.StatusOK)
	res := teacherBrowser.post("/manage/courses/"+itoa(course.ID)+"/quizzes", url.Values{
		"title": {"Avaliação: Previdência"}, "module_id": {itoa(mods[0].ID)}, "pass_percent": {"abc"}, "review": {"after_attempt"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `value="abc"`, "Avaliação: Previdência")
	res = teacherBrowser.post("/manage/courses/"+itoa(course.ID)+"/quizzes", url.Values{
		"title": {"Avaliação: Previdência"}, "module_id": {itoa(mods[0].ID)}, "pass_percent": {"50"},
		"time_limit_minutes": {"10"}, "max_attempts": {"3"}, "draw_count": {"0"}, "review": {"after_attempt"}, "required": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := editQuizLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("created quiz: redirected to %q", res.Header.Get("Location"))
	}
	quizID := m[1]
	edit := teacherBrowser.get("/manage/quizzes/" + quizID)
	wantStatus(t, edit, http.StatusOK)
	mustContain(t, edit, "Questionário criado", "Os participantes verão este questionário quando ele tiver uma pergunta.")

	wantStatus(t, teacherBrowser.get("/manage/quizzes/"+quizID+"/questions/new?kind=single"), http.StatusOK)
	// Two options marked correct: refused with the message by the options.
	res = teacherBrowser.post("/manage/quizzes/"+quizID+"/questions", url.Values{"kind": {"single"}, "prompt": {"Quem paga a pensão?"},
		"points": {"2"}, "option_text": {"O banco", "", "O INSS", ""}, "option_correct": {"0", "2"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Marque exatamente uma opção como correta.", `value="O INSS"`)
	res = teacherBrowser.post("/manage/quizzes/"+quizID+"/questions", url.Values{"kind": {"single"}, "prompt": {"Quem paga a pensão?"},
		"points": {"2"}, "option_text": {"O banco", "", "O INSS", ""}, "option_correct": {"2"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = teacherBrowser.post("/manage/quizzes/"+quizID+"/questions", url.Values{"kind": {"numeric"}, "prompt": {"Alíquota (%)?"},
		"points": {"1"}, "answer": {"7,5"}, "tolerance": {"0,1"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = teacherBrowser.post("/manage/quizzes/"+quizID+"/questions", url.Values{"kind": {"short_text"}, "prompt": {"Órgão gestor?"},
		"points": {"1"}, "accepted": {"Previdência Social\r\nINSS\r\n"}})
	wantStatus(t, res, http.StatusSeeOther)
	edit = teacherBrowser.get("/manage/quizzes/" + quizID)
	mustContain(t, edit, "Quem paga a pensão?", "Alíquota (%)?", "Órgão gestor?")

	// A learner takes it.
	learner, u := e.signedIn(accounts.RoleLearner)
	e.speaks(u, "pt-BR")
	e.enrol(u, course.ID)
	page := learner.get("/quizzes/" + quizID)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Avaliação: Previdência", "Começar o questionário", "10 min 00 s", "Obrigatório")
	res = learner.post("/quizzes/"+quizID+"/attempts", nil)
	wantStatus(t, res, http.StatusSeeOther)
	m = attemptLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("start: redirected to %q", res.Header.Get("Location"))
	}
	attempt := "/attempts/" + m[1]
	page = learner.get(attempt)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Tempo restante: 10 min 00 s", `src="/static/quiz.js?v=`, "O INSS", "Alíquota (%)?")
	mustNotContain(t, page, "7,5", "Previdência Social", "INSS\n")

	fields := map[string]string{}
	for _, f := range regexp.MustCompile(`name="(q[0-9]+)"[^>]*?(?:inputmode="decimal"|maxlength="1000"|value="([0-9])")`).FindAllStringSubmatch(page.body, -1) {
		fields[f[1]] = f[2]
	}
	var single, numeric, text string
	for _, f := range fieldName.FindAllStringSubmatch(page.body, -1) {
		if f[2] == "1" {
			single = f[1] // "O INSS": the blank line before it was left out, so its index is 1
		}
	}
	for name := range fields {
		switch {
		case name == single:
		case strings.Contains(page.body, `id="`+name+`" name="`+name+`" value="" inputmode="decimal"`):
			numeric = name
		default:
			text = name
		}
	}
	if single == "" || numeric == "" || text == "" {
		t.Fatalf("answer fields not found: single %q numeric %q text %q", single, numeric, text)
	}

	// A number that is not one: 422, the input kept, a message by it.
	res = learner.post(attempt, url.Values{"action": {"save"}, "seq": {"1"}, single: {"1"}, numeric: {"sete"}, text: {"inss"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Esta resposta não é do tipo que a pergunta pede.", `value="sete"`, `value="inss"`)

	// A decimal comma is a number; saved answers show again on reload.
	res = learner.post(attempt, url.Values{"action": {"save"}, "seq": {"1"}, single: {"1"}, numeric: {"7,55"}, text: {"  previdencia social "}})
	wantStatus(t, res, http.StatusSeeOther)
	page = learner.get(attempt)
	mustContain(t, page, "Suas respostas estão salvas.", `value="7.55"`, `value="  previdencia social "`, `value="1" checked`)

	// A late save from an old tab (lower seq) changes nothing.
	res = learner.post(attempt, url.Values{"action": {"save"}, "seq": {"1"}, single: {"0"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = learner.get(attempt)
	mustContain(t, page, "Respostas mais recentes já tinham sido salvas", `value="7.55"`)

	res = learner.post(attempt, url.Values{"action": {"submit"}, single: {"1"}, numeric: {"7,55"}, text: {"previdência social"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = learner.get(attempt)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Sua tentativa foi enviada.", "4 de 4 pontos (100\u00a0%)", "Aprovado", html.EscapeString("Previdência Social · INSS"))

	// Submitting again (a second tab) shows the first result: 409.
	res = learner.post(attempt, url.Values{"action": {"submit"}, single: {"0"}})
	wantStatus(t, res, http.StatusConflict)
	mustContain(t, res, "Esta tentativa já foi enviada.", "4 de 4 pontos")

	// The quiz page lists the attempt and, passed, offers no other; the
	// instructor sees it in the results.
	page = learner.get("/quizzes/" + quizID)
	mustContain(t, page, "Você foi aprovado neste questionário.", "4 de 4 pontos")
	mustNotContain(t, page, "Começar outra tentativa", "Tentativas restantes")
	results := teacherBrowser.get("/manage/quizzes/" + quizID + "/results")
	wantStatus(t, results, http.StatusOK)
	mustContain(t, results, html.EscapeString(u.Name), "Facilidade", "100\u00a0%")
	wantStatus(t, learner.get("/manage/quizzes/"+quizID+"/results"), http.StatusForbidden)
}

// TestAttemptPageAfterDeadline: the page of an attempt whose time is up is
// its result, graded from what was saved in time.
func TestAttemptPageAfterDeadline(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["time_limit_seconds"] = 60 })
	learner, u := e.signedIn(accounts.RoleLearner)
	e.enrol(u, course.ID)
	res := learner.post("/quizzes/"+itoa(q.ID)+"/attempts", nil)
	wantStatus(t, res, http.StatusSeeOther)
	attempt := res.Header.Get("Location")
	page := learner.get(attempt)
	mustContain(t, page, "Time left: 1 min 00 s", `data-seconds-left="60"`)

	e.clock.Advance(45 * time.Second)
	mustContain(t, learner.get(attempt), "Time left: 0 min 15 s")
	e.clock.Advance(time.Hour)
	res = learner.post(attempt, url.Values{"action": {"submit"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "The time for this attempt is over.", "0 of 6 points")
	page = learner.get(attempt)
	mustContain(t, page, "The time limit closed this attempt")
}

// TestQuizPagesNeedTheRightPeople walks the quiz routes: visitors are sent
// to sign in (pages) or get 401 (API); learners cannot reach authoring.
func TestQuizPagesNeedTheRightPeople(t *testing.T) {
	e := newQuizEnv(t)
	anon := e.browser()
	anon.get("/")
	learnerBrowser, _ := e.signedIn(accounts.RoleLearner)
	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		if r.Method == http.MethodHead || !regexp.MustCompile(`quiz|attempt|question`).MatchString(r.Path) {
			continue
		}
		path := concrete(r.Path)
		if strings.HasPrefix(path, "/api/") {
			wantStatus(t, e.api(r.Method, path, "", nil), http.StatusUnauthorized)
			checked++
			continue
		}
		req := newFormRequest(r.Method, path, "csrf="+anon.csrf)
		res := anon.do(req)
		switch {
		case r.Method == http.MethodGet && (res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin")):
			t.Errorf("GET %s anonymous: %d, want a redirect to sign in", path, res.StatusCode)
		case r.Method != http.MethodGet && res.StatusCode != http.StatusUnauthorized:
			t.Errorf("%s %s anonymous: %d, want 401", r.Method, path, res.StatusCode)
		}
		if strings.HasPrefix(path, "/manage/") {
			res := learnerBrowser.do(newFormRequest(r.Method, path, "csrf="+learnerBrowser.csrf))
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as learner: %d, want 403", r.Method, path, res.StatusCode)
			}
		}
		checked++
	}
	if checked < 25 {
		t.Fatalf("only %d quiz routes checked", checked)
	}
}

func newFormRequest(method, path, body string) *http.Request {
	req, _ := http.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// TestAutosave is the save quiz.js sends: the form's fields with the CSRF
// token and a sequence number, answered in JSON.
func TestAutosave(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	learner, u := e.signedIn(accounts.RoleLearner)
	e.enrol(u, course.ID)
	res := learner.post("/quizzes/"+itoa(q.ID)+"/attempts", nil)
	attempt := res.Header.Get("Location")
	page := learner.get(attempt)
	m := regexp.MustCompile(`id="(q[0-9]+)" name="q[0-9]+" value="" inputmode="decimal"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no numeric field on the attempt page")
	}
	numeric := m[1]
	save := func(seq, value string) response {
		return learner.post(attempt+"/save", url.Values{"seq": {seq}, numeric: {value}})
	}
	res = save("1732700000000", "1695,5")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"saved":true`, `"last_save_seq":1732700000000`)
	res = save("1732699999999", "1")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"saved":false`)
	res = save("1732700000001", "muitos")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `"answers.`+strings.TrimPrefix(numeric, "q")+`"`)
	mustContain(t, learner.get(attempt), `value="1695.5"`, `data-last-seq="1732700000000"`, `name="seq" value="1732700000001"`)

	// Without the form's token the save is refused like any form.
	wantStatus(t, learner.postRaw(attempt+"/save", url.Values{"seq": {"1732700000002"}}), http.StatusForbidden)
}

// TestQuizContentCarriesTheCourseLanguage (WCAG 3.1.2): a learner whose
// pages are in Spanish takes a quiz of a Portuguese course; the quiz's
// title, instructions, questions and options are marked lang="pt", so a
// screen reader reads them with Portuguese pronunciation, while the
// page's own words stay in Spanish.
func TestQuizContentCarriesTheCourseLanguage(t *testing.T) {
	e := newQuizEnv(t)
	teacher := e.user(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 1)
	quiz := e.createQuizAPI(e.tokenFor(teacher), course.ID, func(q map[string]any) {
		q["instructions"] = "Leia cada pergunta com atenção."
	})
	learner, u := e.signedIn(accounts.RoleLearner)
	e.speaks(u, "es")
	e.enrol(u, course.ID)

	// The course page: the quiz's title in Portuguese, the section's
	// heading in Spanish though it sits inside the course's article.
	page := learner.get("/courses/" + course.Slug)
	wantStatus(t, page, http.StatusOK)
	wantLang(t, page, map[string]string{"Avaliação — Módulo 1": "pt", "Cuestionarios": "es", "Sin empezar": "es"})

	page = learner.get("/quizzes/" + itoa(quiz.ID))
	wantStatus(t, page, http.StatusOK)
	wantLang(t, page, map[string]string{"Avaliação — Módulo 1": "pt", "Leia cada pergunta com atenção.": "pt",
		"Previdência Social": "pt", "Empezar el cuestionario": "es"})

	res := learner.post("/quizzes/"+itoa(quiz.ID)+"/attempts", nil)
	wantStatus(t, res, http.StatusSeeOther)
	attempt := res.Header.Get("Location")
	page = learner.get(attempt)
	wantStatus(t, page, http.StatusOK)
	wantLang(t, page, map[string]string{"Avaliação — Módulo 1": "pt", "A pensão é vitalícia.": "pt",
		"Quais são benefícios?": "pt", "Auxílio": "pt", "Pensão": "pt", "Verdadero": "es", "Enviar": "es"})

	res = learner.post(attempt, url.Values{"action": {"confirm"}, "seq": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = learner.get(attempt)
	wantStatus(t, page, http.StatusOK)
	wantLang(t, page, map[string]string{"A pensão é vitalícia.": "pt", "Auxílio": "pt", secretAccepted: "pt",
		"Sus respuestas": "es"})

	page = learner.get("/my/courses")
	wantStatus(t, page, http.StatusOK)
	wantLang(t, page, map[string]string{course.Title: "pt", "Módulo 1": "pt"})
}

// wantLang checks, for each text of a page, the language it is marked
// in: the lang of its nearest element that has one, as a screen reader
// decides it.
func wantLang(t *testing.T, res response, want map[string]string) {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var walk func(n *nethtml.Node, lang string)
	walk = func(n *nethtml.Node, lang string) {
		if n.Type == nethtml.ElementNode && n.Data == "head" {
			return // the <title> mixes both languages by design
		}
		if n.Type == nethtml.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "lang" {
					lang = a.Val
				}
			}
		}
		if n.Type == nethtml.TextNode {
			text := strings.TrimSpace(n.Data)
			for w := range want {
				if _, seen := got[w]; !seen && strings.Contains(text, w) {
					got[w] = lang
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lang)
		}
	}
	walk(doc, "")
	for text, lang := range want {
		switch l, ok := got[text]; {
		case !ok:
			t.Errorf("%s: %q is not on the page", res.Request.URL, text)
		case l != lang:
			t.Errorf("%s: %q is marked lang=%q, want %q", res.Request.URL, text, l, lang)
		}
	}
}
