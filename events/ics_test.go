package events

import (
	"strings"
	"testing"
	"time"
)

// TestICSZonesAndFolding: sessions are written in the event's zone with a
// VTIMEZONE whose offsets are right on each side of a daylight-saving
// change (Lisbon, 28 March 2027), text is escaped, and long lines are
// folded at 75 octets without splitting "ç".
func TestICSZonesAndFolding(t *testing.T) {
	e := &Event{ID: 7, Title: "Workshop; Proteção Social, 2027", TimeZone: "Europe/Lisbon", Language: "pt",
		Summary: strings.Repeat("Conceição ", 12)}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	sessions := []Session{
		{ID: 1, Title: "Antes", StartsAt: at("2027-03-26T09:00:00Z"), EndsAt: at("2027-03-26T11:00:00Z")},
		{ID: 2, Title: "Depois", StartsAt: at("2027-03-29T08:00:00Z"), EndsAt: at("2027-03-29T10:00:00Z")},
	}
	out := string(ICS("Aula", "aula.example.org", []CalendarItem{{Event: e, Sessions: sessions, URL: "https://aula.example.org/events/7"}}, at("2027-03-01T00:00:00Z")))
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	for _, want := range []string{
		"DTSTART;TZID=Europe/Lisbon:20270326T090000", // WET, UTC+0
		"DTSTART;TZID=Europe/Lisbon:20270329T090000", // WEST, UTC+1
		"BEGIN:DAYLIGHT\r\nDTSTART:20270328T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100",
		"TZOFFSETTO:+0000",
		`SUMMARY:Workshop\; Proteção Social\, 2027 — Antes`,
		"UID:event-7-session-2@aula.example.org",
		"DESCRIPTION:" + strings.TrimSpace(strings.Repeat("Conceição ", 12)),
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasPrefix(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
		t.Errorf("not a calendar:\n%s", out)
	}
}

// TestCheckCodeWindow: a code works in its window and CheckinGrace after
// it, never before its window, and only for its session.
func TestCheckCodeWindow(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2027, 3, 10, 16, 0, 5, 0, time.UTC)
	code := codeFor(secret, 3, window(now))
	for _, tc := range []struct {
		name string
		id   int64
		at   time.Time
		ok   bool
	}{
		{"now", 3, now, true},
		{"end of grace", 3, windowEnd(window(now)).Add(CheckinGrace), true},
		{"after grace", 3, windowEnd(window(now)).Add(CheckinGrace + time.Second), false},
		{"before its window", 3, now.Add(-CheckinPeriod), false},
		{"another session", 4, now, false},
	} {
		if got := checkCode(secret, tc.id, code, tc.at); got != tc.ok {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.ok)
		}
	}
	if checkCode(secret, 3, "garbage", now) || checkCode(secret, 3, "", now) {
		t.Error("garbage accepted")
	}
}
