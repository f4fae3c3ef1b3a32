package certificates

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/aula-platform/aula/migrations/testdb"
)

// BenchmarkCertificateSearch is a page of the admins' certificate search
// over 100,000 certificates (testdb.OpenScale, seeded once and kept).
func BenchmarkCertificateSearch(b *testing.B) {
	db := testdb.OpenScale(b)
	svc, err := NewService(db, Options{BaseURL: "https://aula.example.org", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
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
				_, _, err := svc.List(ctx, c.f)
				return err
			})
		})
	}
}
