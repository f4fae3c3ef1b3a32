package certificates

import (
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	nov27 := time.Date(2026, time.November, 27, 15, 4, 0, 0, time.UTC)
	mar1 := time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
	sep9 := time.Date(2026, time.September, 9, 0, 0, 0, 0, time.UTC)
	// 23:30 in São Paulo is already the next day in UTC; the certificate
	// must state the date of the location it was given.
	saoPaulo := time.FixedZone("BRT", -3*60*60)
	lateEvening := time.Date(2026, time.December, 31, 23, 30, 0, 0, saoPaulo)
	tests := []struct {
		t    time.Time
		lang string
		want string
	}{
		{nov27, Spanish, "27 de noviembre de 2026"},
		{nov27, Portuguese, "27 de novembro de 2026"},
		{nov27, English, "27 November 2026"},
		{mar1, Spanish, "1 de marzo de 2027"},
		{mar1, Portuguese, "1º de março de 2027"},
		{mar1, English, "1 March 2027"},
		{sep9, Spanish, "9 de septiembre de 2026"},
		{sep9, Portuguese, "9 de setembro de 2026"},
		{sep9, English, "9 September 2026"},
		{lateEvening, Portuguese, "31 de dezembro de 2026"},
		{nov27, "fr", "27 November 2026"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.t, tt.lang); got != tt.want {
			t.Errorf("FormatDate(%s, %q) = %q, want %q", tt.t, tt.lang, got, tt.want)
		}
	}
}

func TestFormatDateEveryMonth(t *testing.T) {
	want := map[string][12]string{
		Spanish:    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		Portuguese: {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		English:    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
	sep := map[string]string{Spanish: " de ", Portuguese: " de ", English: " "}
	for lang, months := range want {
		for i, m := range months {
			got := FormatDate(time.Date(2026, time.Month(i+1), 15, 0, 0, 0, 0, time.UTC), lang)
			if w := "15" + sep[lang] + m + sep[lang] + "2026"; got != w {
				t.Errorf("FormatDate(2026-%02d-15, %q) = %q, want %q", i+1, lang, got, w)
			}
		}
	}
}
