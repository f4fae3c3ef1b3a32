package i18n_test

import (
	"testing"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assets"
)

func TestCatalogsLoadWithSameKeys(t *testing.T) {
	b, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.T("es", "nav.signin"); got == "nav.signin" || got == b.T("en", "nav.signin") {
		t.Errorf("es nav.signin = %q, want a Spanish text", got)
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"pt-BR,pt;q=0.9,en;q=0.8": "pt",
		"es-419,es;q=0.9":         "es",
		"fr-FR,en;q=0.5":          "en",
		"de,fr":                   "",
		"":                        "",
		"en;q=0.2,es;q=0.8":       "es",
		"en;q=bad":                "",
	} {
		if got := i18n.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}
