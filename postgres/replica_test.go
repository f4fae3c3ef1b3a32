package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/postgres/pgtest"
)

// countRows reads how many rows the report table has on db.
func countRows(t *testing.T, db bun.IDB) int {
	t.Helper()
	var n int
	if err := db.NewRaw("SELECT count(*) FROM report_rows").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestReplicaServesReportsWhileItKeepsUp runs against a real streaming
// replica made with pg_basebackup: reports read the replica while it is
// caught up, the primary while it lags beyond the bound (replay paused)
// and again the replica once it catches up; when it goes down in the
// middle of a read, that read is answered from the primary.
func TestReplicaServesReportsWhileItKeepsUp(t *testing.T) {
	ctx := context.Background()
	primaryCluster := pgtest.StartPrimary(t)
	replicaCluster := primaryCluster.StartReplica(t)
	primary := postgres.Open(primaryCluster.URL("postgres"), postgres.Options{})
	defer primary.Close()
	replica := postgres.Open(replicaCluster.URL("postgres"), postgres.Options{})
	defer replica.Close()
	if _, err := primary.ExecContext(ctx, "CREATE TABLE report_rows (id serial PRIMARY KEY, learner text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := primary.ExecContext(ctx, "INSERT INTO report_rows (learner) VALUES ('João Conceição')"); err != nil {
		t.Fatal(err)
	}
	r := postgres.NewReplica(primary, replica, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))

	waitFor(t, "the replica has the first row and is read", 15*time.Second, func() bool {
		var n int
		err := replica.NewRaw("SELECT count(*) FROM report_rows").Scan(ctx, &n)
		return err == nil && n == 1 && r.Using(ctx)
	})
	if r.DB(ctx) != bun.IDB(replica) {
		t.Fatal("a caught-up replica is not read")
	}
	if lag, ok := r.Lag(); !ok || lag != 0 {
		t.Errorf("lag of a caught-up replica = %s, %v", lag, ok)
	}

	// Replay paused: the replica falls behind the primary's new rows.
	if _, err := replica.ExecContext(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	if _, err := primary.ExecContext(ctx, "INSERT INTO report_rows (learner) VALUES ('Lucía Peña')"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a lagging replica is left aside", 15*time.Second, func() bool { return !r.Using(ctx) })
	if lag, ok := r.Lag(); !ok || lag <= time.Second {
		t.Errorf("lag while replay is paused = %s, %v; want over 1s", lag, ok)
	}
	err := r.Read(ctx, func(db bun.IDB) error {
		if n := countRows(t, db); n != 2 {
			t.Errorf("report read %d rows while the replica lags, want the primary's 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Caught up again: back to the replica.
	if _, err := replica.ExecContext(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a replica that caught up is read again", 15*time.Second, func() bool { return r.Using(ctx) })
	if n := countRows(t, r.DB(ctx)); n != 2 {
		t.Errorf("replica has %d rows after catching up, want 2", n)
	}

	// Down in the middle of a report: that read goes to the primary.
	tries := 0
	err = r.Read(ctx, func(db bun.IDB) error {
		tries++
		if tries == 1 {
			replicaCluster.Stop()
		}
		var n int
		if err := db.NewRaw("SELECT count(*) FROM report_rows").Scan(ctx, &n); err != nil {
			return err
		}
		if n != 2 {
			t.Errorf("report read %d rows, want 2", n)
		}
		return nil
	})
	if err != nil || tries != 2 {
		t.Fatalf("read with the replica going down: %v after %d tries, want the primary's answer on the 2nd", err, tries)
	}
	if r.Using(ctx) {
		t.Error("a replica that is down is still read")
	}
	if _, ok := r.Lag(); ok {
		t.Error("a replica that is down has a lag")
	}
}

// TestNoReplicaReadsThePrimary: without a replica every read goes to the
// primary, and a nil Replica is the same.
func TestNoReplicaReadsThePrimary(t *testing.T) {
	primary := open(t, postgres.Options{})
	r := postgres.NewReplica(primary, nil, 0, nil)
	if r.DB(context.Background()) != bun.IDB(primary) || r.Using(context.Background()) {
		t.Error("without a replica, reads do not go to the primary")
	}
	var none *postgres.Replica
	if none.Using(context.Background()) {
		t.Error("a nil Replica reads a replica")
	}
}
