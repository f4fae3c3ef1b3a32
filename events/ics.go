package events

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aula-platform/aula/icalendar"
)

// CalendarItem is one event as a calendar shows it: its sessions, and the
// page that describes it.
type CalendarItem struct {
	Event    *Event
	Sessions []Session
	URL      string
}

// ICS writes an iCalendar file (RFC 5545) with one VEVENT per session.
// Times are written in the event's own zone (DTSTART;TZID=…), with a
// VTIMEZONE giving that zone's offsets around each session, so calendars
// show "10:00 in Mexico City" in the reader's zone correctly even across
// daylight-saving changes. host makes the UIDs unique to the installation
// ("aula.example.org"); stamp is DTSTAMP.
func ICS(name, host string, items []CalendarItem, stamp time.Time) []byte {
	var b bytes.Buffer
	line := func(s string) { icalendar.WriteLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Aula//Events//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icalendar.Text(name))
	zones := map[string][]time.Time{}
	for _, it := range items {
		for _, ses := range it.Sessions {
			zones[it.Event.TimeZone] = append(zones[it.Event.TimeZone], ses.StartsAt, ses.EndsAt)
		}
	}
	for _, tz := range slices.Sorted(maps.Keys(zones)) {
		writeZone(line, tz, zones[tz])
	}
	for _, it := range items {
		loc := it.Event.Location()
		for _, ses := range it.Sessions {
			line("BEGIN:VEVENT")
			line(fmt.Sprintf("UID:event-%d-session-%d@%s", it.Event.ID, ses.ID, host))
			line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
			line("DTSTART;TZID=" + it.Event.TimeZone + ":" + ses.StartsAt.In(loc).Format("20060102T150405"))
			line("DTEND;TZID=" + it.Event.TimeZone + ":" + ses.EndsAt.In(loc).Format("20060102T150405"))
			summary := it.Event.Title
			if ses.Title != "" && ses.Title != it.Event.Title {
				summary += " — " + ses.Title
			}
			line("SUMMARY:" + icalendar.Text(summary))
			desc := it.Event.Summary
			if ses.OnlineURL != "" {
				desc = strings.TrimSpace(desc + "\n\n" + ses.OnlineURL)
			}
			if desc != "" {
				line("DESCRIPTION:" + icalendar.Text(desc))
			}
			where := ses.Location
			if where == "" {
				where = ses.OnlineURL
			}
			if where != "" {
				line("LOCATION:" + icalendar.Text(where))
			}
			if it.URL != "" {
				line("URL:" + it.URL)
			}
			if it.Event.Language != "" {
				line("X-AULA-LANGUAGE:" + it.Event.Language)
			}
			line("END:VEVENT")
		}
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// writeZone writes the VTIMEZONE of tz: one observance per stretch of the
// zone's rules (standard or daylight time) the times fall in, found with
// time.Time.ZoneBounds.
func writeZone(line func(string), tz string, times []time.Time) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	type obs struct {
		start    time.Time
		from, to int
		name     string
		daylight bool
	}
	seen := map[int64]bool{}
	var list []obs
	for _, t := range times {
		t = t.In(loc)
		start, _ := t.ZoneBounds()
		name, to := t.Zone()
		from := to
		if start.IsZero() {
			start = time.Date(1970, 1, 1, 0, 0, 0, 0, loc)
		} else {
			_, from = start.Add(-time.Second).Zone()
		}
		if seen[start.Unix()] {
			continue
		}
		seen[start.Unix()] = true
		list = append(list, obs{start: start, from: from, to: to, name: name, daylight: t.IsDST()})
	}
	slices.SortFunc(list, func(a, b obs) int { return a.start.Compare(b.start) })
	line("BEGIN:VTIMEZONE")
	line("TZID:" + tz)
	for _, o := range list {
		kind := "STANDARD"
		if o.daylight {
			kind = "DAYLIGHT"
		}
		line("BEGIN:" + kind)
		// An observance starts at local time as it was before the change.
		line("DTSTART:" + o.start.In(time.FixedZone("", o.from)).Format("20060102T150405"))
		line("TZOFFSETFROM:" + offset(o.from))
		line("TZOFFSETTO:" + offset(o.to))
		if o.name != "" && !strings.ContainsAny(o.name, "+-") {
			line("TZNAME:" + o.name)
		}
		line("END:" + kind)
	}
	line("END:VTIMEZONE")
}

// offset writes seconds east of UTC as iCalendar does: "-0600", "+0530".
func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}
