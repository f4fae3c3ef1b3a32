package locales_test

import (
	"testing"
	"time"

	"github.com/aula-platform/aula/locales"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestFormatDate(t *testing.T) {
	nov27 := time.Date(2026, time.November, 27, 15, 4, 0, 0, time.UTC)
	mar1 := time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
	sep9 := time.Date(2026, time.September, 9, 0, 0, 0, 0, time.UTC)
	// 23:30 in São Paulo is already the next day in UTC: the date is the
	// one of the location t is in.
	lateEvening := time.Date(2026, time.December, 31, 23, 30, 0, 0, mustZone(t, "America/Sao_Paulo"))
	for _, tt := range []struct {
		t      time.Time
		locale string
		want   string
	}{
		{nov27, "es", "27 de noviembre de 2026"},
		{nov27, "pt-BR", "27 de novembro de 2026"},
		{nov27, "pt-PT", "27 de novembro de 2026"},
		{nov27, "pt", "27 de novembro de 2026"},
		{nov27, "en", "27 November 2026"},
		{mar1, "es", "1 de marzo de 2027"},
		{mar1, "pt-BR", "1º de março de 2027"},
		{mar1, "pt", "1º de março de 2027"}, // a certificate in Portuguese, as before
		{mar1, "pt-PT", "1 de março de 2027"},
		{mar1, "en", "1 March 2027"},
		{sep9, "es", "9 de septiembre de 2026"},
		{sep9, "pt-PT", "9 de setembro de 2026"},
		{sep9, "en", "9 September 2026"},
		{lateEvening, "pt-BR", "31 de dezembro de 2026"},
		{nov27, "es-MX", "27 de noviembre de 2026"},
		{nov27, "fr", "27 November 2026"},
	} {
		if got := locales.FormatDate(tt.t, tt.locale); got != tt.want {
			t.Errorf("FormatDate(%s, %q) = %q, want %q", tt.t, tt.locale, got, tt.want)
		}
	}
}

func TestFormatDateEveryMonth(t *testing.T) {
	want := map[string][12]string{
		"es":    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		"pt-BR": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		"pt-PT": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		"en":    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
	for locale, months := range want {
		sep := " de "
		if locale == "en" {
			sep = " "
		}
		for i, m := range months {
			got := locales.FormatDate(time.Date(2026, time.Month(i+1), 15, 0, 0, 0, 0, time.UTC), locale)
			if w := "15" + sep + m + sep + "2026"; got != w {
				t.Errorf("FormatDate(2026-%02d-15, %q) = %q, want %q", i+1, locale, got, w)
			}
		}
	}
}

// TestFormatDateTime: a moment is written with the reader's date order, a
// 24-hour clock and the zone it is shown in.
func TestFormatDateTime(t *testing.T) {
	at := time.Date(2026, time.November, 27, 3, 30, 0, 0, time.UTC)
	lima, madrid, lisbon := mustZone(t, "America/Lima"), mustZone(t, "Europe/Madrid"), mustZone(t, "Europe/Lisbon")
	for _, tt := range []struct {
		t      time.Time
		locale string
		want   string
	}{
		{at.In(lima), "en", "26 Nov 2026, 22:30 UTC-5"},
		{at.In(lima), "es", "26/11/2026 22:30 UTC-5"},
		{at.In(lima), "pt-BR", "26/11/2026 22:30 UTC-5"},
		{at, "pt-PT", "27/11/2026 03:30 UTC"},
		{at.In(madrid), "es", "27/11/2026 04:30 CET"},
		{at.In(lisbon).AddDate(0, -5, 0), "pt-PT", "27/06/2026 03:30 WEST"},
		{at.In(mustZone(t, "Asia/Kathmandu")), "en", "27 Nov 2026, 09:15 UTC+5:45"},
		{at.In(mustZone(t, "Asia/Dili")), "pt-PT", "27/11/2026 12:30 UTC+9"},
	} {
		if got := locales.FormatDateTime(tt.t, tt.locale); got != tt.want {
			t.Errorf("FormatDateTime(%s, %q) = %q, want %q", tt.t, tt.locale, got, tt.want)
		}
	}
}
