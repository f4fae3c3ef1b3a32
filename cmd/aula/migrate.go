package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aula-platform/aula/migrations"
)

func migrateCmd(ctx context.Context, args []string) error {
	if len(args) != 1 {
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
	switch args[0] {
	case "up":
		group, err := migrations.Up(ctx, db)
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Println("no pending migrations")
			return nil
		}
		fmt.Printf("applied %s\n", group)
	case "down":
		group, err := migrations.Down(ctx, db)
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
