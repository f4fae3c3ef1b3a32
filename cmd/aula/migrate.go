package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aula-platform/aula/migrations"
)

func migrateCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	fs := flag.NewFlagSet("migrate "+args[0], flag.ContinueOnError)
	var dropData string
	if args[0] == "down" {
		fs.StringVar(&dropData, "drop-data", "", "comma-separated tables (and table.column) whose data the rollback may delete")
	}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pool)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "up":
		group, err := migrateUp(ctx, cfg.DatabaseURL, cfg.Pool)
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Println("no pending migrations")
			return nil
		}
		fmt.Printf("applied %s\n", group)
	case "down":
		var names []string
		if dropData != "" {
			names = strings.Split(dropData, ",")
		}
		group, err := migrations.Down(ctx, db, names...)
		var loss *migrations.DataLossError
		if errors.As(err, &loss) {
			return fmt.Errorf("migrate down: %w.\nBack up the database first; to delete this data, run:\n  aula migrate down -drop-data %s", loss, strings.Join(loss.Names(), ","))
		}
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Println("nothing to roll back")
			return nil
		}
		fmt.Printf("rolled back %s\n", group)
	case "status":
		migrator, err := migrations.NewMigrator(ctx, db)
		if err != nil {
			return err
		}
		ms, err := migrator.MigrationsWithStatus(ctx)
		if err != nil {
			return fmt.Errorf("migration status: %w", err)
		}
		for _, m := range ms {
			state := "pending"
			if m.IsApplied() {
				state = fmt.Sprintf("applied (group %d, %s)", m.GroupID, m.MigratedAt.Format("2006-01-02 15:04"))
			}
			fmt.Printf("%s_%s\t%s\n", m.Name, m.Comment, state)
		}
	default:
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	return nil
}
