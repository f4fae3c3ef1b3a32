package library_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestThemesRelabelledByHandShowWithinAMinute: the themes are kept for
// library.ThemesKept; a label an operator changes in the database, and a
// theme a migration adds, show on the next read after it, and not a
// minute later on any node.
func TestThemesRelabelledByHandShowWithinAMinute(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnvAt(t, testdb.Open(t, "library_themes_kept"), clock)
	ctx := context.Background()
	label := func(slug string) string {
		t.Helper()
		themes, err := e.lib.Themes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range themes {
			if th.Slug == slug {
				return th.Label("pt-PT")
			}
		}
		return ""
	}
	if got := label("pensions"); got != "Pensões" {
		t.Fatalf("pensions in pt-PT: %q", got)
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE library_themes SET labels = labels || '{"pt-PT": "Pensões de velhice"}' WHERE slug = 'pensions'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(ctx, `INSERT INTO library_themes (slug, position, labels) VALUES ('povos-indigenas', 1000,
		'{"en": "Indigenous peoples", "es": "Pueblos indígenas", "pt-BR": "Povos indígenas", "pt-PT": "Povos indígenas"}')`); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(library.ThemesKept - time.Second)
	mu.Unlock()
	if got := label("pensions"); got != "Pensões" {
		t.Errorf("within the minute the kept label: %q", got)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if got, added := label("pensions"), label("povos-indigenas"); got != "Pensões de velhice" || added != "Povos indígenas" {
		t.Errorf("after the minute: pensions %q, the added theme %q", got, added)
	}
}
