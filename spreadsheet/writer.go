package spreadsheet

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// Format is how a CSV file is written for its reader's spreadsheet.
type Format struct {
	// Semicolon separates fields with ";" and writes decimals with a
	// comma, as spreadsheet programs expect in languages that write 72,5
	// (es, pt); otherwise "," and "72.5" (en).
	Semicolon bool
}

// TimeLayout is how times are written: spreadsheet programs read it as a
// date and time. Times are UTC, which the headers say.
const TimeLayout = "2006-01-02 15:04"

// Writer writes a CSV file cell by cell in its Format, record by record
// to a buffered writer that is flushed every flushEvery records, so an
// export reaches its reader while it is being read from the database and
// never sits whole in memory. It starts with the byte order mark, and
// every text cell goes through SafeText: each export of Aula that writes
// through it follows the rules of the package without repeating them.
type Writer struct {
	under  io.Writer // what buf writes to, flushed with it when it can be
	buf    *bufio.Writer
	w      *csv.Writer
	format Format
	record []string
	rows   int
}

// flushEvery is how many records are buffered before they are sent;
// the first firstFlush records (the header and a few rows) are sent as
// soon as they are written, so a download starts while its first rows
// are read: flushed every 256 records only, a gradebook export's first
// byte waited for its second chunk from the database.
const (
	flushEvery = 256
	firstFlush = 16
)

// New starts a CSV file on w.
func New(w io.Writer, f Format) (*Writer, error) {
	buf := bufio.NewWriterSize(w, 32<<10)
	cw, err := NewWriter(buf, f.Semicolon)
	if err != nil {
		return nil, err
	}
	return &Writer{under: w, buf: buf, w: cw, format: f}, nil
}

// Text adds a text cell, neutralised (SafeText): opening an export never
// runs what someone typed as their name.
func (c *Writer) Text(s string) *Writer {
	c.record = append(c.record, SafeText(s))
	return c
}

// Int adds a whole number.
func (c *Writer) Int(n int64) *Writer {
	c.record = append(c.record, strconv.FormatInt(n, 10))
	return c
}

// Decimal adds a number with up to one decimal (87.5, 100), with the
// format's decimal separator.
func (c *Writer) Decimal(x float64) *Writer {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if strings.Contains(s, ".") {
		s = strconv.FormatFloat(x, 'f', 1, 64)
	}
	return c.number(s)
}

// Fixed adds a number with exactly places decimals (an amount, a mean
// score: 12500.50, 4.25), with the format's decimal separator.
func (c *Writer) Fixed(x float64, places int) *Writer {
	return c.number(strconv.FormatFloat(x, 'f', places, 64))
}

func (c *Writer) number(s string) *Writer {
	if c.format.Semicolon {
		s = strings.Replace(s, ".", ",", 1)
	}
	c.record = append(c.record, s)
	return c
}

// Time adds a time in UTC (TimeLayout), or an empty cell for nil.
func (c *Writer) Time(t *time.Time) *Writer {
	if t == nil || t.IsZero() {
		c.record = append(c.record, "")
		return c
	}
	c.record = append(c.record, t.UTC().Format(TimeLayout))
	return c
}

// Empty adds an empty cell.
func (c *Writer) Empty() *Writer {
	c.record = append(c.record, "")
	return c
}

// End writes the record built so far.
func (c *Writer) End() error {
	err := c.w.Write(c.record)
	c.record = c.record[:0]
	if err != nil {
		return err
	}
	if c.rows++; c.rows%flushEvery == 0 || c.rows == firstFlush {
		c.w.Flush()
		if err := c.w.Error(); err != nil {
			return err
		}
		if err := c.buf.Flush(); err != nil {
			return err
		}
		// A buffered writer below (the HTTP response's) would keep the
		// first records until it fills: they are sent now.
		if f, ok := c.under.(interface{ Flush() error }); ok {
			return f.Flush()
		}
	}
	return nil
}

// Close writes what is buffered.
func (c *Writer) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}
