package reports_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/reports"
)

// TestCSV: a byte order mark, the reader's separator and decimal mark,
// times in UTC, and text a spreadsheet would run as a formula neutralised.
func TestCSV(t *testing.T) {
	at := time.Date(2026, 12, 1, 22, 30, 0, 0, time.FixedZone("Lima", -5*3600))
	for _, tc := range []struct {
		format reports.CSVFormat
		want   string
	}{
		{reports.CSVFormat{}, "\uFEFFJoão Peña,'=1+1,'@SUM(A1),'-2,87.5,100,12,2026-12-02 03:30,\n"},
		{reports.CSVFormat{Semicolon: true}, "\uFEFFJoão Peña;'=1+1;'@SUM(A1);'-2;87,5;100;12;2026-12-02 03:30;\n"},
	} {
		var b strings.Builder
		out, err := reports.NewCSV(&b, tc.format)
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Text("João Peña").Text("=1+1").Text("@SUM(A1)").Text("-2").Decimal(87.5).Decimal(100).Int(12).Time(&at).Time(nil).End(); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%+v: %q, want %q", tc.format, b.String(), tc.want)
		}
	}
}
