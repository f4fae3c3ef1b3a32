package events

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/aula-platform/aula/accounts"
)

// MaxReportLines bounds an attendance report (a webinar of a few thousand).
const MaxReportLines = 20000

// reportLine is one person in a video-conference tool's participants
// report, their minutes summed over the times they joined.
type reportLine struct {
	Line    int
	Name    string
	Email   string
	Minutes int
}

// column names that tools (Zoom, Meet, Teams, Jitsi) and people writing
// in Spanish or Portuguese use, compared without accents and case, by
// what they contain.
var (
	emailColumns   = []string{"mail", "correo"}
	minutesColumns = []string{"minut", "duration", "duracion", "duracao", "tiempo", "tempo"}
	nameColumns    = []string{"name", "nombre", "nome"}
)

// parseReport reads a participants report: a header naming the email and
// minutes columns (and optionally the name), then one line per join. The
// delimiter is a comma or, as spreadsheets in Spanish and Portuguese
// write it, a semicolon; a UTF-8 byte order mark is skipped. People who
// joined several times are one line, their minutes added. Every bad
// line is reported at once, in RowErrors.
func parseReport(r io.Reader) ([]reportLine, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head, _, _ := bytes.Cut(first, []byte("\n"))
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if err != nil {
		return nil, RowErrors{{Line: 1, Reason: "columns"}}
	}
	email, minutes, name := column(header, emailColumns), column(header, minutesColumns), column(header, nameColumns)
	if email < 0 || minutes < 0 {
		return nil, RowErrors{{Line: 1, Reason: "columns"}}
	}
	var bad RowErrors
	by := map[string]*reportLine{}
	var order []string
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if line > MaxReportLines+1 {
			return nil, RowErrors{{Line: line, Reason: "too_many"}}
		}
		if err != nil {
			bad = append(bad, RowError{Line: line, Reason: "columns"})
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) <= max(email, minutes) {
			bad = append(bad, RowError{Line: line, Reason: "columns"})
			continue
		}
		addr, err := mail.ParseAddress(strings.TrimSpace(rec[email]))
		if err != nil {
			bad = append(bad, RowError{Line: line, Reason: "email"})
			continue
		}
		m, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(rec[minutes]), ",", ".", 1), 64)
		if err != nil || m < 0 || m > MaxMinutes {
			bad = append(bad, RowError{Line: line, Reason: "minutes"})
			continue
		}
		key := strings.ToLower(addr.Address)
		l, ok := by[key]
		if !ok {
			l = &reportLine{Line: line, Email: key}
			if name >= 0 && name < len(rec) {
				l.Name = norm.NFC.String(strings.TrimSpace(rec[name]))
			}
			by[key] = l
			order = append(order, key)
		}
		l.Minutes = min(l.Minutes+int(m+0.5), MaxMinutes)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	out := make([]reportLine, len(order))
	for i, k := range order {
		out[i] = *by[k]
	}
	return out, nil
}

// column finds the first header containing one of words, ignoring case
// and accents; -1 for none.
func column(header []string, words []string) int {
	for i, h := range header {
		h = fold(h)
		if slices.ContainsFunc(words, func(w string) bool { return strings.Contains(h, w) }) {
			return i
		}
	}
	return -1
}

// fold lower-cases s and drops its accents ("Duração" → "duracao").
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36F {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ImportResult says what an attendance report did.
type ImportResult struct {
	// Marked is how many registered participants it recorded.
	Marked int
	// Ignored are the emails of the report that are no registered
	// participant (the organiser, guests), left out.
	Ignored []string
}

// ImportAttendance records a session's attendance from a participants
// report (see parseReport): each registered participant in it is present
// when they stayed at least half the session, absent otherwise, with the
// minutes kept. A report with a bad line records nothing.
func (s *Service) ImportAttendance(ctx context.Context, actor Actor, sessionID int64, r io.Reader) (*ImportResult, error) {
	lines, err := parseReport(r)
	if err != nil {
		return nil, fmt.Errorf("events: attendance report of session %d: %w", sessionID, err)
	}
	res := &ImportResult{}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ses, _, registered, err := s.attendanceChange(ctx, tx, actor, sessionID)
		if err != nil {
			return err
		}
		emails := make([]string, len(lines))
		for i, l := range lines {
			emails[i] = l.Email
		}
		users, err := accounts.UsersByEmail(ctx, tx, emails)
		if err != nil {
			return err
		}
		half := int(ses.Duration().Minutes()+1) / 2
		var rows []Attendance
		for _, l := range lines {
			u, ok := users[l.Email]
			if !ok || !registered[u.ID] {
				res.Ignored = append(res.Ignored, l.Email)
				continue
			}
			status := Absent
			if l.Minutes >= half {
				status = Present
			}
			m := l.Minutes
			rows = append(rows, Attendance{SessionID: ses.ID, UserID: u.ID, Status: status, Minutes: &m,
				Source: SourceImport, MarkedBy: &actor.UserID, MarkedAt: s.now()})
		}
		res.Marked = len(rows)
		return NewStore(tx).UpsertAttendance(ctx, rows)
	})
	if err != nil {
		return nil, fmt.Errorf("events: attendance report of session %d: %w", sessionID, err)
	}
	return res, nil
}
