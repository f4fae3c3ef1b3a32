package main

import (
	"context"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// TestHousekeepingRunsAtStart: expired sessions go when the process
// starts, not an hour later (a process restarted more often never swept).
func TestHousekeepingRunsAtStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, dsn := openNewDatabase(t)
	cfg := withConfig(t, "AULA_DATABASE_URL", dsn, "AULA_DATA_DIR", t.TempDir())
	svc, err := newServices(ctx, db, cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.Accounts.CreateUser(ctx, accounts.CreateUserParams{Email: "joao@example.org", Name: "João Conceição", Password: "a long enough password", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	store := accounts.NewStore(db)
	if err := store.InsertSession(ctx, &accounts.Session{TokenHash: []byte("expired"), UserID: u.ID, ExpiresAt: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { housekeeping(ctx, svc, discard, time.Hour); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := db.NewSelect().Model((*accounts.Session)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired session is still there 10 s after start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
}

// TestTwoProcessesStartOnANewInstall: two `aula serve` started together
// on a database that does not exist yet (a new install behind a load
// balancer) both come up, and the demo content is there once.
func TestTwoProcessesStartOnANewInstall(t *testing.T) {
	for round := range 3 { // the race is lost only sometimes
		dsn, data := newDatabaseURL(t), t.TempDir()
		a := serveAt(t, dsn, data, "AULA_DEMO=1")
		b := serveAt(t, dsn, data, "AULA_DEMO=1")
		a.waitReady(t)
		b.waitReady(t)
		for _, p := range []*process{a, b} {
			if err := p.stop(t); err != nil {
				t.Fatalf("round %d: %v\n%s", round, err, p.out)
			}
		}
		db, err := openDB(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		var courses, admins int
		if err := db.NewRaw("SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM users WHERE role = 'admin')").Scan(context.Background(), &courses, &admins); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if courses != 3 || admins != 1 {
			t.Errorf("round %d: %d courses and %d admins after two starts, want the demo's 3 and one admin", round, courses, admins)
		}
	}
}
