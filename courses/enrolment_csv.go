package courses

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
)

// BulkRow is one learner of a bulk enrolment file.
type BulkRow struct {
	Line               int // 1-based line in the file, for messages
	Email              string
	Name               string
	InstitutionAcronym string
	// Locale is the language of a new account ("": its institution's
	// country's); it never changes an existing account.
	Locale string
	// validEmail says the email passed the format checks, so the row can
	// be looked up in the database.
	validEmail bool
}

// BulkFile is a parsed bulk enrolment file: every row that could be read
// and the problems found on its lines, which BulkEnrol reports together
// with those only the database can find, so one answer lists every bad
// line.
type BulkFile struct {
	Rows   []BulkRow
	Errors RowErrors
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

// sorted returns the errors in line order, those of one line in the order
// they were found.
func (e RowErrors) sorted() RowErrors {
	slices.SortStableFunc(e, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	return e
}

func (e RowErrors) Error() string {
	return "courses: bulk enrolment file has " + strconv.Itoa(len(e)) + " bad lines"
}

// bulkColumns are the header names a bulk file must have, in any order;
// locale and role may be added.
var bulkColumns = []string{"email", "name", "institution_acronym"}

// BulkRole is the only role a bulk file may give: a file creates learners.
// An import that could create instructors or admins would hand out
// privileged accounts, with their password links in a table, on the
// strength of a spreadsheet cell; those are created one by one, by an admin
// who means it.
const BulkRole = accounts.RoleLearner

// MaxBulkRows caps one bulk enrolment file.
const MaxBulkRows = 50000

// ParseBulkCSV reads a bulk enrolment file as spreadsheet programs write it:
// UTF-8 with or without a byte-order mark, comma- or semicolon-separated
// (es/pt locales use semicolons), LF or CRLF line ends, a header line
// naming the columns email, name, institution_acronym and, optionally,
// locale and role. It checks each line on its own (email form, name
// length, duplicates, locale, role) and returns every readable row with
// every problem found; whether institutions and accounts exist is checked
// against the database by BulkEnrol. A file that cannot be read at all
// (not UTF-8, no header, too long) is an error, RowErrors on line 1.
func ParseBulkCSV(r io.Reader) (*BulkFile, error) {
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

	file := &BulkFile{}
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
			file.Errors = append(file.Errors, RowError{Line: line, Key: "bulk.bad_line"})
			if perr == nil || perr.Err == csv.ErrQuote || perr.Err == csv.ErrBareQuote {
				break // an unbalanced quote swallows the rest of the file
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		field := func(col string) string {
			if i, ok := index[col]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := BulkRow{Line: line, Email: field("email"), Name: field("name"), InstitutionAcronym: field("institution_acronym")}
		locale, role := field("locale"), field("role")
		if row.Email == "" && row.Name == "" && row.InstitutionAcronym == "" && locale == "" && role == "" {
			continue // blank line a spreadsheet left behind
		}
		if len(file.Rows) >= MaxBulkRows {
			return nil, RowErrors{{Line: line, Key: "bulk.too_many", Args: []any{MaxBulkRows}}}
		}
		bad := func(key string, args ...any) {
			file.Errors = append(file.Errors, RowError{Line: line, Key: key, Args: args})
		}
		row.validEmail = validEmail(row.Email)
		if !row.validEmail {
			bad("bulk.bad_email", row.Email)
		}
		if utf8.RuneCountInString(row.Name) > 200 {
			bad("bulk.name_too_long")
		}
		if locale != "" {
			if l, ok := accounts.KnownLocale(locale); ok {
				row.Locale = l
			} else {
				bad("bulk.bad_locale", locale, strings.Join(locales.UI, ", "))
			}
		}
		if role != "" && !strings.EqualFold(role, string(BulkRole)) {
			if accounts.Role(strings.ToLower(role)).Valid() {
				bad("bulk.role_not_allowed", role)
			} else {
				bad("bulk.bad_role", role)
			}
		}
		if row.validEmail {
			key := strings.ToLower(row.Email)
			if first, dup := firstLine[key]; dup {
				bad("bulk.duplicate", row.Email, first)
				row.validEmail = false // the first line stands for this person
			} else {
				firstLine[key] = line
			}
		}
		file.Rows = append(file.Rows, row)
	}
	return file, nil
}

// validEmail accepts a bare address (no display name) of sane length.
func validEmail(s string) bool {
	if len(s) < 3 || len(s) > 254 || strings.ContainsAny(s, " <>") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
