package reports_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/postgres/pgtest"
	"github.com/aula-platform/aula/reports"
	"github.com/aula-platform/aula/wiring"
)

// countHook counts the statements a database runs.
type countHook struct{ n atomic.Int64 }

func (h *countHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (h *countHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if e.Err == nil {
		h.n.Add(1)
	}
}

// TestReportsReadTheReplica runs the reports on a real streaming replica
// (pg_basebackup): the network report, the dashboard and the gradebook
// run their statements on the replica, not the primary; once the replica
// is stopped they still answer, from the primary.
func TestReportsReadTheReplica(t *testing.T) {
	ctx := context.Background()
	primaryCluster := pgtest.StartPrimary(t)
	replicaCluster := primaryCluster.StartReplica(t)
	primary := postgres.Open(primaryCluster.URL("postgres"), postgres.Options{})
	defer primary.Close()
	replica := postgres.Open(replicaCluster.URL("postgres"), postgres.Options{})
	defer replica.Close()
	if _, err := migrations.Up(ctx, primary); err != nil {
		t.Fatal(err)
	}
	// The replica's lag is measured in time, and a minute is allowed: on a
	// loaded machine it can still be replaying the migrations when it
	// counts as fresh. The reports need its tables, so wait for the WAL
	// the migrations wrote.
	var migrated string
	if err := primary.NewRaw(`SELECT pg_current_wal_lsn()::text`).Scan(ctx, &migrated); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the replica replays the migrations", 60*time.Second, func() bool {
		var ok bool
		err := replica.NewRaw(`SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)`, migrated).Scan(ctx, &ok)
		return err == nil && ok
	})
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(primary, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Replica: replica,
		ReplicaMaxLag: time.Minute, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Accounts.CreateUser(ctx, accounts.CreateUserParams{Email: "ines@aula.test", Name: "Inês Conceição", Role: accounts.RoleAdmin, Locale: "pt-PT"})
	if err != nil {
		t.Fatal(err)
	}
	actor := courses.ActorFor(admin)
	course, err := svc.Courses.CreateCourse(ctx, actor, courses.CourseParams{Title: "Protección social", Summary: "Curso.", Language: "es", WorkloadHours: 8})
	if err != nil {
		t.Fatal(err)
	}
	onPrimary, onReplica := &countHook{}, &countHook{}
	primary.AddQueryHook(onPrimary)
	replica.AddQueryHook(onReplica)
	waitFor(t, "the replica is read", 20*time.Second, func() bool { return svc.ReportReads.Using(ctx) })

	read := func() {
		t.Helper()
		if _, err := svc.Reports.Network(ctx, actor, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reports.Dashboard(ctx, actor); err != nil {
			t.Fatal(err)
		}
	}
	p0, r0 := onPrimary.n.Load(), onReplica.n.Load()
	read()
	// The replica's chooser asks the primary its position now and then
	// (one statement); the report's own statements are the replica's.
	if got := onReplica.n.Load() - r0; got < 3 {
		t.Errorf("replica ran %d statements for the network report and the dashboard, want them all (≥ 3)", got)
	}
	if got := onPrimary.n.Load() - p0; got > 1 {
		t.Errorf("primary ran %d statements of the reports", got)
	}
	// The gradebook (checked on the primary: who may see the course)
	// reads its rows from the replica too.
	r0 = onReplica.n.Load()
	if _, err := svc.Reports.Gradebook(ctx, actor, reports.GradebookQuery{CourseID: course.ID}); err != nil {
		t.Fatal(err)
	}
	if onReplica.n.Load() == r0 {
		t.Error("the gradebook read nothing from the replica")
	}

	replicaCluster.Stop()
	p0 = onPrimary.n.Load()
	read()
	if onPrimary.n.Load()-p0 < 3 {
		t.Errorf("with the replica down the reports ran %d statements on the primary", onPrimary.n.Load()-p0)
	}
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
