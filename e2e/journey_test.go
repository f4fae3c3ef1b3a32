package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestJourney is a learner's and an administrator's day on Aula, in a real
// browser against the real binary.
func TestJourney(t *testing.T) {
	s := startServer(t)
	s.run(t, "user", "create", "-email", "joao@e2e.test", "-name", "João da Conceição Peña", "-role", "learner", "-password", "senha do joão", "-locale", "pt")
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
}
