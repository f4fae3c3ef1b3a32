package certificates

import (
	"testing"
	"time"
)

// TestFormatDate: a certificate keeps the wording of its language, and the
// pages of the two Portugueses each get their own (no English month names
// on a pt-BR or pt-PT page).
func TestFormatDate(t *testing.T) {
	mar1 := time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang, want string
	}{
		{Spanish, "1 de marzo de 2027"},
		{Portuguese, "1º de março de 2027"},
		{English, "1 March 2027"},
		{"pt-BR", "1º de março de 2027"},
		{"pt-PT", "1 de março de 2027"},
		{"fr", "1 March 2027"},
	} {
		if got := FormatDate(mar1, tt.lang); got != tt.want {
			t.Errorf("FormatDate(%s, %q) = %q, want %q", mar1, tt.lang, got, tt.want)
		}
	}
	for _, lang := range []string{Spanish, Portuguese, English} {
		if !supportedLanguage(lang) {
			t.Errorf("certificates cannot be written in %q", lang)
		}
	}
	if supportedLanguage("pt-BR") {
		t.Error("a certificate's language is a course language, not an interface locale")
	}
}
