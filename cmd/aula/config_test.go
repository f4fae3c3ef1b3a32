package main

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/postgres"
)

// TestConfigDefaults: with nothing set, every value has the default the
// README's table gives.
func TestConfigDefaults(t *testing.T) {
	cfg := withConfig(t)
	for name, ok := range map[string]bool{
		"addr":              cfg.Addr == "127.0.0.1:8080",
		"base URL":          cfg.BaseURL == "http://127.0.0.1:8080",
		"database":          cfg.DatabaseURL == DefaultDatabaseURL,
		"data dir":          cfg.DataDir == "var/data",
		"upload max":        cfg.UploadMaxBytes == 20<<20,
		"demo":              !cfg.Demo,
		"time zone":         cfg.Location.String() == "UTC",
		"shutdown drain":    cfg.ShutdownDrain == 5*time.Second,
		"shutdown timeout":  cfg.ShutdownTimeout == time.Minute,
		"db max conns":      cfg.Pool.MaxConns == postgres.DefaultMaxConns,
		"db conn wait":      cfg.Pool.ConnWait == 2*time.Second,
		"statement timeout": cfg.Pool.StatementTimeout == 10*time.Second,
		"lock timeout":      cfg.Pool.LockTimeout == 3*time.Second,
		"prepared":          !cfg.Pool.Unprepared,
	} {
		if !ok {
			t.Errorf("default %s is not the README's", name)
		}
	}
}

// TestConfigValues: values are read, and 0 turns a database timeout off.
func TestConfigValues(t *testing.T) {
	cfg := withConfig(t,
		"AULA_ADDR", "0.0.0.0:9000", "AULA_BASE_URL", "https://aula.example.org/",
		"AULA_UPLOAD_MAX_MB", "50", "AULA_TIMEZONE", "America/Lima", "AULA_DEMO", "true",
		"AULA_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2", "AULA_SHUTDOWN_DRAIN", "0s", "AULA_SHUTDOWN_TIMEOUT", "5m",
		"AULA_DB_MAX_CONNS", "40", "AULA_DB_CONN_WAIT", "500ms", "AULA_DB_STATEMENT_TIMEOUT", "0", "AULA_DB_LOCK_TIMEOUT", "1s",
		"AULA_DB_PREPARE", "false",
	)
	if cfg.BaseURL != "https://aula.example.org" || cfg.UploadMaxBytes != 50<<20 || cfg.Location.String() != "America/Lima" || !cfg.Demo ||
		strings.Join(cfg.TrustedProxies, "|") != "10.0.0.1|10.0.0.2" || cfg.ShutdownDrain != 0 || cfg.ShutdownTimeout != 5*time.Minute ||
		cfg.Pool.MaxConns != 40 || cfg.Pool.ConnWait != 500*time.Millisecond || cfg.Pool.StatementTimeout >= 0 || cfg.Pool.LockTimeout != time.Second || !cfg.Pool.Unprepared {
		t.Errorf("config read as %+v", cfg)
	}
}

// TestConfigRefusesBadValues: a bad setting stops the binary with a
// message naming the variable.
func TestConfigRefusesBadValues(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"AULA_BASE_URL", "aula.example.org"},
		{"AULA_LOG_FORMAT", "xml"},
		{"AULA_LOG_LEVEL", "loud"},
		{"AULA_UPLOAD_MAX_MB", "0"},
		{"AULA_DEMO", "sometimes"},
		{"AULA_TIMEZONE", "Mars/Olympus"},
		{"AULA_SECRET", "short"},
		{"AULA_SHUTDOWN_DRAIN", "five"},
		{"AULA_SHUTDOWN_TIMEOUT", "0s"},
		{"AULA_DB_MAX_CONNS", "1"},
		{"AULA_DB_CONN_WAIT", "0"},
		{"AULA_DB_STATEMENT_TIMEOUT", "-1s"},
		{"AULA_DB_LOCK_TIMEOUT", "3"},
		{"AULA_DB_PREPARE", "sometimes"},
		{"AULA_PPROF", "yes"},
		{"AULA_PPROF", "1"}, // without AULA_METRICS_ADDR: never on the public address
	} {
		t.Run(tc.name, func(t *testing.T) {
			withConfig(t)
			t.Setenv(tc.name, tc.value)
			_, err := loadConfig()
			if err == nil || !strings.Contains(err.Error(), tc.name) {
				t.Errorf("%s=%q: %v, want an error naming %s", tc.name, tc.value, err, tc.name)
			}
		})
	}
	withConfig(t)
	t.Setenv("AULA_ADMIN_EMAIL", "ana@ilss.example")
	if _, err := loadConfig(); err == nil {
		t.Error("AULA_ADMIN_EMAIL without AULA_ADMIN_PASSWORD accepted")
	}
}

// TestCommandLine: unknown commands and arguments are usage errors (exit
// 2 with the usage), version and help work without a database.
func TestCommandLine(t *testing.T) {
	env := testEnv(t, "postgres://postgres@127.0.0.1:1/none?sslmode=disable", t.TempDir())
	for _, args := range [][]string{{}, {"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"migrate", "up", "-drop-data", "users"}, {"seed", "everything"}, {"user", "delete"}} {
		out, err := runAula(t, env, args...)
		if code := exitCode(err); code != 2 || !strings.Contains(out, "usage: aula") {
			t.Errorf("aula %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	out, err := runAula(t, env, "version")
	if err != nil || !strings.HasPrefix(out, "aula ") {
		t.Errorf("aula version: %v\n%s", err, out)
	}
	// A database nobody answers on: a clear message, exit 1.
	out, err = runAula(t, env, "migrate", "status")
	if code := exitCode(err); code != 1 || !strings.Contains(out, "connect to postgres://postgres@127.0.0.1:1/none") {
		t.Errorf("aula migrate status with no database: exit %d\n%s", code, out)
	}
}

// exitCode is the status a process run by runAula exited with.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}
