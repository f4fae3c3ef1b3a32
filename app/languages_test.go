package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestAcceptLanguagePicksACatalog: a visitor's browser language chooses the
// catalog, Portuguese by CLDR's matching (pt is Brazil's, pt-AO follows
// Portugal's), and the switcher offers both Portugueses.
func TestAcceptLanguagePicksACatalog(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ header, lang, password string }{
		{"pt", "pt-BR", "Senha"},
		{"pt-BR", "pt-BR", "Senha"},
		{"pt-PT", "pt-PT", "Palavra-passe"},
		{"pt-AO", "pt-PT", "Palavra-passe"},
		{"pt-MZ,pt;q=0.8", "pt-PT", "Palavra-passe"},
		{"es-419", "es", "Contraseña"},
		{"fr", "en", "Password"},
	} {
		c := e.browser()
		c.lang = tc.header
		res := c.get("/signin")
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, `<html lang="`+tc.lang+`">`) || !strings.Contains(res.body, ">"+tc.password+"<") {
			t.Errorf("Accept-Language %s: want a %s page with %q", tc.header, tc.lang, tc.password)
		}
		for _, l := range []string{`value="pt-BR" lang="pt-BR"`, "Português (Brasil)", `value="pt-PT" lang="pt-PT"`, "Português (Portugal)"} {
			if !strings.Contains(res.body, l) {
				t.Errorf("Accept-Language %s: switcher lacks %s", tc.header, l)
			}
		}
	}
}

// TestLanguageSwitchBetweenPortugueses: the switcher saves either
// Portuguese; a "pt" cookie from before follows the browser's Portuguese.
func TestLanguageSwitchBetweenPortugueses(t *testing.T) {
	e := newEnv(t)
	learner, u := e.signedIn(accounts.RoleLearner)
	for _, l := range []string{"pt-PT", "pt-BR"} {
		wantStatus(t, learner.post("/language", url.Values{"lang": {l}, "next": {"/"}}), http.StatusSeeOther)
		if saved, err := e.accounts.User(t.Context(), u.ID); err != nil || saved.Locale != l {
			t.Fatalf("locale saved as %+v (%v), want %s", saved, err, l)
		}
		if res := learner.get("/"); !strings.Contains(res.body, `<html lang="`+l+`">`) {
			t.Errorf("after switching to %s the page is not in it", l)
		}
	}
	wantStatus(t, learner.post("/language", url.Values{"lang": {"fr"}, "next": {"/"}}), http.StatusBadRequest)

	for _, tc := range []struct{ header, lang string }{{"pt-PT,en;q=0.5", "pt-PT"}, {"en", "pt-BR"}} {
		c := e.browser()
		c.lang = tc.header
		c.cookies["aula_lang"] = "pt"
		if res := c.get("/signin"); !strings.Contains(res.body, `<html lang="`+tc.lang+`">`) {
			t.Errorf("old cookie pt with Accept-Language %s: want %s", tc.header, tc.lang)
		}
	}
}

// TestCatalogSaysHowManyInEachLanguage: the catalogue's result line has
// the plural form of each language's rule.
func TestCatalogSaysHowManyInEachLanguage(t *testing.T) {
	e := newCoursesEnv(t, 0)
	teacher := e.user(accounts.RoleInstructor)
	word := "pluralia" + unique("")
	visitor := e.browser()
	step := 0 // courses are added through the service, not a page: the
	// visitors' catalogue is cached for seconds (public_cache.go), so each
	// step asks for a URL of its own
	count := func(lang string) string {
		t.Helper()
		visitor.lang = lang
		res := visitor.get("/courses?q=" + word + "&step=" + itoa(int64(step)))
		wantStatus(t, res, http.StatusOK)
		return res.body
	}
	want := func(n int, texts map[string]string) {
		t.Helper()
		for lang, text := range texts {
			if body := count(lang); !strings.Contains(body, text) {
				t.Errorf("%d found, %s: page lacks %q", n, lang, text)
			}
		}
	}
	e.course(teacher, "Curso "+word, true, "Módulo")
	step++
	want(1, map[string]string{"en": "1 course found for “" + word + "”.", "es": "1 curso encontrado para «" + word + "».",
		"pt-BR": "1 curso encontrado para “" + word + "”.", "pt-PT": "1 curso encontrado para «" + word + "»."})
	e.course(teacher, "Otro curso "+word, true, "Módulo")
	step++
	want(2, map[string]string{"en": "2 courses found", "es": "2 cursos encontrados", "pt-BR": "2 cursos encontrados", "pt-PT": "2 cursos encontrados"})
	if body := count("pt-PT"); !strings.Contains(body, "6 horas") {
		t.Error("pt-PT catalogue lacks the workload 6 horas")
	}
}
