package main

// CPU time per request: the figure that holds up on a shared machine,
// where requests per second move with whatever else runs. It is the CPU
// the server process and its PostgreSQL backends spent over a figure,
// divided by the requests made, both read from /proc (Linux; the
// benchmark runs on the same machine as the server and PostgreSQL).

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// cpuMeter reads the CPU time of the server and of the backends serving
// its database.
type cpuMeter struct {
	pid int
	db  *sql.DB
}

// cpuSample is the CPU spent so far by each process, and by this one.
type cpuSample struct {
	server   time.Duration
	backends map[int]time.Duration
	self     time.Duration
	sessions int64 // connections the database has had (pg_stat_database)
}

func newCPUMeter(pid int, dsn string) *cpuMeter {
	if pid == 0 || dsn == "" {
		return nil
	}
	return &cpuMeter{pid: pid, db: sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))}
}

func (m *cpuMeter) sample() cpuSample {
	s := cpuSample{server: procCPU(m.pid), backends: map[int]time.Duration{}}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	ctx := context.Background()
	if err := m.db.QueryRowContext(ctx, `SELECT sessions FROM pg_stat_database WHERE datname = current_database()`).Scan(&s.sessions); err != nil {
		fmt.Fprintln(os.Stderr, "bench: sessions:", err)
	}
	rows, err := m.db.QueryContext(ctx,
		`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: backends:", err)
		return s
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			s.backends[pid] = procCPU(pid)
		}
	}
	return s
}

// cpuUse is what a figure cost: the server's and its backends' CPU, the
// load generator's, and how many backends ended during it (their CPU is
// lost, so the figure is a floor when gone > 0), and how many
// connections the server opened (each a new backend, which PostgreSQL
// forks and whose caches start cold).
type cpuUse struct {
	server, backends, self time.Duration
	gone                   int
	opened                 int64
}

func (m *cpuMeter) since(a cpuSample) cpuUse {
	b := m.sample()
	// This meter's own connection is one of the sessions: it was open at a.
	u := cpuUse{server: b.server - a.server, self: b.self - a.self, opened: b.sessions - a.sessions}
	for pid, t := range b.backends {
		u.backends += t - a.backends[pid] // a backend new since a started from 0
	}
	for pid := range a.backends {
		if _, ok := b.backends[pid]; !ok {
			u.gone++
		}
	}
	return u
}

// procCPU is the user and system time of process pid, from /proc.
func procCPU(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command may hold spaces: the fields follow its closing parenthesis.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is USER_HZ, 100 on every Linux Aula runs on.
const clockTicks = 100

// cpuColumn is the table cell of u over n requests.
func cpuColumn(u cpuUse, n int64) string {
	if n == 0 {
		return ""
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	s := fmt.Sprintf("%.3f ms (server %.3f + PostgreSQL %.3f; client %.3f)", per(u.server+u.backends), per(u.server), per(u.backends), per(u.self))
	if u.opened > 0 || u.gone > 0 {
		s += fmt.Sprintf("; %d connections opened, %d closed (their CPU not counted)", u.opened, u.gone)
	}
	return s
}
