package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/seedscale"
	"github.com/aula-platform/aula/wiring"
)

// seedCmd is `aula seed demo`: load the demo institutions, users and
// courses (running it again changes nothing), or `aula seed scale`.
func seedCmd(ctx context.Context, args []string) error {
	if len(args) >= 1 && args[0] == "scale" {
		return seedScaleCmd(ctx, args[1:])
	}
	if len(args) != 1 || args[0] != "demo" {
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
	if _, err := migrateUp(ctx, cfg.DatabaseURL, cfg.Pool); err != nil {
		return err
	}
	svc, err := newServices(ctx, db, cfg, newLogger(cfg))
	if err != nil {
		return err
	}
	var report *courses.DemoReport
	err = withSetupLock(ctx, db, func() (err error) {
		report, err = seedDemo(ctx, svc, cfg.BaseURL)
		return err
	})
	if err != nil {
		return err
	}
	if report.Empty() {
		fmt.Println("The demo content is already there; nothing to do.")
	}
	return nil
}

// seedDemo loads the demo content, with a final quiz in each course, and
// prints what it created, with the demo users' passwords: shown this once,
// as only their hashes are kept.
func seedDemo(ctx context.Context, svc *wiring.Services, baseURL string) (*courses.DemoReport, error) {
	report, err := svc.Courses.SeedDemo(ctx, svc.Accounts, assets.Demo)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	teacher, err := accounts.NewStore(svc.Courses.DB()).UserByEmail(ctx, courses.DemoTeacherEmail)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	quizzes, err := svc.Assessment.SeedDemo(ctx, courses.ActorFor(teacher))
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Empty() && quizzes == 0 {
		return report, nil
	}
	fmt.Printf("\n  Demo content loaded: %d institutions, %d courses, %d quizzes.\n", report.Institutions, len(report.Courses), quizzes)
	for _, title := range report.Courses {
		fmt.Printf("    course: %s\n", title)
	}
	if len(report.Accounts) > 0 {
		fmt.Println("  Demo users (passwords shown only this once):")
		for _, a := range report.Accounts {
			fmt.Printf("    %-10s %-26s password: %s   (%s)\n", a.Role, a.Email, a.Password, a.Name)
		}
	}
	fmt.Printf("  Catalogue: %s/courses\n\n", baseURL)
	return report, nil
}

// newDatabase reports whether the database holds no user and no course
// yet: the first start of a new installation, which gets the demo content.
func newDatabase(ctx context.Context, db *bun.DB) (bool, error) {
	for _, model := range []any{(*accounts.User)(nil), (*courses.Course)(nil)} {
		exists, err := db.NewSelect().Model(model).Exists(ctx)
		if err != nil || exists {
			return false, err
		}
	}
	return true, nil
}

// seedScaleCmd is `aula seed scale`: a benchmark installation at scale
// (package seedscale), on an empty database unless -yes.
func seedScaleCmd(ctx context.Context, args []string) error {
	o := seedscale.Defaults
	fs := flag.NewFlagSet("seed scale", flag.ContinueOnError)
	fs.IntVar(&o.Learners, "learners", o.Learners, "learners")
	fs.IntVar(&o.Institutions, "institutions", o.Institutions, "institutions (over 20 countries)")
	fs.IntVar(&o.Courses, "courses", o.Courses, "published courses (es, pt, en), five modules and two quizzes each")
	fs.IntVar(&o.Attempts, "attempts", o.Attempts, "quiz attempts, about")
	fs.IntVar(&o.Items, "items", o.Items, "library items")
	fs.IntVar(&o.Events, "events", o.Events, "closed events with participation certificates")
	fs.IntVar(&o.PerLearner, "per-learner", o.PerLearner, "courses each learner is enrolled in besides the big one")
	fs.BoolVar(&o.Yes, "yes", false, "seed even though the database already has users (never a real installation)")
	marker := fs.Bool("marker", false, "print the marker of this seeding (what COMMENT ON DATABASE keeps) and exit")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	if *marker {
		// The benchmark compares it with its database's comment, to seed
		// only a database missing this seeding.
		fmt.Println(o.Marker())
		return nil
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	// A million attempts is one statement of a minute or more: the
	// migrations' pool, without the statement timeout (which also sets
	// the driver's read timeout) or the lock timeout, so the closing
	// VACUUM waits for autovacuum's table locks as long as it must rather
	// than failing a finished seeding. Its two connections are the setup
	// lock's and the seeding transaction's.
	db, err := openDB(ctx, cfg.DatabaseURL, migrationPool(cfg.Pool))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := migrations.Up(ctx, db); err != nil {
		return err
	}
	fmt.Printf("Seeding at scale (%s):\n", o.Marker())
	var r *seedscale.Report
	err = withSetupLock(ctx, db, func() (err error) {
		r, err = seedscale.Run(ctx, db, o, os.Stdout)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("  big course %d, big quiz %d\n", r.BigCourseID, r.BigQuizID)
	return nil
}
