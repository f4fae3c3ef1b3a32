package main

import (
	"context"
	"log/slog"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/wiring"
)

// newServices builds the installation's domain services, wired together
// once for every command (package wiring says how), with the signing key
// certificates need in place.
func newServices(ctx context.Context, db *bun.DB, cfg *config, log *slog.Logger) (*wiring.Services, error) {
	blobs, err := openStorage(ctx, cfg.storageLocation())
	if err != nil {
		return nil, err
	}
	opts := wiring.Options{
		Blobs: blobs, UploadMaxBytes: cfg.UploadMaxBytes, BaseURL: cfg.BaseURL, Location: cfg.Location, Logger: log,
		TokenLifetime: cfg.TokenTTL, TokenMaxLifetime: cfg.TokenMaxTTL,
		MailFrom: cfg.MailFrom,
		Replica:  openReplica(cfg), ReplicaMaxLag: cfg.ReplicaMaxLag,
	}
	if cfg.SMTP != nil { // a nil *SMTP in the interface would not be nil
		opts.Mail = cfg.SMTP
	}
	svc, err := wiring.New(db, opts)
	if err != nil {
		return nil, err
	}
	// The installation's signing key exists before the first certificate.
	if _, err := svc.Certificates.EnsureKey(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}
