package reports

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aula-platform/aula/spreadsheet"
)

// CSVFormat is how a CSV file is written for its reader's spreadsheet.
type CSVFormat struct {
	// Semicolon separates fields with ";" and writes decimals with a
	// comma, as spreadsheet programs expect in languages that write 72,5
	// (es, pt); otherwise "," and "72.5" (en).
	Semicolon bool
}

// csvTime is how times are written: spreadsheet programs read it as a date
// and time. Times are UTC, which the headers say.
const csvTime = "2006-01-02 15:04"

// CSV writes a CSV file record by record to a buffered writer that is
// flushed every flushEvery records, so an export reaches its reader while
// it is being read from the database and never sits whole in memory. It
// starts with a UTF-8 byte order mark, so spreadsheet programs show
// "Conceição" rather than "ConceiÃ§Ã£o".
type CSV struct {
	buf    *bufio.Writer
	w      *csv.Writer
	format CSVFormat
	record []string
	rows   int
}

// flushEvery is how many records are buffered before they are sent.
const flushEvery = 256

// NewCSV starts a CSV file on w.
func NewCSV(w io.Writer, f CSVFormat) (*CSV, error) {
	buf := bufio.NewWriterSize(w, 32<<10)
	cw, err := spreadsheet.NewWriter(buf, f.Semicolon)
	if err != nil {
		return nil, err
	}
	return &CSV{buf: buf, w: cw, format: f}, nil
}

// Text adds a text cell. Text a spreadsheet would run as a formula (a name
// starting with "=", "+", "-", "@", a tab or a carriage return) is written
// with a leading apostrophe, so opening an export never runs what a
// learner typed as their name.
func (c *CSV) Text(s string) *CSV {
	c.record = append(c.record, spreadsheet.SafeText(s))
	return c
}

// Int adds a whole number.
func (c *CSV) Int(n int64) *CSV {
	c.record = append(c.record, strconv.FormatInt(n, 10))
	return c
}

// Decimal adds a number with up to one decimal, with the format's
// decimal separator.
func (c *CSV) Decimal(x float64) *CSV {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if strings.Contains(s, ".") {
		s = strconv.FormatFloat(x, 'f', 1, 64)
	}
	if c.format.Semicolon {
		s = strings.Replace(s, ".", ",", 1)
	}
	c.record = append(c.record, s)
	return c
}

// Time adds a time in UTC, or an empty cell for nil.
func (c *CSV) Time(t *time.Time) *CSV {
	if t == nil || t.IsZero() {
		c.record = append(c.record, "")
		return c
	}
	c.record = append(c.record, t.UTC().Format(csvTime))
	return c
}

// Empty adds an empty cell.
func (c *CSV) Empty() *CSV {
	c.record = append(c.record, "")
	return c
}

// End writes the record built so far.
func (c *CSV) End() error {
	err := c.w.Write(c.record)
	c.record = c.record[:0]
	if err != nil {
		return err
	}
	if c.rows++; c.rows%flushEvery == 0 {
		c.w.Flush()
		if err := c.w.Error(); err != nil {
			return err
		}
		return c.buf.Flush()
	}
	return nil
}

// Close writes what is buffered.
func (c *CSV) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}
