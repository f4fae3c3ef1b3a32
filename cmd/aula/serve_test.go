package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/postgres"
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
		db, err := openDB(context.Background(), dsn, postgres.Options{})
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

// TestShutdownDrainsThenFinishesRequests: on SIGTERM the process first
// says not ready while it still serves (the load balancer moves away),
// then closes its listener and lets a request in flight finish.
func TestShutdownDrainsThenFinishesRequests(t *testing.T) {
	_, dsn := openNewDatabase(t)
	p := serveAt(t, dsn, t.TempDir(), "AULA_SHUTDOWN_DRAIN=2s", "AULA_SHUTDOWN_TIMEOUT=30s")
	p.waitReady(t)

	// A request in flight: its body arrives slowly, over the signal.
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"joao@example.org","password":"not the password"}`
	fmt.Fprintf(conn, "POST /api/v1/tokens HTTP/1.1\r\nHost: aula.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	for path, want := range map[string]int{"/readyz": http.StatusServiceUnavailable, "/healthz": http.StatusOK} {
		res, err := http.Get("http://" + p.addr + path)
		if err != nil {
			t.Fatalf("%s while draining: %v (the listener closed at once)", path, err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s while draining: %d, want %d", path, res.StatusCode, want)
		}
	}
	time.Sleep(3 * time.Second) // past the drain: the listener is closed now
	if c, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
		c.Close()
		t.Error("still accepting connections after the drain period")
	}
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatalf("the request in flight was cut: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the request in flight: %d, want 401", res.StatusCode)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("aula serve exited with %v", p.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("aula serve did not stop")
	}
}
