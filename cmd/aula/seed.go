package main

import (
	"context"
	"errors"
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

// seedCmd is `aula seed demo`: load the demo institutions, users,
// courses, library, events, forums and exchange (running it again changes
// nothing), or `aula seed scale`.
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
	var report *demoReport
	err = withSetupLock(ctx, db, func() (err error) {
		// The demo acts as an admin for the library and the exchange: the
		// one serve would create, made here if there is none yet.
		if err := ensureAdmin(ctx, db, svc.Accounts, cfg, newLogger(cfg)); err != nil {
			return err
		}
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

// demoReport is what seedDemo created: the courses' report and the
// counts of the other parts.
type demoReport struct {
	*courses.DemoReport
	Quizzes, Items, Events, Topics, Exchanges int
}

// Empty reports whether seedDemo found everything in place.
func (r *demoReport) Empty() bool {
	return r.DemoReport.Empty() && r.Quizzes+r.Items+r.Events+r.Topics+r.Exchanges == 0
}

// seedDemo loads the demo content, with a final quiz in each course, the
// library's items, events, forum topics and an exchange, and prints what
// it created, with the demo users' passwords: shown this once, as only
// their hashes are kept. It needs an enabled admin, who catalogues the
// library and opens the exchange (serve and `seed demo` make one first).
func seedDemo(ctx context.Context, svc *wiring.Services, baseURL string) (*demoReport, error) {
	admin, err := demoAdmin(ctx, svc)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	courseReport, err := svc.Courses.SeedDemo(ctx, svc.Accounts, assets.Demo)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	report := &demoReport{DemoReport: courseReport}
	users := accounts.NewStore(svc.Courses.DB())
	teacher, err := users.UserByEmail(ctx, courses.DemoTeacherEmail)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	learner, err := users.UserByEmail(ctx, courses.DemoLearnerEmail)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Quizzes, err = svc.Assessment.SeedDemo(ctx, courses.ActorFor(teacher)); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Items, err = svc.Library.SeedDemo(ctx, admin); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Events, err = svc.Events.SeedDemo(ctx, courses.ActorFor(teacher), courses.ActorFor(learner)); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Topics, err = svc.Community.SeedDemo(ctx, courses.ActorFor(teacher), courses.ActorFor(learner)); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Exchanges, err = svc.Exchange.SeedDemo(ctx, courses.ActorFor(admin), teacher, learner); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if report.Empty() {
		return report, nil
	}
	exchanges := "exchanges"
	if report.Exchanges == 1 {
		exchanges = "exchange"
	}
	fmt.Printf("\n  Demo content loaded: %d institutions, %d courses, %d quizzes, %d library items, %d events, %d forum topics, %d %s.\n",
		report.Institutions, len(report.Courses), report.Quizzes, report.Items, report.Events, report.Topics, report.Exchanges, exchanges)
	for _, title := range report.Courses {
		fmt.Printf("    course: %s\n", title)
	}
	if len(report.Accounts) > 0 {
		fmt.Println("  Demo users (passwords shown only this once):")
		for _, a := range report.Accounts {
			fmt.Printf("    %-10s %-26s password: %s   (%s)\n", a.Role, a.Email, a.Password, a.Name)
		}
	}
	fmt.Printf("  Catalogue: %s/courses   Library: %s/library   Events: %s/events\n\n", baseURL, baseURL, baseURL)
	return report, nil
}

// demoAdmin is the admin the demo acts as where only an admin may: the
// first enabled one.
func demoAdmin(ctx context.Context, svc *wiring.Services) (*accounts.User, error) {
	admins, _, err := svc.Accounts.Users(ctx, accounts.UserFilter{Role: accounts.RoleAdmin, Limit: 100})
	if err != nil {
		return nil, err
	}
	for i := range admins {
		if !admins[i].Disabled {
			return &admins[i], nil
		}
	}
	return nil, errors.New("no enabled administrator to catalogue the library and open the exchange")
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
