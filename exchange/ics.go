package exchange

import (
	"bytes"
	"fmt"
	"time"

	"github.com/aula-platform/aula/icalendar"
)

// AgendaICS writes a delegation's agenda as an iCalendar file (RFC 5545),
// one VEVENT per round. Times are written in UTC, which every calendar
// shows in its reader's zone; host makes the UIDs unique to the
// installation, stamp is DTSTAMP, url the exchange's page.
func AgendaICS(e *Exchange, items []AgendaItem, host, url string, stamp time.Time) []byte {
	var b bytes.Buffer
	line := func(s string) { icalendar.WriteLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Aula//Exchange//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icalendar.Text(e.Title))
	for _, it := range items {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:exchange-%d-round-%d@%s", e.ID, it.Round.ID, host))
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART:" + it.Slot.StartsAt.UTC().Format("20060102T150405Z"))
		line("DTEND:" + it.Slot.EndsAt.UTC().Format("20060102T150405Z"))
		line("SUMMARY:" + icalendar.Text(it.Offer.Title))
		if it.Offer.Summary != "" {
			line("DESCRIPTION:" + icalendar.Text(it.Offer.Summary))
		}
		line("LOCATION:" + icalendar.Text(it.Room.Name))
		if url != "" {
			line("URL:" + url)
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}
