package e2e_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// TestCourseJourneys are three people's days around one new course, on
// one server: an instructor writes it in Portuguese (two modules, one
// with an uploaded image, a required quiz with three kinds of question),
// previews and publishes it; a learner switches the interface to Spanish
// and takes the quiz with quiz.js saving as they go — through a dropped
// connection and a reload — fails once, passes, and downloads the
// certificate; a visitor opens the certificate's QR code and sees it
// valid, and once the administrator revokes it, revoked. Every page it
// stops at is screenshot and audited (auditor).
func TestCourseJourneys(t *testing.T) {
	s := startServer(t)
	s.run(t, "user", "create", "-email", "beatriz@e2e.test", "-name", "Beatriz Conceição", "-role", "instructor", "-password", "a professora escreve cursos", "-locale", "pt-BR")
	s.run(t, "user", "create", "-email", "monica@e2e.test", "-name", "Mónica Peña Conceição", "-role", "learner", "-password", "la alumna aprende mucho", "-locale", "en")
	ctx := browser(t)
	audit := newAuditor(t, ctx)

	slug, quizID := authorCourse(t, ctx, s, audit)
	qrURL, code := learnCourse(t, ctx, s, audit, slug, quizID)
	verifyAndRevoke(t, ctx, s, audit, qrURL, code)
}

const (
	courseTitle = "Proteção social dos trabalhadores da economia informal"
	quizTitle   = "Avaliação final"
)

// authorCourse is the instructor's journey; it returns the course's slug
// and the quiz's id.
func authorCourse(t *testing.T, ctx context.Context, s *server, audit *auditor) (slug, quizID string) {
	signIn(t, ctx, s, "beatriz@e2e.test", "a professora escreve cursos")
	do(t, ctx, "write the course's details",
		chromedp.Navigate(s.URL+"/manage/courses/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), courseTitle),
		chromedp.SendKeys(chromedp.CSS("#summary"), "Quem fica de fora da previdência, e como chegar até essas pessoas."),
		chromedp.SetValue(chromedp.CSS("#language"), "pt"),
		chromedp.SendKeys(chromedp.CSS("#workload_hours"), "6"),
	)
	clickAndWaitForNewPage(t, ctx, "create the course", "form.course-form button[type=submit]")
	mustContain(t, "course dashboard", textOf(t, ctx, "main"), courseTitle, "Rascunho")
	audit.check("course-created")
	manage, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	manage = strings.TrimSuffix(strings.SplitN(manage, "?", 2)[0], "#files")

	// An image for the first module.
	dir := t.TempDir()
	img := filepath.Join(dir, "mapa-da-cobertura.png")
	if err := os.WriteFile(img, pngImage(t), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "choose the image", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{img}))
	clickAndWaitForNewPage(t, ctx, "upload the image", `form[action$="/files"] button`)
	markdown, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#uploaded-md")))
	if err != nil || !strings.Contains(markdown, "mapa-da-cobertura.png") {
		t.Fatalf("the upload gives no Markdown to paste (%q, %v)", markdown, err)
	}
	audit.check("image-uploaded")

	modules := []struct{ title, body string }{
		{"Quem está de fora", "## A cobertura hoje\n\nMetade dos trabalhadores não contribui para a previdência.\n\n" + markdown + "\n"},
		{"Como chegar até eles", "## Caminhos\n\n- Inscrição simplificada\n- Contribuição proporcional à renda\n"},
	}
	for i, m := range modules {
		do(t, ctx, "write module "+m.title,
			chromedp.Navigate(manage+"/modules/new"),
			chromedp.WaitVisible(chromedp.CSS("#title")),
			chromedp.SendKeys(chromedp.CSS("#title"), m.title),
			chromedp.SendKeys(chromedp.CSS("#estimated_minutes"), "15"),
			chromedp.SetValue(chromedp.CSS("#body_markdown"), m.body),
		)
		if i == 0 {
			audit.check("module-form")
		}
		clickAndWaitForNewPage(t, ctx, "save module "+m.title, `form[action$="/modules"] button[type=submit]`)
		mustContain(t, "course dashboard", textOf(t, ctx, "main"), m.title)
	}

	// A required final quiz with a choice, a true/false and a short text.
	do(t, ctx, "describe the quiz",
		chromedp.Navigate(manage+"/quizzes/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), quizTitle),
		chromedp.SetValue(chromedp.CSS("#pass_percent"), "70"),
		chromedp.SetValue(chromedp.CSS("#max_attempts"), "3"),
		chromedp.Click(chromedp.CSS("#required")),
	)
	clickAndWaitForNewPage(t, ctx, "create the quiz", `form.narrow button[type=submit]`)
	quizPage, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	quizID = filepath.Base(strings.SplitN(quizPage, "?", 2)[0])
	audit.check("quiz-created")
	addQuestion := func(kind string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		do(t, ctx, "choose a "+kind+" question", chromedp.Navigate(s.URL+"/manage/quizzes/"+quizID+"/questions/new?kind="+kind),
			chromedp.WaitVisible(chromedp.CSS("#prompt")))
		do(t, ctx, "write the "+kind+" question", append([]chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.CSS("#points"), "1")}, fill...)...)
		clickAndWaitForNewPage(t, ctx, "save the "+kind+" question", `form.stack button[type=submit]`)
		mustContain(t, "quiz page", textOf(t, ctx, "main"), "Pergunta adicionada")
	}
	addQuestion("single",
		chromedp.SendKeys(chromedp.CSS("#prompt"), "Que instrumento da OIT trata dos pisos de proteção social?"),
		chromedp.SendKeys(chromedp.CSS("#option-0"), "A Recomendação n.º 202"),
		chromedp.SendKeys(chromedp.CSS("#option-1"), "A Convenção n.º 87"),
		chromedp.Click(chromedp.CSS("#correct-0")),
	)
	addQuestion("true_false",
		chromedp.SendKeys(chromedp.CSS("#prompt"), "Trabalhadores por conta própria podem contribuir para a previdência."),
		chromedp.Click(chromedp.CSS("#answer-true")),
	)
	addQuestion("short_text",
		chromedp.SendKeys(chromedp.CSS("#prompt"), "Como se chama a contribuição de quem tem renda baixa e variável?"),
		chromedp.SetValue(chromedp.CSS("#accepted"), "contribuição proporcional\ncontribuição proporcional à renda"),
	)
	audit.check("quiz-questions")

	// The draft, as learners will see it: the image shows.
	do(t, ctx, "back to the course", chromedp.Navigate(manage), chromedp.WaitVisible(chromedp.CSS(".status-box")))
	clickAndWaitForNewPage(t, ctx, "preview the course", ".status-box a.button.secondary")
	preview, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	slug = strings.TrimPrefix(preview, s.URL+"/courses/")
	mustContain(t, "course preview", textOf(t, ctx, "main"), courseTitle, "Quem está de fora", "Como chegar até eles")
	audit.check("course-preview")
	clickAndWaitForNewPage(t, ctx, "preview the first module", `main a[href*="/modules/"]`)
	// The page has loaded; the image may still be on its way on a busy
	// machine: wait until the browser has it, or has given up on it.
	state := "pending"
	for range 150 {
		state, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const i = document.querySelector("main img[src*='mapa-da-cobertura']");
			if (!i) return "missing"; if (!i.complete) return "pending"; return i.naturalWidth > 0 ? "loaded" : "broken"; })()`))
		if err != nil || state != "pending" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil || state != "loaded" {
		t.Fatalf("the module preview does not show the uploaded image: %s (%v)", state, err)
	}
	audit.check("module-preview")

	do(t, ctx, "back to the course", chromedp.Navigate(manage), chromedp.WaitVisible(chromedp.CSS(".status-box")))
	clickAndWaitForNewPage(t, ctx, "publish", `form[action$="/publish"] button`)
	mustContain(t, "published course", textOf(t, ctx, ".status-box"), "Publicado")
	audit.check("published")
	signOut(t, ctx)
	return slug, quizID
}

// learnCourse is the learner's journey; it returns the URL in the
// certificate's QR code, and the certificate's code.
func learnCourse(t *testing.T, ctx context.Context, s *server, audit *auditor, slug, quizID string) (string, string) {
	signIn(t, ctx, s, "monica@e2e.test", "la alumna aprende mucho")
	clickAndWaitForNewPage(t, ctx, "switch to Spanish", `form[action="/language"] button[value="es"]`)
	mustContain(t, "header in Spanish", textOf(t, ctx, "header"), "Cerrar sesión")
	audit.check("spanish")

	do(t, ctx, "open the course", chromedp.Navigate(s.URL+"/courses/"+slug), chromedp.WaitVisible(chromedp.CSS("a[href^='/enrol/']")))
	clickAndWaitForNewPage(t, ctx, "ask to enrol", "a[href^='/enrol/']")
	clickAndWaitForNewPage(t, ctx, "enrol", "form[action^='/enrol/'] button")
	mustContain(t, "course page", textOf(t, ctx, "main"), courseTitle)
	audit.check("enrolled")
	clickAndWaitForNewPage(t, ctx, "start the first module", "section.enrolment a.button")
	audit.check("module")
	completeModules(t, ctx)

	// First attempt: the choice is wrong. One answer is saved online, the
	// other two while the connection is down.
	startAttempt(t, ctx, s, quizID)
	audit.check("attempt")
	do(t, ctx, "choose an answer",
		chromedp.Click(chromedp.Search(`//label[normalize-space()="A Convenção n.º 87"]`)),
		waitText("#autosave-status", "Respuestas guardadas."),
	)
	do(t, ctx, "lose the connection", connection(true, ""))
	do(t, ctx, "answer offline",
		chromedp.Click(chromedp.CSS("input[type=radio][value=true]")),
		chromedp.SendKeys(chromedp.CSS(shortAnswer), "contribuição proporcional"),
		waitText("#autosave-status", "Sin conexión"),
	)
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Object.keys(localStorage).some(k => k.startsWith("aula-attempt-") && localStorage.getItem(k).includes("proporcional"))`))
	if err != nil || !kept {
		t.Fatalf("the answers given offline are not kept in the browser (%v)", err)
	}
	audit.checkOffline("attempt-offline")

	// The page is reloaded while the answers still cannot reach the
	// server: the server's page lacks them, quiz.js puts them back.
	do(t, ctx, "reload with saving still cut off", connection(true, s.URL+"/attempts/*/save"),
		chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#attempt-form")), waitText("#autosave-status", "Sin conexión"))
	restored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	  const t = document.querySelector("input[type=radio][value=true]"), s = document.querySelector(`+jsString(shortAnswer)+`);
	  return [t.defaultChecked, t.checked, JSON.stringify(s.defaultValue), JSON.stringify(s.value)].join(" ");
	})()`))
	if err != nil || restored != `false true "" "contribuição proporcional"` {
		t.Fatalf("after the reload (server's, shown): %s, %v", restored, err)
	}
	audit.checkOffline("attempt-reloaded-offline")
	do(t, ctx, "back online", connection(false, ""), waitText("#autosave-status", "Respuestas guardadas."))
	audit.check("attempt-restored")
	clickAndWaitForNewPage(t, ctx, "submit the first attempt", "button[value=submit]")
	mustContain(t, "first result", textOf(t, ctx, "main"), "No aprobado")
	audit.check("failed")

	// Second attempt: everything right.
	startAttempt(t, ctx, s, quizID)
	do(t, ctx, "answer right",
		chromedp.Click(chromedp.Search(`//label[normalize-space()="A Recomendação n.º 202"]`)),
		chromedp.Click(chromedp.CSS("input[type=radio][value=true]")),
		chromedp.SendKeys(chromedp.CSS(shortAnswer), "Contribuição proporcional à renda"),
	)
	clickAndWaitForNewPage(t, ctx, "submit the second attempt", "button[value=submit]")
	mustContain(t, "second result", textOf(t, ctx, "main"), "Aprobado")
	audit.check("passed")

	do(t, ctx, "see my certificates", chromedp.Navigate(s.URL+"/my/certificates"), chromedp.WaitVisible(chromedp.CSS("main code")))
	code := textOf(t, ctx, "main code")
	mustContain(t, "my certificates", textOf(t, ctx, "main"), courseTitle)
	audit.check("certificates")

	// The PDF, downloaded in the learner's session, read back.
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/certificates/`+code+`.pdf").then(r => {
	  if (!r.ok || r.headers.get("Content-Type") !== "application/pdf") throw new Error("download: " + r.status + " " + r.headers.get("Content-Type"));
	  return r.arrayBuffer();
	}).then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "certificado.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	mustContain(t, "certificate text", strings.Join(strings.Fields(string(text)), " "), "Mónica Peña Conceição", courseTitle, code)
	qr := qrCode(t, path)
	if qr != s.URL+"/verify/"+code {
		t.Fatalf("the QR code says %q, want %q", qr, s.URL+"/verify/"+code)
	}
	signOut(t, ctx)
	return qr, code
}

// verifyAndRevoke is the visitor's and the administrator's journey.
func verifyAndRevoke(t *testing.T, ctx context.Context, s *server, audit *auditor, qrURL, code string) {
	do(t, ctx, "open the QR code's address", chromedp.Navigate(qrURL), chromedp.WaitVisible(chromedp.CSS("main h1")))
	mustContain(t, "verify page", textOf(t, ctx, "main"), "Este certificado es válido.", "Mónica Peña Conceição", code)
	audit.check("verify-valid")

	signIn(t, ctx, s, adminEmail, adminPassword)
	do(t, ctx, "open the certificate", chromedp.Navigate(s.URL+"/admin/certificates/"+code), chromedp.WaitVisible(chromedp.CSS("main h1")))
	do(t, ctx, "fill the reason", chromedp.WaitVisible(chromedp.CSS("#revoke-reason")),
		chromedp.SendKeys(chromedp.CSS("#revoke-reason"), "Emitido por engano: a avaliação foi anulada."))
	clickAndWaitForNewPage(t, ctx, "revoke", `form[action$="/revoke"] button`)
	audit.check("revoked")
	signOut(t, ctx)

	do(t, ctx, "open the QR code's address again", chromedp.Navigate(qrURL), chromedp.WaitVisible(chromedp.CSS("main h1")))
	mustContain(t, "verify page after revoking", textOf(t, ctx, "main"), "revocado", "Emitido por engano")
	if strings.Contains(textOf(t, ctx, "main"), "Este certificado es válido.") {
		t.Error("the verify page still says valid after the revocation")
	}
	audit.check("verify-revoked")
}

// shortAnswer is the short-text question's field on the attempt page.
const shortAnswer = "#attempt-form input[autocomplete=off]:not([inputmode])"

func startAttempt(t *testing.T, ctx context.Context, s *server, quizID string) {
	t.Helper()
	do(t, ctx, "open the quiz", chromedp.Navigate(s.URL+"/quizzes/"+quizID), chromedp.WaitVisible(chromedp.CSS("form[action$='/attempts'] button")))
	clickAndWaitForNewPage(t, ctx, "start an attempt", "form[action$='/attempts'] button")
	do(t, ctx, "the attempt page", chromedp.WaitVisible(chromedp.CSS("#attempt-form")))
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("a[href='/signin']")))
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			got, err := chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`)(ctx, tg)
			if err != nil {
				return err
			}
			if strings.Contains(got, want) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// connection cuts the browser's connection (offline) or gives it back. With
// only, just the requests matching that URL pattern are cut, while the
// browser still says it is offline (navigator.onLine), as on a flaky link
// whose pages load and whose saves do not.
func connection(offline bool, only string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		rule := &network.Conditions{URLPattern: only, Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{rule}}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState,
			network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// pngImage is a small picture: a map's two colours.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 240, 120))
	for x := 0; x < 240; x++ {
		for y := 0; y < 120; y++ {
			c := color.RGBA{0x1d, 0x6f, 0x42, 0xff}
			if x > 150 {
				c = color.RGBA{0xe9, 0xc4, 0x6a, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// qrCode decodes the QR code on the PDF's first page, drawn at 150 dpi.
func qrCode(t *testing.T, pdf string) string {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(pdf), "page")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code on the certificate: %v", err)
	}
	return res.GetText()
}
