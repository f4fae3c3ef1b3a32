package exchange

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// AgendaICS writes a delegation's agenda as an iCalendar file (RFC 5545),
// one VEVENT per round. Times are written in UTC, which every calendar
// shows in its reader's zone; host makes the UIDs unique to the
// installation, stamp is DTSTAMP, url the exchange's page.
func AgendaICS(e *Exchange, items []AgendaItem, host, url string, stamp time.Time) []byte {
	var b bytes.Buffer
	line := func(s string) { writeFolded(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Aula//Exchange//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(e.Title))
	for _, it := range items {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:exchange-%d-round-%d@%s", e.ID, it.Round.ID, host))
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART:" + it.Slot.StartsAt.UTC().Format("20060102T150405Z"))
		line("DTEND:" + it.Slot.EndsAt.UTC().Format("20060102T150405Z"))
		line("SUMMARY:" + escapeText(it.Offer.Title))
		if it.Offer.Summary != "" {
			line("DESCRIPTION:" + escapeText(it.Offer.Summary))
		}
		line("LOCATION:" + escapeText(it.Room.Name))
		if url != "" {
			line("URL:" + url)
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// escapeText escapes a TEXT value: backslash, semicolon, comma, newline.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// writeFolded writes one content line folded at 75 octets, never inside
// a character, ending in CRLF.
func writeFolded(b *bytes.Buffer, s string) {
	n, limit := 0, 75
	for len(s) > 0 {
		_, size := utf8.DecodeRuneInString(s)
		if n+size > limit {
			b.WriteString("\r\n ")
			n, limit = 0, 74
		}
		b.WriteString(s[:size])
		n += size
		s = s[size:]
	}
	b.WriteString("\r\n")
}
