package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// BenchmarkCertificatePDF measures GET /api/v1/certificates/{code}.pdf end
// to end (authentication, two queries, hashing, the PDF): "cold" draws the
// PDF every time (cache off), "warm" serves it from the cache, and
// "not_modified" answers a browser that has it already (If-None-Match).
func BenchmarkCertificatePDF(b *testing.B) {
	for _, bc := range []struct {
		name        string
		cacheBytes  int64
		ifNoneMatch bool
	}{
		{"cold", -1, false},
		{"warm", 0, false},
		{"not_modified", 0, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a, path, token := benchCertificate(b, bc.cacheBytes)
			get := func(etag string) *http.Response {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				if etag != "" {
					req.Header.Set("If-None-Match", etag)
				}
				res, err := a.Test(req, -1)
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			first := get("")
			body, _ := io.ReadAll(first.Body)
			etag := first.Header.Get("ETag")
			if first.StatusCode != http.StatusOK || len(body) == 0 {
				b.Fatalf("status %d", first.StatusCode)
			}
			want := http.StatusOK
			if !bc.ifNoneMatch {
				etag = ""
			} else {
				want = http.StatusNotModified
			}
			b.ReportAllocs()
			for b.Loop() {
				res := get(etag)
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != want {
					b.Fatalf("status %d, want %d", res.StatusCode, want)
				}
			}
			b.ReportMetric(float64(len(body)), "pdf-bytes")
		})
	}
}

// benchCertificate starts an Aula with a PDF cache of cacheBytes and
// issues one certificate with a logo and two signatures; it returns the
// app, the PDF's path and its holder's token.
func benchCertificate(b *testing.B, cacheBytes int64) (*fiber.App, string, string) {
	b.Helper()
	ctx := context.Background()
	e, svc := newInstallation(b, installation{database: "app_certificates", pdfCache: cacheBytes, quietLog: true})
	db, a, certs, acc := e.db, e.app, svc.Certificates, svc.Accounts
	admin := &accounts.User{Email: unique("bench-admin") + "@example.org", Name: "Admin", Role: accounts.RoleAdmin, Locale: "es"}
	holder := &accounts.User{Email: unique("bench") + "@example.org", Name: "João da Conceição Peña", Role: accounts.RoleLearner, Locale: "es"}
	for _, u := range []*accounts.User{admin, holder} {
		if err := accounts.NewStore(db).InsertUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := certs.SaveIssuer(ctx, certificates.IssuerParams{Name: "Escuela Regional de Protección Social", Logo: testPNG(600, 200),
		Signatories: [2]certificates.SignatoryParams{{Name: "Ana Beatriz Souza", Title: "Directora", Signature: testPNG(400, 120)},
			{Name: "Carlos Muñoz", Title: "Coordinador", Signature: testPNG(400, 120)}}}, admin.ID); err != nil {
		b.Fatal(err)
	}
	c := &courses.Course{Slug: unique("bench-"), Title: "Protección Social Básica", Language: "es", WorkloadHours: 40, Status: courses.StatusPublished}
	if _, err := db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		b.Fatal(err)
	}
	cert, err := certs.Issue(ctx, certificates.IssueParams{UserID: holder.ID, CourseID: c.ID, By: admin.ID})
	if err != nil {
		b.Fatal(err)
	}
	token, err := acc.CreateAPIToken(ctx, holder.ID)
	if err != nil {
		b.Fatal(err)
	}
	// Back to the plain issuer for the tests sharing this database.
	b.Cleanup(func() {
		if _, err := certs.SaveIssuer(ctx, certificates.IssuerParams{Name: "Aula", RemoveLogo: true}, admin.ID); err != nil {
			b.Error(err)
		}
	})
	return a, "/api/v1/certificates/" + cert.Code + ".pdf", token
}
