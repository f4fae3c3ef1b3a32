package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
)

func userCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "learner", "learner, instructor or admin")
	institution := fs.String("institution", "", "acronym of the user's institution")
	password := fs.String("password", "", "password (at least 10 characters; generated and printed when empty)")
	locale := fs.String("locale", locales.Fallback, strings.Join(locales.UI, ", "))
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *email == "" || *name == "" || !strings.Contains(*email, "@") {
		return errors.New("user create: -email and -name are required")
	}
	if !accounts.Role(*role).Valid() {
		return fmt.Errorf("user create: -role must be learner, instructor or admin, not %q", *role)
	}
	if locales.Canonical(*locale) == "" {
		return fmt.Errorf("user create: -locale must be one of %s, not %q", strings.Join(locales.UI, ", "), *locale)
	}
	generated := *password == ""
	if generated {
		secret, err := accounts.NewSecret()
		if err != nil {
			return err
		}
		*password = secret[:16]
	} else if len(*password) < accounts.MinPasswordLength {
		return fmt.Errorf("user create: -password must have at least %d characters", accounts.MinPasswordLength)
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
	var instID *int64
	if *institution != "" {
		found, err := accounts.NewStore(db).InstitutionsByAcronym(ctx, []string{*institution})
		if err != nil {
			return err
		}
		inst, ok := found[strings.ToLower(*institution)]
		if !ok {
			return fmt.Errorf("user create: no institution with acronym %q", *institution)
		}
		instID = &inst.ID
	}
	svc := accounts.NewService(db, nil)
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{
		Email: *email, Name: *name, Password: *password, Role: accounts.Role(*role), InstitutionID: instID, Locale: *locale,
	})
	if errors.Is(err, accounts.ErrEmailTaken) {
		return fmt.Errorf("user create: a user with email %s exists already", *email)
	}
	if err != nil {
		return err
	}
	fmt.Printf("created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	if generated {
		fmt.Printf("password: %s\n", *password)
	}
	return nil
}
