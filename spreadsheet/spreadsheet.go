// Package spreadsheet writes CSV files the way the spreadsheet programs of
// Aula's users open them right: UTF-8 with a byte order mark (so
// "Conceição" is not shown as "ConceiÃ§Ã£o"), ";" between fields where
// decimals are written with a comma (es, pt), and text that a spreadsheet
// would run as a formula neutralised. Every CSV export of Aula goes through
// it, so the rules are written once. It imports nothing of Aula's.
package spreadsheet

import (
	"encoding/csv"
	"io"
	"strings"
)

// BOM is the UTF-8 byte order mark a CSV file starts with.
const BOM = "\uFEFF"

// NewWriter writes the byte order mark to w and returns a CSV writer on
// it, separating fields with ";" when semicolon is set (the languages that
// write 72,5) and "," otherwise.
func NewWriter(w io.Writer, semicolon bool) (*csv.Writer, error) {
	if _, err := io.WriteString(w, BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	if semicolon {
		cw.Comma = ';'
	}
	return cw, nil
}

// SafeText is s as a text cell: text a spreadsheet would run as a formula
// (starting with "=", "+", "-", "@", a tab or a carriage return) gets a
// leading apostrophe, so opening an export never runs what someone typed
// as their name or answer.
func SafeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
