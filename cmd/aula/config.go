package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/postgres"
)

// DefaultDatabaseURL is the local PostgreSQL that `make run` starts if needed.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/aula?sslmode=disable"

// config is the whole configuration, read from the environment once.
type config struct {
	Addr           string   // AULA_ADDR
	BaseURL        string   // AULA_BASE_URL
	DatabaseURL    string   // AULA_DATABASE_URL
	DataDir        string   // AULA_DATA_DIR
	Secret         []byte   // AULA_SECRET (generated into the data dir when unset)
	secretSource   string   // where Secret came from, for the start-up log
	TrustedProxies []string // AULA_TRUSTED_PROXIES, comma separated
	AdminEmail     string   // AULA_ADMIN_EMAIL
	AdminPassword  string   // AULA_ADMIN_PASSWORD
	// TokenTTL, TokenMaxTTL: AULA_TOKEN_TTL_DAYS, AULA_TOKEN_MAX_TTL_DAYS.
	TokenTTL, TokenMaxTTL time.Duration
	LogFormat             string // AULA_LOG_FORMAT: text or json
	LogLevel              slog.Level
	UploadMaxBytes        int64 // AULA_UPLOAD_MAX_MB
	Demo                  bool  // AULA_DEMO: load demo content into a new, empty database
	// Location (AULA_TIMEZONE, an IANA name such as America/Lima) is the
	// calendar certificates are dated by.
	Location *time.Location
	// ShutdownDrain (AULA_SHUTDOWN_DRAIN) is how long a stopping process
	// keeps serving while /readyz says not ready, so the load balancer
	// stops sending it requests before its listener closes.
	ShutdownDrain time.Duration
	// ShutdownTimeout (AULA_SHUTDOWN_TIMEOUT) is how long requests in
	// flight (a download on a slow link) may take to finish after that.
	ShutdownTimeout time.Duration
	// SMTP is the mail relay (AULA_SMTP_URL); nil keeps mail in the
	// outbox at /admin/mail.
	SMTP *notify.SMTP
	// MailFrom (AULA_MAIL_FROM) is the sender of every message.
	MailFrom string
	// StorageURL (AULA_STORAGE_URL) names the S3 bucket files are kept
	// in (s3://bucket?endpoint=…&region=…); empty: $AULA_DATA_DIR/blobs.
	StorageURL string
	// ReplicaURL (AULA_DATABASE_REPLICA_URL) is a streaming replica that
	// reports and exports read from while it lags at most ReplicaMaxLag
	// (AULA_DATABASE_REPLICA_MAX_LAG); empty: they read the primary.
	ReplicaURL    string
	ReplicaMaxLag time.Duration
	// MetricsAddr (AULA_METRICS_ADDR) is a second address serving only
	// /metrics; empty: /metrics is on the main address, to loopback only.
	MetricsAddr string
	// Pprof (AULA_PPROF=1) adds Go's profiler, /debug/pprof/, to
	// MetricsAddr: it is private, and a profile is how page costs are
	// found (docs/performance.md). Off by default.
	Pprof bool
	// Pool is the database pool: AULA_DB_MAX_CONNS, AULA_DB_CONN_WAIT,
	// AULA_DB_STATEMENT_TIMEOUT and AULA_DB_LOCK_TIMEOUT (0 turns a
	// timeout off).
	Pool postgres.Options
}

func getenv(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

// loadConfig reads the environment and checks it, so a bad setting stops
// the binary with a message naming the variable.
func loadConfig() (*config, error) {
	cfg := &config{
		Addr:          getenv("AULA_ADDR", "127.0.0.1:8080"),
		DatabaseURL:   getenv("AULA_DATABASE_URL", DefaultDatabaseURL),
		DataDir:       getenv("AULA_DATA_DIR", "var/data"),
		AdminEmail:    getenv("AULA_ADMIN_EMAIL", ""),
		AdminPassword: os.Getenv("AULA_ADMIN_PASSWORD"),
		LogFormat:     getenv("AULA_LOG_FORMAT", "text"),
	}
	cfg.BaseURL = strings.TrimRight(getenv("AULA_BASE_URL", "http://"+cfg.Addr), "/")
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("AULA_BASE_URL %q must be an absolute http(s) URL like https://aula.example.org", cfg.BaseURL)
	}
	if _, err := url.Parse(cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("AULA_DATABASE_URL is not a URL: %w", err)
	}
	if err := cfg.loadScaleOut(); err != nil {
		return nil, err
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return nil, fmt.Errorf("AULA_LOG_FORMAT must be text or json, not %q", cfg.LogFormat)
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(getenv("AULA_LOG_LEVEL", "info"))); err != nil {
		return nil, fmt.Errorf("AULA_LOG_LEVEL: %w", err)
	}
	mb, err := strconv.Atoi(getenv("AULA_UPLOAD_MAX_MB", "20"))
	if err != nil || mb < 1 || mb > 2048 {
		return nil, errors.New("AULA_UPLOAD_MAX_MB must be a whole number of megabytes from 1 to 2048")
	}
	cfg.UploadMaxBytes = int64(mb) << 20
	if v := getenv("AULA_TRUSTED_PROXIES", ""); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.TrustedProxies = append(cfg.TrustedProxies, p)
			}
		}
	}
	if v := getenv("AULA_DEMO", "false"); v != "" {
		demo, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("AULA_DEMO must be true or false, not %q", v)
		}
		cfg.Demo = demo
	}
	loc, err := time.LoadLocation(getenv("AULA_TIMEZONE", "UTC"))
	if err != nil {
		return nil, fmt.Errorf("AULA_TIMEZONE must be a time zone name like America/Lima or Europe/Lisbon: %w", err)
	}
	cfg.Location = loc
	if cfg.ShutdownDrain, err = duration("AULA_SHUTDOWN_DRAIN", "5s", 0); err != nil {
		return nil, err
	}
	if cfg.ShutdownTimeout, err = duration("AULA_SHUTDOWN_TIMEOUT", "60s", time.Second); err != nil {
		return nil, err
	}
	conns, err := strconv.Atoi(getenv("AULA_DB_MAX_CONNS", strconv.Itoa(postgres.DefaultMaxConns)))
	if err != nil || conns < 2 || conns > 1000 {
		return nil, errors.New("AULA_DB_MAX_CONNS must be a whole number of connections from 2 to 1000")
	}
	cfg.Pool.MaxConns = conns
	if cfg.Pool.ConnWait, err = duration("AULA_DB_CONN_WAIT", postgres.DefaultConnWait.String(), time.Millisecond); err != nil {
		return nil, err
	}
	if cfg.Pool.StatementTimeout, err = duration("AULA_DB_STATEMENT_TIMEOUT", postgres.DefaultStatementTimeout.String(), 0); err != nil {
		return nil, err
	}
	if cfg.Pool.LockTimeout, err = duration("AULA_DB_LOCK_TIMEOUT", postgres.DefaultLockTimeout.String(), 0); err != nil {
		return nil, err
	}
	if v := getenv("AULA_DB_PREPARE", "true"); v != "" {
		prepare, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("AULA_DB_PREPARE must be true or false, not %q", v)
		}
		cfg.Pool.Unprepared = !prepare
	}
	for _, d := range []*time.Duration{&cfg.Pool.StatementTimeout, &cfg.Pool.LockTimeout} {
		if *d == 0 {
			*d = -1 // off, as the README says; the pool's 0 means its default
		}
	}
	if (cfg.AdminEmail == "") != (cfg.AdminPassword == "") {
		return nil, errors.New("set both AULA_ADMIN_EMAIL and AULA_ADMIN_PASSWORD, or neither")
	}
	// The admin from the environment gets the same password rules as
	// everyone: a weak one stops the start instead of creating an admin
	// anyone could guess.
	if cfg.AdminPassword != "" {
		if err := accounts.ValidatePassword(cfg.AdminPassword, cfg.AdminEmail, adminName); err != nil {
			return nil, fmt.Errorf("AULA_ADMIN_PASSWORD is refused (%w): use at least %d characters that are not a common password, a run like 1234567890 or the admin's email", err, accounts.MinPasswordLength)
		}
	}
	ttl, err := strconv.Atoi(getenv("AULA_TOKEN_TTL_DAYS", "90"))
	maxTTL, maxErr := strconv.Atoi(getenv("AULA_TOKEN_MAX_TTL_DAYS", strconv.Itoa(max(ttl, 365))))
	if err != nil || maxErr != nil || ttl < 1 || maxTTL < ttl || maxTTL > 3650 {
		return nil, errors.New("AULA_TOKEN_TTL_DAYS and AULA_TOKEN_MAX_TTL_DAYS must be whole numbers of days, the default at least 1 and at most the maximum (at most 3650)")
	}
	cfg.TokenTTL, cfg.TokenMaxTTL = time.Duration(ttl)*24*time.Hour, time.Duration(maxTTL)*24*time.Hour
	if err := cfg.loadMail(); err != nil {
		return nil, err
	}
	if s := os.Getenv("AULA_SECRET"); s != "" {
		if len(s) < 32 {
			return nil, errors.New("AULA_SECRET must be at least 32 characters (try: openssl rand -hex 32)")
		}
		cfg.Secret, cfg.secretSource = []byte(s), "AULA_SECRET"
	}
	return cfg, nil
}

// loadMail reads AULA_SMTP_URL and AULA_MAIL_FROM: a relay needs a
// sender the relay accepts, so the address is required with it.
func (cfg *config) loadMail() error {
	cfg.MailFrom = getenv("AULA_MAIL_FROM", "")
	if cfg.MailFrom != "" {
		if _, err := mail.ParseAddress(cfg.MailFrom); err != nil {
			return fmt.Errorf("AULA_MAIL_FROM %q must be an address like \"Aula <aula@example.org>\": %w", cfg.MailFrom, err)
		}
	}
	raw := getenv("AULA_SMTP_URL", "")
	if raw == "" {
		return nil
	}
	if cfg.MailFrom == "" {
		return errors.New("AULA_SMTP_URL is set: set AULA_MAIL_FROM too, to an address the relay sends from (\"Aula <aula@example.org>\")")
	}
	smtp, err := notify.NewSMTP(raw, notify.SMTPOptions{})
	if err != nil {
		return fmt.Errorf("AULA_SMTP_URL (smtp://user:pass@host:587, smtp://host:25?tls=required or smtps://user:pass@host:465): %w", err)
	}
	cfg.SMTP = smtp
	return nil
}

// duration reads a variable holding a Go duration ("5s", "2m") of at
// least least.
func duration(name, def string, least time.Duration) (time.Duration, error) {
	v := getenv(name, def)
	d, err := time.ParseDuration(v)
	if err != nil || d < least {
		return 0, fmt.Errorf("%s must be a duration of at least %s such as %s, not %q", name, least, def, v)
	}
	return d, nil
}

// ensureSecret loads the secret from the data directory, creating it on the
// first start, when AULA_SECRET is not set. Several app processes must share
// one secret: set AULA_SECRET (or share the data directory) for them.
func (cfg *config) ensureSecret() error {
	if cfg.Secret != nil {
		return nil
	}
	path := filepath.Join(cfg.DataDir, "secret")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("generate secret: %w", err)
		}
		data = []byte(hex.EncodeToString(b))
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("create AULA_DATA_DIR: %w", err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	} else if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	cfg.Secret = []byte(strings.TrimSpace(string(data)))
	if len(cfg.Secret) < 32 {
		return fmt.Errorf("%s holds fewer than 32 characters; delete it to generate a new one", path)
	}
	cfg.secretSource = path
	return nil
}

// logAttrs describes the configuration for the start-up log, without secrets.
func (cfg *config) logAttrs() []any {
	return []any{
		"addr", cfg.Addr,
		"base_url", cfg.BaseURL,
		"database", redactURL(cfg.DatabaseURL),
		"data_dir", cfg.DataDir,
		"secret_from", cfg.secretSource,
		"trusted_proxies", strings.Join(cfg.TrustedProxies, ","),
		"upload_max_mb", cfg.UploadMaxBytes >> 20,
		"token_ttl_days", int(cfg.TokenTTL.Hours() / 24), "token_max_ttl_days", int(cfg.TokenMaxTTL.Hours() / 24),
		"log_level", cfg.LogLevel.String(),
		"demo", cfg.Demo,
		"timezone", cfg.Location.String(),
		"shutdown_drain", cfg.ShutdownDrain.String(),
		"shutdown_timeout", cfg.ShutdownTimeout.String(),
		"smtp", cfg.smtpAttr(),
		"mail_from", cfg.MailFrom,
		"db_max_conns", cfg.Pool.MaxConns,
		"db_conn_wait", cfg.Pool.ConnWait.String(),
		"db_statement_timeout", cfg.Pool.StatementTimeout.String(),
		"db_lock_timeout", cfg.Pool.LockTimeout.String(),
		"db_prepare", !cfg.Pool.Unprepared,
		"storage", redactURL(cfg.storageLocation()),
		"database_replica", redactURL(cfg.ReplicaURL), "database_replica_max_lag", cfg.ReplicaMaxLag.String(),
		"metrics_addr", cfg.MetricsAddr,
		"pprof", cfg.Pprof,
	}
}

// smtpAttr describes the relay without its credentials.
func (cfg *config) smtpAttr() string {
	if cfg.SMTP == nil {
		return "none (mail is kept in the outbox at /admin/mail)"
	}
	return cfg.SMTP.Describe
}

// redactURL hides the password of a database URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

func newLogger(cfg *config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
