package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// loadScaleOut reads the settings of an installation on several
// machines: object storage, the read replica, the metrics address.
func (cfg *config) loadScaleOut() error {
	cfg.StorageURL = getenv("AULA_STORAGE_URL", "")
	if cfg.StorageURL != "" {
		if u, err := url.Parse(cfg.StorageURL); err != nil || u.Scheme != "s3" || u.Host == "" {
			return fmt.Errorf("AULA_STORAGE_URL must look like s3://bucket?endpoint=https://s3.example.org&region=eu-west-1, not %q", cfg.StorageURL)
		}
	}
	cfg.ReplicaURL = getenv("AULA_DATABASE_REPLICA_URL", "")
	if cfg.ReplicaURL != "" {
		if u, err := url.Parse(cfg.ReplicaURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return fmt.Errorf("AULA_DATABASE_REPLICA_URL must be a postgres:// URL like AULA_DATABASE_URL")
		}
	}
	var err error
	if cfg.ReplicaMaxLag, err = duration("AULA_DATABASE_REPLICA_MAX_LAG", "30s", time.Second); err != nil {
		return err
	}
	cfg.MetricsAddr = getenv("AULA_METRICS_ADDR", "")
	if cfg.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
			return fmt.Errorf("AULA_METRICS_ADDR must be host:port such as 127.0.0.1:9090, not %q", cfg.MetricsAddr)
		}
	}
	switch v := getenv("AULA_PPROF", "0"); v {
	case "0", "false":
	case "1", "true":
		if cfg.MetricsAddr == "" {
			return errors.New("AULA_PPROF needs AULA_METRICS_ADDR: the profiler is served only on the private metrics address")
		}
		cfg.Pprof = true
	default:
		return fmt.Errorf("AULA_PPROF must be 1 or 0, not %q", v)
	}
	return nil
}

// storageLocation is where files are kept: the S3 URL, else the folder.
func (cfg *config) storageLocation() string {
	if cfg.StorageURL != "" {
		return cfg.StorageURL
	}
	return filepath.Join(cfg.DataDir, "blobs")
}

// isS3 reports whether a storage location is an S3 URL rather than a folder.
func isS3(location string) bool { return strings.HasPrefix(location, "s3://") }
