package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
)

// zipPoll is how often the ZIP worker looks for jobs started by other
// processes (jobs started in this process wake it at once).
const zipPoll = 2 * time.Second

// newCertificates builds the certificates service with the PDF renderer,
// whose fonts come from the binary, loaded once.
func newCertificates(db *bun.DB, cfg *config, log *slog.Logger) (*certificates.Service, error) {
	fonts, err := fs.Sub(assets.Fonts, "fonts")
	if err != nil {
		return nil, fmt.Errorf("certificate fonts: %w", err)
	}
	r, err := certificates.NewRenderer(fonts)
	if err != nil {
		return nil, err
	}
	return certificates.NewService(db, certificates.Options{Renderer: r, BaseURL: cfg.BaseURL, Logger: log, Location: cfg.Location})
}

// certificatesCmd runs `aula certificates …`.
func certificatesCmd(ctx context.Context, args []string) error {
	if len(args) != 1 || (args[0] != "rotate-key" && args[0] != "keys") {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newCertificates(db, cfg, newLogger(cfg))
	if err != nil {
		return err
	}
	if args[0] == "rotate-key" {
		old, err := svc.EnsureKey(ctx)
		if err != nil {
			return err
		}
		k, err := svc.RotateKey(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("retired signing key %d; new signing key %d: %s\n", old.ID, k.ID, k.Public)
		fmt.Println("certificates issued before keep verifying with the retired key, published at /api/v1/verify/key")
		return nil
	}
	keys, err := svc.Keys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		state := "current"
		if k.RetiredAt != nil {
			state = "retired " + k.RetiredAt.UTC().Format(time.RFC3339)
		}
		fmt.Printf("%d\t%s\t%s\t%s\n", k.ID, k.Public, k.CreatedAt.UTC().Format(time.RFC3339), state)
	}
	return nil
}
