package wiring

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/postgres"
)

// DefaultReplicaMaxLag is the read replica's bound when Options gives none.
const DefaultReplicaMaxLag = postgres.DefaultReplicaMaxLag

// newScaleOut connects what an installation on several machines watches
// and reads from: the metrics (database pools, jobs waiting, certificates
// issued, the replica's lag) and the chooser that sends report reads to
// the replica. New made svc.Metrics and gave it to the queue (each
// finished attempt) and to mail (each message sent or failed).
//
// Reports read through Services.ReportReads, made in New before the
// reports service.
func newScaleOut(db *bun.DB, svc *Services, opts Options) {
	svc.Metrics.DB("primary", db.DB)
	svc.Metrics.QueueDepth(svc.Jobs.Waiting)
	if opts.Replica != nil {
		svc.Metrics.DB("replica", opts.Replica.DB)
		svc.Metrics.Gauge("aula_db_replica_lag_seconds",
			"How far the read replica was behind the primary at its last measure; -1 when down or not a replica.",
			func() float64 {
				// A scrape measures a stale figure itself, so the lag
				// shows even while nobody reads a report.
				svc.ReportReads.Using(context.Background())
				lag, ok := svc.ReportReads.Lag()
				if !ok {
					return -1
				}
				return lag.Seconds()
			})
	}
	svc.Metrics.CertificatesIssued(func(ctx context.Context) (int, error) {
		_, n, err := svc.Certificates.List(ctx, certificates.Filter{Limit: 1})
		return n, err
	})
}

// ReportsDB is where a report or export reads now: the replica while it
// keeps up, else the primary. Prefer Services.ReportReads.Read, which also
// moves a read to the primary when the replica fails during it.
func (s *Services) ReportsDB(ctx context.Context) bun.IDB { return s.ReportReads.DB(ctx) }
