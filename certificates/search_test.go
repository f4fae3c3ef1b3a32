package certificates

import (
	"context"
	"strings"
	"testing"

	"github.com/aula-platform/aula/migrations/testdb"
)

// TestCertificateSearchIgnoresAccentsAndUsesAnIndex: the admins'
// certificate search finds "João Conceição" from "conceicao" and a course
// from a part of its title, whatever the accents and case, and among a few
// thousand certificates PostgreSQL answers it from certificates_search_text_idx.
func TestCertificateSearchIgnoresAccentsAndUsesAnIndex(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	log := &testdb.QueryLog{}
	f.db.AddQueryHook(log)
	c, modules := f.course(1, nil)
	joao := f.user("João da Conceição Nuñez")
	f.complete(joao, c, modules)
	mine := f.certificatesOf(joao.ID, c.ID)[0]

	// Thousands of others, copies of it under other names and titles
	// (codes spelled from the row number, so they are unique).
	if _, err := f.db.ExecContext(ctx, `
		INSERT INTO certificates (code, user_id, course_id, holder_name, course_title, workload_hours,
			completed_at, issued_at, institution, issuer_name, language, template_version, signature, key_id,
			revoked_at, revoke_reason)
		SELECT 'AULA-' || substr(k, 1, 4) || '-' || substr(k, 5, 4) || '-' || substr(k, 9, 2),
			c.user_id, c.course_id,
			(ARRAY['Ana Peña','José Muñoz','Inês Simões','Raúl Ibáñez','Sofía Gómez'])[1 + n % 5] || ' ' || n,
			(ARRAY['Seguridad Social','Pensiones','Protección','Cobertura'])[1 + n % 4] || ' ' || n,
			c.workload_hours, c.completed_at, c.issued_at, c.institution, c.issuer_name, c.language,
			c.template_version, c.signature, c.key_id,
			c.issued_at, 'Copia de prueba' -- revoked: one standing certificate per person and course
		FROM certificates c, generate_series(1, 4000) n,
		LATERAL (SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + (floor((n + 7000000) / 30::numeric ^ i)::bigint % 30)::int, 1), ''
			ORDER BY i) AS k FROM generate_series(0, 9) i) code
		WHERE c.id = ?`, mine.ID); err != nil {
		t.Fatal(err)
	}
	// What autovacuum does after a bulk insert: statistics, and the trigram
	// index's own, without which the planner guesses its cost.
	if _, err := f.db.ExecContext(ctx, "VACUUM ANALYZE certificates"); err != nil {
		t.Fatal(err)
	}

	for query, want := range map[string]int{
		"conceicao": 1, "CONCEIÇÃO": 1, "joão da": 1, "nunez": 1,
		"PENA":                     800, // Ana Peña n, n % 5 = 0
		"protección social básica": 1, "PROTECCION social": 1,
		mine.Code:                      1,
		strings.ToLower(mine.Code[5:]): 1, // a code however typed
		"%_%":                          0, // wildcards typed are text, not patterns
	} {
		// The course's only: other tests of the package issue certificates too.
		list, total, err := f.svc.List(ctx, Filter{Query: query, CourseID: c.ID, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if total != want || len(list) != min(want, 20) {
			t.Errorf("search %q: %d certificates (%d on the page), want %d", query, total, len(list), want)
		}
		if want == 1 && (len(list) != 1 || list[0].ID != mine.ID) {
			t.Errorf("search %q found %v, want certificate %d", query, list, mine.ID)
		}
	}

	if _, _, err := f.svc.List(ctx, Filter{Query: "conceicao", Limit: 20}); err != nil {
		t.Fatal(err)
	}
	query := log.Last("accounts_fold")
	if query == "" {
		t.Fatal("the search query was not seen")
	}
	var plan []string
	if err := f.db.NewRaw("EXPLAIN "+query).Scan(ctx, &plan); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "certificates_search_text_idx") {
		t.Errorf("the search does not use certificates_search_text_idx:\n%s", text)
	}
}
