package spreadsheet_test

import (
	"strings"
	"testing"

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
