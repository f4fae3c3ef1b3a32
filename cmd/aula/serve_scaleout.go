package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/wiring"
)

// serveMetrics serves /metrics on AULA_METRICS_ADDR when it is set (a
// private interface the monitoring scrapes), reporting a failure to
// listen on errc. The returned func stops it.
func serveMetrics(cfg *config, svc *wiring.Services, log *slog.Logger, errc chan<- error) func() {
	if cfg.MetricsAddr == "" {
		return func() {}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", svc.Metrics.Handler())
	if cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	srv := &http.Server{Addr: cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics on %s: %w", cfg.MetricsAddr, err)
		}
	}()
	log.Info("serving metrics", "addr", cfg.MetricsAddr)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
}

// openReplica opens the pool of AULA_DATABASE_REPLICA_URL, or returns nil.
// It does not connect: a replica that is down at start is measured, found
// down and left aside like one that goes down later.
func openReplica(cfg *config) *bun.DB {
	if cfg.ReplicaURL == "" {
		return nil
	}
	// Reports may read for longer than a page, but the same bounds keep a
	// stuck replica from holding connections.
	return postgres.Open(cfg.ReplicaURL, cfg.Pool)
}
