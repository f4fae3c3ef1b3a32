package locales_test

import (
	"slices"
	"testing"

	"github.com/aula-platform/aula/locales"
)

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"pt":                      "pt-BR",
		"pt-BR":                   "pt-BR",
		"pt-PT":                   "pt-PT",
		"pt-AO":                   "pt-PT",
		"pt-MZ,en;q=0.5":          "pt-PT",
		"es-419":                  "es",
		"es-AR,es;q=0.9":          "es",
		"pt-BR,pt;q=0.9,en;q=0.8": "pt-BR",
		"fr-FR,en;q=0.5":          "en",
		"en;q=0.2,es;q=0.8":       "es",
		"de,fr":                   "",
		"":                        "",
		"en;q=bad":                "",
	} {
		if got := locales.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestCoursesAreTheInterfaceLanguages(t *testing.T) {
	if want := []string{"en", "es", "pt"}; !slices.Equal(locales.Courses, want) {
		t.Errorf("Courses = %v, want %v", locales.Courses, want)
	}
	if locales.UI[0] != locales.Fallback {
		t.Errorf("UI %v does not start with the fallback %s", locales.UI, locales.Fallback)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"pt": "pt-BR", "pt-PT": "pt-PT", "es": "es", "fr": "", "": "", "PT-pt": ""} {
		if got := locales.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
