package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestJourney is a learner's and an administrator's day on Aula, in a real
// browser against the real binary with its demo content.
func TestJourney(t *testing.T) {
	s := startServer(t)
	s.run(t, "user", "create", "-email", "joao@e2e.test", "-name", "João da Conceição Peña", "-role", "learner", "-password", "senha do joão", "-locale", "pt-PT")
	ctx := browser(t)

	// The administrator manages institutions.
	signIn(t, ctx, s, adminEmail, adminPassword)
	do(t, ctx, "create an institution",
		chromedp.Navigate(s.URL+"/admin/institutions/new"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Instituto Nacional de Previdência Social"),
		chromedp.SendKeys(chromedp.CSS("#acronym"), "INPS"),
		chromedp.SendKeys(chromedp.CSS("#country"), "MZ"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	mustContain(t, "institutions page", textOf(t, ctx, "main"), "Instituto Nacional de Previdência Social", "INPS")
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("a[href='/signin']")))

	// The learner signs in and sees the site in Portuguese, with their name.
	signIn(t, ctx, s, "joao@e2e.test", "senha do joão")
	mustContain(t, "header", textOf(t, ctx, "header"), "João da Conceição Peña", "Sair")

	// They find a course by searching without accents, and enrol.
	do(t, ctx, "search the catalogue",
		chromedp.Navigate(s.URL+"/courses?q=protecao"),
		chromedp.WaitVisible(chromedp.CSS("main")),
	)
	mustContain(t, "search results", textOf(t, ctx, "main"), "Extensão da proteção social")
	do(t, ctx, "open the course and enrol",
		chromedp.Click(chromedp.CSS("a[href='/courses/extensao-da-protecao-social']")),
		chromedp.WaitVisible(chromedp.CSS("a[href^='/enrol/']")),
		chromedp.Click(chromedp.CSS("a[href^='/enrol/']")),
		chromedp.WaitVisible(chromedp.CSS("form[action^='/enrol/'] button")),
		chromedp.Click(chromedp.CSS("form[action^='/enrol/'] button")),
		chromedp.WaitVisible(chromedp.CSS("progress#course-progress")),
	)
	mustContain(t, "course page after enrolling", textOf(t, ctx, "main"), "Está inscrito", "Progresso: 0%")

	// They read every module, marking each complete. The welcome message
	// was for the course page only.
	clickAndWaitForNewPage(t, ctx, "start the first module", "section.enrolment a.button")
	if strings.Contains(textOf(t, ctx, "main"), "Está inscrito") {
		t.Fatal("the enrolment message follows the learner to the next page")
	}
	completeModules(t, ctx)

	// The course also requires its final quiz: they take it and pass.
	do(t, ctx, "open the course's quiz",
		chromedp.Navigate(s.URL+"/courses/extensao-da-protecao-social"),
		chromedp.WaitVisible(chromedp.CSS("section.quizzes a")),
	)
	mustContain(t, "course page before the quiz", textOf(t, ctx, "main"), "Progresso: 75%")
	clickAndWaitForNewPage(t, ctx, "open the quiz", "section.quizzes a")
	clickAndWaitForNewPage(t, ctx, "start an attempt", "form[action$='/attempts'] button")
	do(t, ctx, "answer the questions",
		chromedp.Click(chromedp.Search(`//label[normalize-space()="A Recomendação n.º 202"]`)),
		chromedp.Click(chromedp.CSS("input[type=radio][value=true]")),
		chromedp.SendKeys(chromedp.CSS("#attempt-form input[autocomplete=off]:not([inputmode])"), "  Seguro Social "),
	)
	clickAndWaitForNewPage(t, ctx, "submit the attempt", "button[value=submit]")
	mustContain(t, "quiz result", textOf(t, ctx, "main"), "Aprovado")

	// The course is complete, and its certificate is issued and verifiable.
	do(t, ctx, "see my courses", chromedp.Navigate(s.URL+"/my/courses"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	mustContain(t, "my courses", textOf(t, ctx, "main"), "Concluídos", "Extensão da proteção social")
	do(t, ctx, "see my certificates", chromedp.Navigate(s.URL+"/my/certificates"), chromedp.WaitVisible(chromedp.CSS("main code")))
	code := textOf(t, ctx, "main code")
	if !strings.HasPrefix(code, "AULA-") {
		t.Fatalf("certificate code %q", code)
	}
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("a[href='/signin']")))
	do(t, ctx, "verify the certificate as a visitor, typing the code loosely",
		chromedp.Navigate(s.URL+"/verify/"+strings.ToLower(strings.ReplaceAll(code, "-", ""))),
		chromedp.WaitVisible(chromedp.CSS("main table")),
	)
	mustContain(t, "verify page", textOf(t, ctx, "main"), code, "João da Conceição Peña", "Extensão da proteção social")
}
