package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app"
	"github.com/aula-platform/aula/wiring"
)

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations at start")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	slog.SetDefault(log)
	if err := cfg.ensureSecret(); err != nil {
		return err
	}
	log.Info("starting aula", append([]any{"version", version}, cfg.logAttrs()...)...)
	if err := uploadTempDir(cfg); err != nil {
		return err
	}

	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pool)
	if err != nil {
		return err
	}
	defer db.Close()
	if !*noMigrate {
		group, err := migrateUp(ctx, cfg.DatabaseURL, cfg.Pool)
		if err != nil {
			return err
		}
		if !group.IsZero() {
			log.Info("applied migrations", "group", group.String())
		}
	}

	svc, err := newServices(ctx, db, cfg, log)
	if err != nil {
		return err
	}
	err = withSetupLock(ctx, db, func() error {
		// Checked before the admin is created: a new installation gets the demo content.
		fresh, err := newDatabase(ctx, db)
		if err != nil {
			return err
		}
		if err := ensureAdmin(ctx, db, svc.Accounts, cfg, log); err != nil {
			return err
		}
		// The figures' daily rollup follows the installation's calendar
		// (AULA_TIMEZONE): counted again here when that changed.
		if err := svc.Reports.SyncRollupZone(ctx); err != nil {
			return err
		}
		// Demo content only where asked for (make run sets AULA_DEMO=1): a
		// production installation must not start with made-up people.
		if fresh && cfg.Demo {
			if _, err := seedDemo(ctx, svc, cfg.BaseURL); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	var draining atomic.Bool
	web, err := app.New(app.Config{
		BaseURL:        cfg.BaseURL,
		Secret:         cfg.Secret,
		TrustedProxies: cfg.TrustedProxies,
		UploadMaxBytes: cfg.UploadMaxBytes,
		Version:        version,
		Draining:       &draining,
		Location:       cfg.Location,
		// AULA_METRICS_ADDR: /metrics there, not on the main address.
		MetricsElsewhere: cfg.MetricsAddr != "",
	}, app.Deps{DB: db, Services: svc, Logger: log})
	if err != nil {
		return err
	}

	go housekeeping(ctx, svc, log, housekeepingEvery)
	jobsDone := make(chan struct{})
	go func() { svc.Jobs.Run(ctx); close(jobsDone) }()

	errc := make(chan error, 2)
	stopMetrics := serveMetrics(cfg, svc, log, errc)
	defer stopMetrics()
	go func() { errc <- web.Listen(cfg.Addr) }()
	log.Info("listening", "addr", cfg.Addr, "url", cfg.BaseURL)

	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	// First say not ready while still serving, so the load balancer
	// moves traffic away before the listener closes; then let in-flight
	// requests finish, then close the database pool (deferred).
	draining.Store(true)
	log.Info("shutting down: draining", "drain", cfg.ShutdownDrain.String(), "timeout", cfg.ShutdownTimeout.String())
	select {
	case <-time.After(cfg.ShutdownDrain):
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	log.Info("shutting down: closing the listener, finishing requests in flight")
	if err := web.ShutdownWithTimeout(cfg.ShutdownTimeout); err != nil {
		log.Warn("requests still in flight cut at the shutdown timeout", "timeout", cfg.ShutdownTimeout.String(), "error", err)
	}
	<-jobsDone // jobs in progress have been handed back to the queue
	log.Info("stopped")
	return nil
}

// adminName is the name of the admin created from AULA_ADMIN_EMAIL.
const adminName = "Administrator"

// uploadTempDir keeps the temporary files uploads pass through on the
// data disk: the multipart reader spills every file over 8 KB to
// os.TempDir, and where /tmp is in memory (tmpfs, Debian 13's default)
// that would spend the memory streaming uploads saves. A TMPDIR the
// operator set is kept.
func uploadTempDir(cfg *config) error {
	if os.Getenv("TMPDIR") != "" {
		return nil
	}
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "tmp"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return os.Setenv("TMPDIR", dir)
}

// ensureAdmin makes sure the installation can be administered: the admin
// from AULA_ADMIN_EMAIL/AULA_ADMIN_PASSWORD when set, otherwise a demo admin
// whose password is printed once, on the start that creates it.
func ensureAdmin(ctx context.Context, db *bun.DB, svc *accounts.Service, cfg *config, log *slog.Logger) error {
	if cfg.AdminEmail != "" {
		_, err := svc.CreateUser(ctx, accounts.CreateUserParams{
			Email: cfg.AdminEmail, Name: adminName, Password: cfg.AdminPassword, Role: accounts.RoleAdmin,
		})
		if errors.Is(err, accounts.ErrEmailTaken) {
			return nil
		}
		if err == nil {
			log.Info("created admin from AULA_ADMIN_EMAIL", "email", cfg.AdminEmail)
		}
		return err
	}
	exists, err := db.NewSelect().Model((*accounts.User)(nil)).Where("role = ?", accounts.RoleAdmin).Exists(ctx)
	if err != nil || exists {
		return err
	}
	secret, err := accounts.NewSecret()
	if err != nil {
		return err
	}
	password := secret[:16]
	const email = "admin@aula.localhost"
	if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email, Name: "Aula Admin", Password: password, Role: accounts.RoleAdmin}); err != nil {
		return err
	}
	fmt.Printf("\n  Demo administrator created (shown only this once):\n    email:    %s\n    password: %s\n  Sign in at %s/signin\n\n", email, password, cfg.BaseURL)
	return nil
}

// housekeepingEvery is how often housekeeping runs after the first time.
const housekeepingEvery = time.Hour

// housekeeping deletes expired sessions, certificate ZIP files older
// than a day, finished jobs older than a week (discarded ones a month
// later), and the stored bytes of files no course uses any more: once at start, so a process restarted more often
// than every hour (a deploy, a crash loop) still cleans up, then every
// interval. Every process may run it: deleting the same garbage twice is
// harmless.
func housekeeping(ctx context.Context, svc *wiring.Services, log *slog.Logger, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if n, err := svc.Accounts.DeleteExpired(ctx); err != nil {
			log.Warn("sweep expired sessions", "error", err)
		} else if n > 0 {
			log.Info("swept expired sessions", "count", n)
		}
		if n, err := svc.Certificates.SweepZips(ctx); err != nil {
			log.Warn("sweep old certificate zip files", "error", err)
		} else if n > 0 {
			log.Info("swept old certificate zip files", "count", n)
		}
		if n, err := svc.Jobs.Store().DeleteFinished(ctx, time.Now().AddDate(0, 0, -7)); err != nil {
			log.Warn("sweep finished jobs", "error", err)
		} else if n > 0 {
			log.Info("swept finished jobs", "count", n)
		}
		if n, err := svc.Courses.SweepBlobs(ctx); err != nil {
			log.Warn("sweep unused files", "error", err)
		} else if n > 0 {
			log.Info("swept unused files", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
