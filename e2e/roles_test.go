package e2e_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// selectByText picks the option of a select whose text contains text.
func selectByText(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => {
	  const s = document.querySelector(` + jsString(sel) + `);
	  const o = [...s.options].find(o => o.text.includes(` + jsString(text) + `));
	  if (!o) throw new Error("no option " + ` + jsString(text) + `);
	  s.value = o.value;
	})()`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestCoordinatorJourney: an administrator creates an institution and its
// coordinator; the coordinator imports their staff from a CSV file (a bad
// line first, then corrected), sees them on the gradebook and on the
// institution report; the administrator's dashboard shows the network.
// Every page it stops at is screenshot and audited (auditor).
func TestCoordinatorJourney(t *testing.T) {
	s := startServer(t)
	ctx := browser(t)
	audit := newAuditor(t, ctx)

	signIn(t, ctx, s, adminEmail, adminPassword)
	do(t, ctx, "create an institution",
		chromedp.Navigate(s.URL+"/admin/institutions/new"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Instituto da Segurança Social de Moçambique"),
		chromedp.SendKeys(chromedp.CSS("#acronym"), "INSSM"),
		chromedp.SendKeys(chromedp.CSS("#country"), "MZ"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	audit.check("institution-created")
	do(t, ctx, "create its coordinator",
		chromedp.Navigate(s.URL+"/admin/users/new"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "ines@inssm.e2e.test"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Inês Conceição Peña"),
		chromedp.SetValue(chromedp.CSS("#role"), "coordinator"),
		selectByText("#institution_id", "INSSM"),
		chromedp.SetValue(chromedp.CSS("#locale"), "pt-PT"),
		chromedp.SendKeys(chromedp.CSS("#password"), "coordenação de formação 2026"),
		chromedp.Submit(chromedp.CSS("#email")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	audit.check("coordinator-created")
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("a[href='/signin']")))

	// The coordinator lands on their institution's report, in Portuguese.
	signIn(t, ctx, s, "ines@inssm.e2e.test", "coordenação de formação 2026")
	do(t, ctx, "open the reports", chromedp.Navigate(s.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
	mustContain(t, "institution report", textOf(t, ctx, "main"), "Instituto da Segurança Social de Moçambique", "Conclusões por mês", "Inscrever o seu pessoal")
	audit.check("institution-report")

	// They import their staff into a course: one bad line first.
	dir := t.TempDir()
	bad := filepath.Join(dir, "pessoal.csv")
	good := filepath.Join(dir, "pessoal-corrigido.csv")
	if err := os.WriteFile(bad, []byte("\ufeffemail;name;institution_acronym\r\njoao@inssm.e2e.test;João da Conceição;\r\nnao-e-um-email;Maria Peña;\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("\ufeffemail;name;institution_acronym\r\njoao@inssm.e2e.test;João da Conceição;\r\nmaria@inssm.e2e.test;María Peña Núñez;INSSM\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clickAndWaitForNewPage(t, ctx, "open a course's roster", `section[aria-labelledby="enrol-heading"] li:first-child a[href$="/enrolments"]`)
	upload := func(step, file string) {
		t.Helper()
		do(t, ctx, step, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		clickAndWaitForNewPage(t, ctx, step+": send", `form[action$="/enrolments/bulk"] button`)
	}
	upload("import a file with a bad line", bad)
	mustContain(t, "import errors", textOf(t, ctx, "main"), "nao-e-um-email")
	audit.checkRefusal("import-bad-line")
	upload("import the corrected file", good)
	mustContain(t, "import result", textOf(t, ctx, "main"), "María Peña Núñez", "João da Conceição")
	audit.check("import-done")

	// The gradebook lists them; the institution report counts them.
	clickAndWaitForNewPage(t, ctx, "open the gradebook", `main a[href$="/gradebook"]`)
	mustContain(t, "gradebook", textOf(t, ctx, "main"), "María Peña Núñez", "João da Conceição", "INSSM")
	audit.check("gradebook")
	do(t, ctx, "back to the report", chromedp.Navigate(s.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
	total, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table:nth-of-type(2) tfoot td")))
	if err != nil || total != "2" {
		t.Errorf("the institution report counts %q enrolments (%v), want 2", total, err)
	}
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("a[href='/signin']")))

	// The administrator's dashboard and the network report.
	signIn(t, ctx, s, adminEmail, adminPassword)
	do(t, ctx, "open the dashboard", chromedp.Navigate(s.URL+"/admin/"), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
	mustContain(t, "dashboard", textOf(t, ctx, "main"), "Completions per month", "Published courses")
	audit.check("admin-dashboard")
	do(t, ctx, "open the network report", chromedp.Navigate(s.URL+"/reports/network"), chromedp.WaitVisible(chromedp.CSS("main table")))
	mustContain(t, "network report", textOf(t, ctx, "main"), "INSSM", "MZ")
	audit.check("network-report")
}
