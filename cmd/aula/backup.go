package main

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aula-platform/aula/courses"
)

// A backup is a tar file holding, in this order:
//
//	aula-backup.json   what it is (backupManifest)
//	database.dump      pg_dump of the database, custom format
//	files/<sha256>     every stored file, under its hash
//
// Files are copied after the dump: stored content never changes and is
// only removed when nothing uses it, so every file a row of the dump
// names is still there to copy (docs/deploy.md says what a sweep during
// the backup can cost, and how often that is).
const (
	backupManifestName = "aula-backup.json"
	backupDumpName     = "database.dump"
	backupFilesDir     = "files/"
	backupFormat       = 1
)

// backupManifest describes a backup.
type backupManifest struct {
	Format    int       `json:"format"`
	Version   string    `json:"aula_version"`
	CreatedAt time.Time `json:"created_at"`
}

// backupCmd runs `aula backup -o FILE`.
func backupCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("o", "", "the backup file to write (a tar archive)")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() != 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	blobs, err := openStorage(ctx, cfg.storageLocation())
	if err != nil {
		return err
	}
	pgDump, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(filepath.Dir(*out), ".aula-backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(dir)

	started := time.Now()
	dump := filepath.Join(dir, backupDumpName)
	// One transaction's snapshot, so the dump is consistent while the
	// installation keeps serving.
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-owner", "--no-privileges",
		"--file="+dump, "--dbname="+cfg.DatabaseURL)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("backup: pg_dump: %w\n%s", err, msg)
	}

	// Written beside the target and renamed at the end: a backup cut off
	// midway never has the name of a whole one.
	tmp := filepath.Join(dir, "backup.tar")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	manifest, _ := json.MarshalIndent(backupManifest{Format: backupFormat, Version: version, CreatedAt: started.UTC()}, "", "  ")
	if err := tarBytes(tw, backupManifestName, manifest); err != nil {
		return err
	}
	if err := tarFile(tw, backupDumpName, dump); err != nil {
		return err
	}
	files, bytes := 0, int64(0)
	err = blobs.Walk(ctx, func(b courses.Blob) error {
		r, err := blobs.Open(ctx, b.SHA256)
		if errors.Is(err, courses.ErrBlobNotFound) {
			return nil // swept since the walk saw it: nothing uses it
		}
		if err != nil {
			return err
		}
		defer r.Close()
		hdr := &tar.Header{Name: backupFilesDir + b.SHA256, Mode: 0o600, Size: b.Size, ModTime: started}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.CopyN(tw, r, b.Size); err != nil {
			return fmt.Errorf("file %s: %w", b.SHA256, err)
		}
		files++
		bytes += b.Size
		return nil
	})
	if err != nil {
		return fmt.Errorf("backup: files: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Printf("backup: %s: the database and %s (%d bytes), in %s\n", *out, count(files, "file", "files"), bytes, time.Since(started).Round(time.Millisecond))
	return nil
}

// restoreCmd runs `aula restore -i FILE`: into an empty database (created
// when missing) and the configured storage. Files go first, the database
// last and in one transaction: a restore that fails leaves the database
// empty, and at worst files nothing names, which the sweep removes.
func restoreCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	in := fs.String("i", "", "the backup file to read")
	if err := fs.Parse(args); err != nil || *in == "" || fs.NArg() != 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	pgRestore, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.Pool)
	if err != nil {
		return err
	}
	defer db.Close()
	var tables []string
	if err := db.NewRaw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1 LIMIT 5").Scan(ctx, &tables); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if len(tables) > 0 {
		return fmt.Errorf("restore: the database %s is not empty (it has %s): restore goes into a new, empty database; create one and point AULA_DATABASE_URL at it",
			redactURL(cfg.DatabaseURL), strings.Join(tables, ", "))
	}
	blobs, err := openStorage(ctx, cfg.storageLocation())
	if err != nil {
		return err
	}

	started := time.Now()
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "aula-restore-")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(dir)
	dump := filepath.Join(dir, backupDumpName)

	tr := tar.NewReader(f)
	files, seen := 0, map[string]bool{}
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("restore: %s is damaged or cut short: %w", *in, err)
		}
		seen[hdr.Name] = true
		switch name := hdr.Name; {
		case i == 0 && name == backupManifestName:
			var m backupManifest
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil || m.Format != backupFormat {
				return fmt.Errorf("restore: %s: not a backup this version of Aula reads (format %d)", *in, m.Format)
			}
			fmt.Printf("restore: backup of %s by aula %s\n", m.CreatedAt.Format(time.RFC3339), m.Version)
		case i == 0:
			return fmt.Errorf("restore: %s is not an Aula backup (it starts with %q)", *in, name)
		case name == backupDumpName:
			if err := writeFile(dump, tr); err != nil {
				return fmt.Errorf("restore: %w", err)
			}
		case strings.HasPrefix(name, backupFilesDir):
			sum := strings.TrimPrefix(name, backupFilesDir)
			got, err := blobs.Put(ctx, tr, hdr.Size)
			if err != nil {
				return fmt.Errorf("restore: file %s: %w", sum, err)
			}
			if got.SHA256 != sum {
				return fmt.Errorf("restore: file %s in the backup is damaged (its bytes hash to %s)", sum, got.SHA256)
			}
			files++
		}
	}
	if !seen[backupDumpName] {
		return fmt.Errorf("restore: %s holds no database", *in)
	}
	cmd := exec.CommandContext(ctx, pgRestore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
		"--dbname="+cfg.DatabaseURL, dump)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("restore: pg_restore: %w\n%s", err, msg)
	}
	// A backup of an older version: bring its schema up to this one.
	if _, err := migrateUp(ctx, cfg.DatabaseURL, cfg.Pool); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Printf("restore: the database and %s, in %s\n", count(files, "file", "files"), time.Since(started).Round(time.Millisecond))
	return nil
}

// pgTool finds a PostgreSQL client program: the newest of Debian's
// /usr/lib/postgresql/*/bin (pg_dump must be at least the server's
// version), else the one on PATH.
func pgTool(name string) (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if p := filepath.Join(d, name); fileExists(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found: install PostgreSQL's client programs (Debian: apt-get install postgresql-client)", name)
}

// pgVersion is the major version in a path like /usr/lib/postgresql/15/bin.
func pgVersion(dir string) int {
	var v int
	fmt.Sscanf(filepath.Base(filepath.Dir(dir)), "%d", &v)
	return v
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

func tarBytes(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: time.Now()}); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err := tw.Write(b)
	return err
}

func tarFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// count says n things in English, for the command line's messages.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
