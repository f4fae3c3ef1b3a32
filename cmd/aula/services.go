package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// services are the domain services, wired together once for every
// command: a course is completed when its modules are done and its
// required quizzes passed, and completing it issues the certificate in the
// same transaction.
type services struct {
	accounts     *accounts.Service
	courses      *courses.Service
	assessment   *assessment.Service
	certificates *certificates.Service
}

func newServices(ctx context.Context, db *bun.DB, cfg *config, log *slog.Logger) (*services, error) {
	blobs, err := courses.NewDirStore(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		return nil, err
	}
	svc := &services{accounts: accounts.NewService(db, nil)}
	svc.courses = courses.NewService(db, courses.Options{Blobs: blobs, UploadMaxBytes: cfg.UploadMaxBytes})
	svc.assessment = assessment.NewService(db, svc.courses, assessment.Options{})
	svc.courses.AddRequirement(svc.assessment.RequiredQuizzes)
	if svc.certificates, err = newCertificates(db, cfg, log); err != nil {
		return nil, err
	}
	svc.courses.OnCompleted(svc.certificates.IssueOnCompletion)
	// The installation's signing key exists before the first certificate.
	if _, err := svc.certificates.EnsureKey(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}
