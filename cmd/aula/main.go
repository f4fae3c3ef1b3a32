// Command aula is Aula's one binary: the web server and the admin tasks.
//
//	aula serve [-no-migrate]     serve HTTP (applies pending migrations first)
//	aula migrate up|down|status  manage the database schema (down refuses to delete data not named)
//	aula user create -email E -name N -role R [-institution ACRONYM] [-password P]
//	aula certificates rotate-key|keys  rotate or list the certificate signing keys
//	aula seed demo               load the demo institutions, users, courses, library, events, forums and exchange
//	aula seed scale [-learners N …] a benchmark installation at scale (empty database only)
//	aula storage migrate -to LOC copy the stored files to a folder or an S3 bucket
//	aula backup -o FILE          the database and the stored files in one archive
//	aula restore -i FILE         a backup into a new, empty installation
//	aula version                 print the version
//
// Configuration comes from AULA_* environment variables (see README).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // AULA_TIMEZONE works on hosts without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `usage: aula <command> [arguments]

commands:
  serve [-no-migrate]          serve HTTP; applies pending migrations first
  migrate up|status            apply or list migrations
  migrate down [-drop-data T,…] roll back the last group; refused when it deletes data not named in -drop-data
  user create -email E -name N -role learner|instructor|admin [-institution ACRONYM] [-password P] [-locale en|es|pt-BR|pt-PT]
  certificates rotate-key      retire the certificate signing key and make a new one (old certificates keep verifying)
  certificates keys            list the signing keys
  seed demo                    load demo institutions, users, one course per language and its quiz, library items,
                               events, forum topics and an exchange (again: no change)
  seed scale [-learners N] [-institutions N] [-courses N] [-attempts N] [-items N] [-events N] [-per-learner N] [-yes] [-marker]
                               fill an empty benchmark database at scale (100k learners, 1M attempts; never a real installation)
  storage migrate [-from LOC] -to LOC  copy every stored file between a folder and an S3 bucket (resumable)
  backup -o FILE               write the database and every stored file to one archive
  restore -i FILE              bring a backup back into a new, empty database and the configured storage
  version                      print the version

configuration: AULA_ADDR, AULA_BASE_URL, AULA_DATABASE_URL, AULA_DATA_DIR, AULA_SECRET,
AULA_ADMIN_EMAIL, AULA_ADMIN_PASSWORD, AULA_TRUSTED_PROXIES, AULA_UPLOAD_MAX_MB, AULA_DEMO, AULA_TIMEZONE,
AULA_SHUTDOWN_DRAIN, AULA_SHUTDOWN_TIMEOUT, AULA_DB_MAX_CONNS, AULA_DB_CONN_WAIT,
AULA_DB_STATEMENT_TIMEOUT, AULA_DB_LOCK_TIMEOUT, AULA_SMTP_URL, AULA_MAIL_FROM, AULA_LOG_FORMAT, AULA_LOG_LEVEL, AULA_STORAGE_URL,
AULA_DATABASE_REPLICA_URL, AULA_DATABASE_REPLICA_MAX_LAG, AULA_METRICS_ADDR (see README.md)
`

// errUsage means the command line was wrong; usage has been printed.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "aula:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "migrate":
		return migrateCmd(ctx, args[1:])
	case "user":
		return userCmd(ctx, args[1:])
	case "certificates":
		return certificatesCmd(ctx, args[1:])
	case "seed":
		return seedCmd(ctx, args[1:])
	case "storage":
		return storageCmd(ctx, args[1:])
	case "backup":
		return backupCmd(ctx, args[1:])
	case "restore":
		return restoreCmd(ctx, args[1:])
	case "version":
		fmt.Println("aula", version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprintf(os.Stderr, "aula: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
