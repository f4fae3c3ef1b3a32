package assessment

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/aula-platform/aula/spreadsheet"
)

// CSVFormat says how WriteResultsCSV writes for the reader's spreadsheet.
type CSVFormat struct {
	// Header names the columns, in this order: learner, email, institution,
	// attempt number, started, submitted, duration in seconds, score,
	// maximum score, percent, passed.
	Header []string
	// Yes and No are written in the passed column; Open instead of both
	// for an attempt still in progress.
	Yes, No, Open string
	// Semicolon separates fields with ";" and writes decimals with a comma,
	// as spreadsheet programs expect in languages that write 72,5 (es, pt).
	Semicolon bool
}

// csvColumns is the number of columns WriteResultsCSV writes.
const csvColumns = 11

// csvTime is how times are written: spreadsheet programs read it as a date
// and time. Times are UTC, which the header should say.
const csvTime = "2006-01-02 15:04:05"

// WriteResultsCSV writes a quiz's results as CSV, UTF-8 with a byte order
// mark. Text a spreadsheet would run as a formula (a name starting with
// "=") is written with a leading apostrophe.
func WriteResultsCSV(w io.Writer, rows []ResultRow, f CSVFormat) error {
	if len(f.Header) != csvColumns {
		return errors.New("assessment: results CSV needs 11 column names")
	}
	cw, err := spreadsheet.NewWriter(w, f.Semicolon)
	if err != nil {
		return err
	}
	decimal := func(x float64) string {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if f.Semicolon {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	if err := cw.Write(f.Header); err != nil {
		return err
	}
	for _, r := range rows {
		submitted, duration, passed := "", "", f.Open
		if r.SubmittedAt != nil {
			submitted = r.SubmittedAt.UTC().Format(csvTime)
			duration = strconv.Itoa(int(r.Duration().Seconds()))
			passed = f.No
			if r.Passed {
				passed = f.Yes
			}
		}
		record := []string{
			spreadsheet.SafeText(r.Learner), spreadsheet.SafeText(r.Email), spreadsheet.SafeText(r.Institution),
			strconv.Itoa(r.Number), r.StartedAt.UTC().Format(csvTime), submitted, duration,
			decimal(r.Score), strconv.Itoa(r.MaxScore), decimal(r.Percent), passed,
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
