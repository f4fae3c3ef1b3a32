package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

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
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pool)
	if err != nil {
		return err
	}
	defer db.Close()
	services, err := newServices(ctx, db, cfg, newLogger(cfg))
	if err != nil {
		return err
	}
	svc := services.Certificates
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
