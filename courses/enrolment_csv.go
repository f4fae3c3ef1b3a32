package courses

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BulkRow is one learner of a bulk enrolment file.
type BulkRow struct {
	Line               int // 1-based line in the file, for messages
	Email              string
	Name               string
	InstitutionAcronym string
}

// RowError is a problem on one line of a bulk enrolment file. Key is a
// message key the web layer translates; Args fill it.
type RowError struct {
	Line int
	Key  string
	Args []any
}

// RowErrors lists every bad line of a file; nothing was written.
type RowErrors []RowError

func (e RowErrors) Error() string {
	return "courses: bulk enrolment file has " + strconv.Itoa(len(e)) + " bad lines"
}

// bulkColumns are the header names a bulk file must have, in any order.
var bulkColumns = []string{"email", "name", "institution_acronym"}

// MaxBulkRows caps one bulk enrolment file.
const MaxBulkRows = 50000

// ParseBulkCSV reads a bulk enrolment file as spreadsheet programs write it:
// UTF-8 with or without a byte-order mark, comma- or semicolon-separated
// (es/pt locales use semicolons), LF or CRLF line ends, a header line
// naming the columns email, name, institution_acronym. It checks each line
// on its own (email form, name length, duplicates); whether institutions
// exist is checked against the database later. All bad lines come back as
// RowErrors.
func ParseBulkCSV(r io.Reader) ([]BulkRow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, RowErrors{{Line: 1, Key: "bulk.not_utf8"}}
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	comma := ','
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		comma = ';'
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, RowErrors{{Line: 1, Key: "bulk.empty"}}
	}
	if err != nil {
		return nil, RowErrors{{Line: 1, Key: "bulk.bad_line"}}
	}
	index := map[string]int{}
	for i, name := range head {
		index[strings.ToLower(strings.TrimSpace(name))] = i
	}
	for _, col := range bulkColumns {
		if _, ok := index[col]; !ok {
			return nil, RowErrors{{Line: 1, Key: "bulk.header", Args: []any{strings.Join(bulkColumns, ",")}}}
		}
	}

	var rows []BulkRow
	var bad RowErrors
	firstLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				line = perr.StartLine
			}
			bad = append(bad, RowError{Line: line, Key: "bulk.bad_line"})
			if perr == nil || perr.Err == csv.ErrQuote || perr.Err == csv.ErrBareQuote {
				break // an unbalanced quote swallows the rest of the file
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		field := func(col string) string {
			if i := index[col]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := BulkRow{Line: line, Email: field("email"), Name: field("name"), InstitutionAcronym: field("institution_acronym")}
		if row.Email == "" && row.Name == "" && row.InstitutionAcronym == "" {
			continue // blank line a spreadsheet left behind
		}
		if len(rows)+len(bad) >= MaxBulkRows {
			return nil, RowErrors{{Line: line, Key: "bulk.too_many", Args: []any{MaxBulkRows}}}
		}
		if !validEmail(row.Email) {
			bad = append(bad, RowError{Line: line, Key: "bulk.bad_email", Args: []any{row.Email}})
			continue
		}
		if utf8.RuneCountInString(row.Name) > 200 {
			bad = append(bad, RowError{Line: line, Key: "bulk.name_too_long"})
			continue
		}
		key := strings.ToLower(row.Email)
		if first, dup := firstLine[key]; dup {
			bad = append(bad, RowError{Line: line, Key: "bulk.duplicate", Args: []any{row.Email, first}})
			continue
		}
		firstLine[key] = line
		rows = append(rows, row)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return rows, nil
}

// validEmail accepts a bare address (no display name) of sane length.
func validEmail(s string) bool {
	if len(s) < 3 || len(s) > 254 || strings.ContainsAny(s, " <>") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
