package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aula-platform/aula/courses"
)

// openStorage opens the file storage at location: an s3:// URL or a folder.
func openStorage(ctx context.Context, location string) (courses.BlobLister, error) {
	if isS3(location) {
		return courses.NewS3Store(ctx, location)
	}
	return courses.NewDirStore(location)
}

// storageCmd runs `aula storage migrate [-from LOCATION] -to LOCATION`:
// it copies every stored file from one storage to another (a folder or
// an S3 bucket, either way). It changes no setting: once it is done,
// point AULA_STORAGE_URL at the new storage and restart, then run it
// again to copy what was uploaded meanwhile (docs/deploy.md).
func storageCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "migrate" {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("storage migrate", flag.ContinueOnError)
	from := fs.String("from", cfg.storageLocation(), "storage to copy from: a folder or s3://bucket?endpoint=…")
	to := fs.String("to", "", "storage to copy to: a folder or s3://bucket?endpoint=…")
	if err := fs.Parse(args[1:]); err != nil || *to == "" || fs.NArg() != 0 {
		fmt.Fprint(os.Stderr, usage)
		return errUsage
	}
	if !isS3(*from) {
		// A folder that does not exist holds nothing: most likely a typo,
		// and creating it would hide that.
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("storage migrate: -from %s: %w", *from, err)
		}
	}
	src, err := openStorage(ctx, *from)
	if err != nil {
		return err
	}
	dst, err := openStorage(ctx, *to)
	if err != nil {
		return err
	}
	started := time.Now()
	last := started
	res, err := courses.CopyBlobs(ctx, src, dst, func(_ courses.Blob, r courses.CopyBlobsResult) {
		if time.Since(last) >= 5*time.Second {
			last = time.Now()
			fmt.Printf("storage migrate: %d copied (%d MB), %d already there\n", r.Copied, r.Bytes>>20, r.Skipped)
		}
	})
	fmt.Printf("storage migrate: %s copied (%d bytes), %d already there, in %s\n",
		count(res.Copied, "file", "files"), res.Bytes, res.Skipped, time.Since(started).Round(time.Millisecond))
	if errors.Is(err, context.Canceled) {
		return errors.New("storage migrate: interrupted; run it again to go on where it stopped")
	}
	return err
}
