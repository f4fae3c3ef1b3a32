package assessment

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/aula-platform/aula/spreadsheet"
)

// CSVFormat says how ResultsCSV writes for the reader's spreadsheet.
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

// csvColumns is the number of columns ResultsCSV writes.
const csvColumns = 11

// csvTime is how times are written: spreadsheet programs read it as a date
// and time. Times are UTC, which the header should say.
const csvTime = "2006-01-02 15:04:05"

// ResultsCSV writes a quiz's results as CSV one row at a time, so an
// export streams as its rows are read: UTF-8 with a byte order mark, and
// text a spreadsheet would run as a formula (a name starting with "=")
// written with a leading apostrophe.
type ResultsCSV struct {
	cw *csv.Writer
	f  CSVFormat
}

// NewResultsCSV writes the byte order mark and the header to w.
func NewResultsCSV(w io.Writer, f CSVFormat) (*ResultsCSV, error) {
	if len(f.Header) != csvColumns {
		return nil, errors.New("assessment: results CSV needs 11 column names")
	}
	cw, err := spreadsheet.NewWriter(w, f.Semicolon)
	if err != nil {
		return nil, err
	}
	if err := cw.Write(f.Header); err != nil {
		return nil, err
	}
	return &ResultsCSV{cw: cw, f: f}, nil
}

func (c *ResultsCSV) decimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if c.f.Semicolon {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Write writes one attempt.
func (c *ResultsCSV) Write(r *ResultRow) error {
	submitted, duration, passed := "", "", c.f.Open
	if r.SubmittedAt != nil {
		submitted = r.SubmittedAt.UTC().Format(csvTime)
		duration = strconv.Itoa(int(r.Duration().Seconds()))
		passed = c.f.No
		if r.Passed {
			passed = c.f.Yes
		}
	}
	return c.cw.Write([]string{
		spreadsheet.SafeText(r.Learner), spreadsheet.SafeText(r.Email), spreadsheet.SafeText(r.Institution),
		strconv.Itoa(r.Number), r.StartedAt.UTC().Format(csvTime), submitted, duration,
		c.decimal(r.Score), strconv.Itoa(r.MaxScore), c.decimal(r.Percent), passed,
	})
}

// Close flushes what is buffered and reports the first error of the writes.
func (c *ResultsCSV) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}
