package courses_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoTablesOfAccounts: courses reads people only through the queries
// accounts exports (accounts.PublicUsers), never accounts' tables by name,
// so accounts can change its tables without breaking a roster.
func TestNoTablesOfAccounts(t *testing.T) {
	accountsTables := regexp.MustCompile(`(?i)\b(FROM|JOIN)\s+"?(users|institutions|sessions|api_tokens)\b|Model\(&users\)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if m := accountsTables.FindString(string(data)); m != "" {
			t.Errorf("%s reads a table of accounts (%q); join a query accounts exports", name, m)
		}
	}
}
