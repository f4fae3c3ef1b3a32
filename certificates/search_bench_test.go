package certificates

import (
	"context"
	"testing"
	"time"

	"github.com/aula-platform/aula/migrations/testdb"
)

// BenchmarkCertificateSearch is a page of the admins' certificate search
// over 100,000 certificates (testdb.OpenScale, seeded once and kept).
func BenchmarkCertificateSearch(b *testing.B) {
	db := testdb.OpenScale(b)
	store := NewStore(db) // what Service.List runs
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    Filter
	}{
		{"browse", Filter{}},
		{"holder", Filter{Query: "conceição 1234"}},
		{"common name", Filter{Query: "gonçalves"}},
		{"course title", Filter{Query: "previdencia social 42"}},
		{"code", Filter{Query: "aula-2345-6789-ab"}},
	} {
		c.f.Limit = 20
		b.Run(c.name, func(b *testing.B) {
			testdb.Measure(b, func() error {
				_, _, _, err := store.List(ctx, c.f, time.Now())
				return err
			})
		})
	}
}
