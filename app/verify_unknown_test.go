package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestVerifyUnknownCodeOffersTheForm: someone who mistypes a code on
// /verify/{code} is told, in their language, that no certificate has it,
// and can type it again on the same page; the status stays 404.
func TestVerifyUnknownCodeOffersTheForm(t *testing.T) {
	e := newCertEnv(t)
	for _, tc := range []struct {
		lang, path, want, value string
	}{
		{"es", "/verify/AULA-2222-2222-22", "Ningún certificado tiene este código", `value="AULA-2222-2222-22"`},
		{"pt", "/verify/aula-2222-2222-22", "Nenhum certificado tem este código", `value="aula-2222-2222-22"`},
		{"en", "/verify/AULA-2222-2222-22", "No certificate has this code", `value="AULA-2222-2222-22"`},
		{"es", "/verify/not-a-code", "no es un código de certificado", `value="not-a-code"`},
	} {
		b := e.browser()
		b.lang = tc.lang
		res := b.get(tc.path)
		wantStatus(t, res, http.StatusNotFound)
		for _, want := range []string{tc.want, tc.value, `action="/verify"`, `name="code"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("%s (%s) lacks %q:\n%s", tc.path, tc.lang, want, res.body)
			}
		}
		if strings.Contains(res.body, "404") && strings.Contains(res.body, "Something went wrong") {
			t.Errorf("%s: the generic error page", tc.path)
		}
	}
}
