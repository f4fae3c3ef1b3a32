package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/courses/s3test"
)

// TestStorageMigrateToS3AndBack: `aula storage migrate` copies an
// installation's files from its folder to a real S3 bucket, says so when
// run again (nothing left to copy), and copies them back into a new
// folder byte for byte; `aula serve` then runs on the bucket.
func TestStorageMigrateToS3AndBack(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	dataDir := t.TempDir()
	dir, err := courses.NewDirStore(filepath.Join(dataDir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	contents := []string{"Guía del afiliado", "Proteção social — módulo 1", "Peña & João Conceição"}
	var blobs []courses.Blob
	for _, c := range contents {
		b, err := dir.Put(ctx, strings.NewReader(c), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, b)
	}
	dsn := newDatabaseURL(t)
	env := append(testEnv(t, dsn, dataDir), srv.Env()...)

	out, err := runAula(t, env, "storage", "migrate", "-to", srv.URL())
	if err != nil || !strings.Contains(out, "3 files copied") {
		t.Fatalf("migrate to S3: %v\n%s", err, out)
	}
	out, err = runAula(t, env, "storage", "migrate", "-to", srv.URL())
	if err != nil || !strings.Contains(out, "0 files copied (0 bytes), 3 already there") {
		t.Fatalf("migrate again: %v\n%s", err, out)
	}

	back := filepath.Join(t.TempDir(), "blobs")
	s3env := append(env, "AULA_STORAGE_URL="+srv.URL())
	out, err = runAula(t, s3env, "storage", "migrate", "-to", back)
	if err != nil || !strings.Contains(out, "3 files copied") {
		t.Fatalf("migrate back: %v\n%s", err, out)
	}
	backStore, err := courses.NewDirStore(back)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blobs {
		f, err := backStore.Open(ctx, b.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, []byte(contents[i])) {
			t.Errorf("file %d came back as %q", i, got)
		}
	}

	// A -from folder that does not exist is a mistake, not an empty store.
	if out, err := runAula(t, env, "storage", "migrate", "-from", filepath.Join(dataDir, "nope"), "-to", back); err == nil {
		t.Errorf("migrate from a missing folder succeeded:\n%s", out)
	}

	// The installation then serves from the bucket.
	p := start(t, append(s3env, "AULA_ADDR="+freeAddr(t)), "serve")
	p.waitReady(t)
	if err := p.stop(t); err != nil {
		t.Errorf("serve on S3 stopped with %v", err)
	}
	if !strings.Contains(p.out.String(), `storage="s3://`) {
		t.Errorf("start-up log does not name the bucket:\n%s", p.out)
	}
}
