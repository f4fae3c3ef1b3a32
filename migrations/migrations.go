// Package migrations holds Aula's database schema as embedded SQL files run by
// bun/migrate. The schema comes only from here: models never create tables.
//
// Files are named <timestamp>_<name>.tx.up.sql / .tx.down.sql so that each runs
// inside a transaction and a failed migration leaves nothing half-applied.
package migrations

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// New returns every migration embedded in the binary.
func New() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		return nil, fmt.Errorf("migrations: discover: %w", err)
	}
	return m, nil
}

// NewMigrator returns a migrator for db whose bookkeeping tables exist.
func NewMigrator(ctx context.Context, db *bun.DB) (*migrate.Migrator, error) {
	m, err := New()
	if err != nil {
		return nil, err
	}
	migrator := migrate.NewMigrator(db, m, migrate.WithMarkAppliedOnSuccess(true),
		// A migration may rebuild a large table: the pool's statement and
		// lock timeouts, sized for web requests, do not apply to it.
		migrate.BeforeMigration(func(ctx context.Context, conn bun.IConn, _ *migrate.Migration) error {
			stmt := "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0"
			if _, ok := conn.(bun.Tx); !ok {
				stmt = "SET statement_timeout = 0; SET lock_timeout = 0"
			}
			_, err := conn.ExecContext(ctx, stmt)
			return err
		}),
		migrate.AfterMigration(func(ctx context.Context, conn bun.IConn, _ *migrate.Migration) error {
			if _, ok := conn.(bun.Tx); ok {
				return nil
			}
			_, err := conn.ExecContext(ctx, "RESET statement_timeout; RESET lock_timeout")
			return err
		}))
	if err := migrator.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrations: init: %w", err)
	}
	return migrator, nil
}

// lockKey is the PostgreSQL advisory lock key that serialises migration runs
// ("aula" in ASCII). An advisory lock, unlike bun's lock table, is released
// when the connection drops, so a crashed run never blocks the next start.
const lockKey = 0x61756c61

// Up applies every pending migration. Several `aula serve` starting at once
// wait for each other and apply them exactly once.
func Up(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	return withLock(ctx, db, "up", func(m *migrate.Migrator) (*migrate.MigrationGroup, error) {
		return m.Migrate(ctx)
	})
}

// Down rolls back the last group of migrations applied together, unless
// that would delete data: a table with rows, or a column with values,
// that the group's down migrations drop. Such data must be named in
// dropData ("users", "courses.cover_asset_id"), or Down changes nothing
// and returns a *DataLossError saying what would be lost. A group can
// hold every table of the installation, the certificate signing keys
// included: a rollback is never a casual step.
func Down(ctx context.Context, db *bun.DB, dropData ...string) (*migrate.MigrationGroup, error) {
	return withLock(ctx, db, "down", func(m *migrate.Migrator) (*migrate.MigrationGroup, error) {
		ms, err := m.MigrationsWithStatus(ctx)
		if err != nil {
			return nil, err
		}
		group := ms.LastGroup()
		if group.IsZero() {
			return group, nil
		}
		losses, err := dataLost(ctx, db, group.Migrations)
		if err != nil {
			return nil, err
		}
		allowed := make(map[string]bool, len(dropData))
		for _, d := range dropData {
			allowed[strings.ToLower(strings.TrimSpace(d))] = true
		}
		var refused []Loss
		for _, l := range losses {
			if !allowed[l.What] {
				refused = append(refused, l)
			}
		}
		if len(refused) > 0 {
			return nil, &DataLossError{Group: group.String(), Losses: losses}
		}
		return m.Rollback(ctx)
	})
}

// Loss is data a rollback would delete: the rows of a table, or the
// values of a column ("table.column").
type Loss struct {
	What string
	Rows int64
}

// DataLossError is Down's refusal: rolling back Group would delete Losses.
type DataLossError struct {
	Group  string
	Losses []Loss
}

func (e *DataLossError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rolling back %s would delete", e.Group)
	for i, l := range e.Losses {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, " %s (%d rows)", l.What, l.Rows)
	}
	b.WriteString("; nothing was changed")
	return b.String()
}

// Names lists what would be lost, as Down's dropData takes it.
func (e *DataLossError) Names() []string {
	out := make([]string, len(e.Losses))
	for i, l := range e.Losses {
		out[i] = l.What
	}
	return out
}

// Statements of down migrations that throw data away. A rollback that
// only drops indexes, constraints or functions loses nothing.
var (
	dropTable  = regexp.MustCompile(`(?is)^drop\s+table\s+(?:if\s+exists\s+)?(.+?)(?:\s+(?:cascade|restrict))?$`)
	alterTable = regexp.MustCompile(`(?is)^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(\S+)\s+(.+)$`)
	dropColumn = regexp.MustCompile(`(?is)^drop\s+(?:column\s+)?(?:if\s+exists\s+)?(\S+)`)
	comment    = regexp.MustCompile(`--[^\n]*`)
)

// dataLost finds the tables and columns the down migrations of ms drop
// and how many rows of data each holds now.
func dataLost(ctx context.Context, db *bun.DB, ms migrate.MigrationSlice) ([]Loss, error) {
	var losses []Loss
	seen := map[string]bool{}
	for _, m := range ms {
		sql, err := downSQL(m)
		if err != nil {
			return nil, err
		}
		for _, stmt := range strings.Split(comment.ReplaceAllString(sql, ""), ";") {
			stmt = strings.TrimSpace(stmt)
			var targets []string // "table" or "table.column"
			if g := dropTable.FindStringSubmatch(stmt); g != nil {
				for _, t := range strings.Split(g[1], ",") {
					targets = append(targets, ident(t))
				}
			} else if g := alterTable.FindStringSubmatch(stmt); g != nil {
				for _, action := range strings.Split(g[2], ",") {
					action = strings.TrimSpace(action)
					if c := dropColumn.FindStringSubmatch(action); c != nil && !strings.EqualFold(c[1], "constraint") {
						targets = append(targets, ident(g[1])+"."+ident(c[1]))
					}
				}
			}
			for _, t := range targets {
				if seen[t] {
					continue
				}
				seen[t] = true
				n, err := rowsIn(ctx, db, t)
				if err != nil {
					return nil, fmt.Errorf("migrations: down: count %s: %w", t, err)
				}
				if n > 0 {
					losses = append(losses, Loss{What: t, Rows: n})
				}
			}
		}
	}
	return losses, nil
}

// downSQL is the text of a migration's down file.
func downSQL(m migrate.Migration) (string, error) {
	names, err := fs.Glob(files, m.Name+"_*.down.sql")
	if err != nil || len(names) == 0 {
		return "", fmt.Errorf("migrations: down: no down file for %s", m)
	}
	b, err := files.ReadFile(names[0])
	if err != nil {
		return "", fmt.Errorf("migrations: down: %w", err)
	}
	return string(b), nil
}

// ident turns a name as written in SQL into its plain lowercase form.
func ident(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.ToLower(s), "public.")
	return strings.Trim(s, `"`)
}

// rowsIn counts the rows of a table, or the non-null values of a column,
// that exist now; a table or column not there holds nothing.
func rowsIn(ctx context.Context, db *bun.DB, target string) (int64, error) {
	table, column, isColumn := strings.Cut(target, ".")
	var exists bool
	var err error
	if isColumn {
		// A generated column holds nothing its table's other columns
		// don't: dropping it loses no data.
		err = db.NewRaw(`SELECT EXISTS (SELECT 1 FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?
				AND is_generated = 'NEVER')`, table, column).Scan(ctx, &exists)
	} else {
		err = db.NewRaw(`SELECT to_regclass(?) IS NOT NULL`, table).Scan(ctx, &exists)
	}
	if err != nil || !exists {
		return 0, err
	}
	var n int64
	if isColumn {
		err = db.NewRaw(`SELECT count(?) FROM ?`, bun.Ident(column), bun.Ident(table)).Scan(ctx, &n)
	} else {
		err = db.NewRaw(`SELECT count(*) FROM ?`, bun.Ident(table)).Scan(ctx, &n)
	}
	return n, err
}

func withLock(ctx context.Context, db *bun.DB, what string, run func(*migrate.Migrator) (*migrate.MigrationGroup, error)) (*migrate.MigrationGroup, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: %s: connect: %w", what, err)
	}
	defer conn.Close()
	// Waiting for another process's migrations takes as long as they do.
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0; SET lock_timeout = 0"); err != nil {
		return nil, fmt.Errorf("migrations: %s: %w", what, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "RESET statement_timeout; RESET lock_timeout") //nolint:errcheck // the session default comes back when it closes too
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", lockKey); err != nil {
		return nil, fmt.Errorf("migrations: %s: lock: %w", what, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", lockKey) //nolint:errcheck // closing the connection releases it too

	migrator, err := NewMigrator(ctx, db)
	if err != nil {
		return nil, err
	}
	group, err := run(migrator)
	if err != nil {
		return group, fmt.Errorf("migrations: %s: %w", what, err)
	}
	return group, nil
}
