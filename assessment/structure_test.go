package assessment_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestQueriesLiveInTheStore: every query of the package is built in its
// store files, and none of them reads courses' tables (courses' data comes
// through courses' functions) or of accounts (people come through the
// queries accounts exports, such as accounts.PublicUsers).
func TestQueriesLiveInTheStore(t *testing.T) {
	query := regexp.MustCompile(`\.(NewSelect|NewInsert|NewUpdate|NewDelete|NewRaw)\(`)
	coursesTables := regexp.MustCompile(`(?i)\b(FROM|JOIN|Table\(")\s*"?(courses|modules|enrolments|module_completions|course_instructors|users|institutions|sessions|api_tokens)\b`)
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
		src := string(data)
		if !strings.HasPrefix(name, "store") && query.MatchString(src) {
			t.Errorf("%s builds a query; queries belong in the Store (store*.go)", name)
		}
		if m := coursesTables.FindString(src); m != "" {
			t.Errorf("%s reads a table of courses (%q); use a courses function", name, m)
		}
	}
}
