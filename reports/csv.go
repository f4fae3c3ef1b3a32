package reports

import (
	"io"

	"github.com/aula-platform/aula/spreadsheet"
)

// CSVFormat is how a CSV file is written for its reader's spreadsheet
// (";" and decimal commas for es and pt).
type CSVFormat = spreadsheet.Format

// CSV writes a report's CSV file cell by cell: the writer every CSV
// export shares (spreadsheet.Writer), with a byte order mark, the
// reader's separators, times in UTC and formula cells neutralised.
type CSV = spreadsheet.Writer

// NewCSV starts a CSV file on w.
func NewCSV(w io.Writer, f CSVFormat) (*CSV, error) { return spreadsheet.New(w, f) }
