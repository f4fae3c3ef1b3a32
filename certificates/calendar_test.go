package certificates_test

import (
	"testing"
	"time"

	"github.com/aula-platform/aula/certificates"
)

// TestCalendarDay: a course finished late in the evening in Lima or
// Mexico City was finished that day, although UTC has moved on.
func TestCalendarDay(t *testing.T) {
	lima, err := time.LoadLocation("America/Lima")
	if err != nil {
		t.Fatal(err)
	}
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC) // 21:30 on the 26th in Lima
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "27 de noviembre de 2026"},
		{lima, "26 de noviembre de 2026"},
		{lisbon, "27 de noviembre de 2026"},
	} {
		day := certificates.CalendarDay(at, tc.loc)
		if got := certificates.FormatDate(day, "es"); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.loc, got, tc.want)
		}
		if day.Location() != time.UTC || day.Hour() != 0 {
			t.Errorf("%s: %v is not a calendar day at midnight UTC", tc.loc, day)
		}
	}
}
