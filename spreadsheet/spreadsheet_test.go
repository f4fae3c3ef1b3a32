package spreadsheet_test

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/spreadsheet"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "João Conceição": "João Conceição", "": "", "a=b": "a=b",
	} {
		if got := spreadsheet.SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewWriter(t *testing.T) {
	for semicolon, want := range map[bool]string{true: "\uFEFFPeña;72,5\n", false: "\uFEFFPeña,72.5\n"} {
		var b strings.Builder
		w, err := spreadsheet.NewWriter(&b, semicolon)
		if err != nil {
			t.Fatal(err)
		}
		n := "72.5"
		if semicolon {
			n = "72,5"
		}
		if err := w.Write([]string{"Peña", n}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if b.String() != want {
			t.Errorf("semicolon %v: %q, want %q", semicolon, b.String(), want)
		}
	}
}

// TestWriter: a byte order mark, the reader's separator and decimal mark,
// times in UTC, and text a spreadsheet would run as a formula neutralised.
func TestWriter(t *testing.T) {
	at := time.Date(2026, 12, 1, 22, 30, 0, 0, time.FixedZone("Lima", -5*3600))
	for _, tc := range []struct {
		format spreadsheet.Format
		want   string
	}{
		{spreadsheet.Format{}, "\uFEFFJoão Peña,'=1+1,'@SUM(A1),'-2,87.5,100,12500.50,12,2026-12-02 03:30,\n"},
		{spreadsheet.Format{Semicolon: true}, "\uFEFFJoão Peña;'=1+1;'@SUM(A1);'-2;87,5;100;12500,50;12;2026-12-02 03:30;\n"},
	} {
		var b strings.Builder
		out, err := spreadsheet.New(&b, tc.format)
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Text("João Peña").Text("=1+1").Text("@SUM(A1)").Text("-2").Decimal(87.5).Decimal(100).Fixed(12500.5, 2).
			Int(12).Time(&at).Time(nil).End(); err != nil {
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

// TestWriterSendsItsFirstRows: a streamed download starts with its
// header and first rows, written through as soon as they are, without
// waiting for the hundreds of rows buffered after them.
func TestWriterSendsItsFirstRows(t *testing.T) {
	// Below the writer, a buffer as the HTTP response's, larger than the
	// 16 records.
	var out strings.Builder
	under := bufio.NewWriterSize(&out, 64<<10)
	w, err := spreadsheet.New(under, spreadsheet.Format{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		if err := w.Text("Participante").Int(int64(i)).End(); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(out.String(), "Participante"); got != 16 {
		t.Fatalf("after 16 records, %d reached the reader", got)
	}
}
