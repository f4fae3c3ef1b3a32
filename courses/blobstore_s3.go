package courses

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Store is a BlobStore in a bucket of an S3-compatible object store
// (AWS S3, MinIO, Ceph, Garage, Versity's gateway…). Content with hash
// "ab12cd…" lives at key prefix+"ab/ab12cd…"; uploads in progress at
// prefix+"tmp/…". Every process of an installation shares the bucket, so
// no process needs a shared disk.
type S3Store struct {
	client *minio.Client
	bucket string
	prefix string
	// presign is how long download links signed for browsers stay valid;
	// 0 when the operator did not ask for them (see PresignGet).
	presign time.Duration
}

var _ BlobStore = (*S3Store)(nil)

// s3PartSize is the size of the parts an upload of unknown length is sent
// in: each process holds one such part in memory per upload in progress.
// 16 MiB × S3's 10,000 parts allows files of 160 GiB.
const s3PartSize = 16 << 20

// NewS3Store connects to the bucket that a storage URL names:
//
//	s3://BUCKET[/PREFIX]?endpoint=https://s3.example.org&region=eu-west-1
//
// endpoint is the service's address (http:// for one on a private
// network; the AWS endpoint of region when left out); region defaults to
// us-east-1; path_style=false asks for bucket.host addressing (the
// default is path style, which every S3-compatible service understands);
// presign=15m lets downloads go straight from the store to the browser by
// a link signed for that long (off unless set). Credentials come from
// the usual environment variables (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else from the AWS shared
// credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials,
// AWS_PROFILE). The bucket must exist: Aula does not create it, because
// who may create buckets, their versioning and lifecycle rules are the
// operator's decisions.
func NewS3Store(ctx context.Context, rawURL string) (*S3Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return nil, fmt.Errorf("courses: storage URL %q: want s3://bucket?endpoint=…&region=…", rawURL)
	}
	q := u.Query()
	region := q.Get("region")
	if region == "" {
		region = "us-east-1"
	}
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		endpoint = "https://s3." + region + ".amazonaws.com"
	}
	ep, err := url.Parse(endpoint)
	if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" {
		return nil, fmt.Errorf("courses: storage URL: endpoint %q must be an http(s) URL such as https://s3.example.org", endpoint)
	}
	lookup := minio.BucketLookupPath
	if v := q.Get("path_style"); v == "false" || v == "0" {
		lookup = minio.BucketLookupDNS
	}
	var presign time.Duration
	if v := q.Get("presign"); v != "" {
		presign, err = time.ParseDuration(v)
		if err != nil || presign < time.Minute || presign > 7*24*time.Hour {
			return nil, fmt.Errorf("courses: storage URL: presign %q must be a duration from 1m to 168h", v)
		}
	}
	// The environment first, then the shared file. No instance metadata
	// lookup: an installation on a cloud VM sets its credentials the same
	// way, and a process elsewhere never probes a link-local address.
	creds := credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.FileAWSCredentials{},
	})
	client, err := minio.New(ep.Host, &minio.Options{
		Creds:        creds,
		Secure:       ep.Scheme == "https",
		Region:       region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("courses: storage %s: %w", redactedStorageURL(u), err)
	}
	s := &S3Store{
		client:  client,
		bucket:  u.Host,
		prefix:  strings.Trim(u.Path, "/"),
		presign: presign,
	}
	if s.prefix != "" {
		s.prefix += "/"
	}
	ok, err := client.BucketExists(ctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("courses: storage %s: %w", redactedStorageURL(u), err)
	}
	if !ok {
		return nil, fmt.Errorf("courses: storage %s: bucket %q does not exist: create it first", redactedStorageURL(u), s.bucket)
	}
	return s, nil
}

// redactedStorageURL is a storage URL for messages: without a password
// someone may have put in it.
func redactedStorageURL(u *url.URL) string { return u.Redacted() }

// key is where content with a valid hash lives.
func (s *S3Store) key(sum string) string { return s.prefix + sum[0:2] + "/" + sum }

// sumOf is the hash of the content an object key holds, if it is one.
func (s *S3Store) sumOf(key string) (string, bool) {
	sum := path.Base(key)
	return sum, validSum(sum) && key == s.key(sum)
}

// Put implements BlobStore. The content streams to a temporary object
// while it is hashed, in parts of s3PartSize, then is copied to its
// hash's key inside the store and the temporary object removed. The copy
// is what makes it visible, all at once: a reader never sees half a file,
// and two Puts of the same bytes both end with one copy. The copy also
// renews the object's modification time, which is what tells Sweep that
// the content is wanted again.
func (s *S3Store) Put(ctx context.Context, r io.Reader, max int64) (Blob, error) {
	if max < 0 {
		return Blob{}, fmt.Errorf("courses: put blob: negative limit %d", max)
	}
	tmp := s.prefix + "tmp/put-" + randomName()
	hr := &hashingReader{r: ctxReader{ctx, r}, h: sha256.New(), max: max}
	_, err := s.client.PutObject(ctx, s.bucket, tmp, hr, -1, minio.PutObjectOptions{
		PartSize: s3PartSize, ContentType: "application/octet-stream",
	})
	if err != nil {
		// A failed multipart upload is aborted by the client; a single
		// PUT that failed stored nothing. Remove a leftover all the same.
		_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, tmp, minio.RemoveObjectOptions{})
		if hr.tooLarge {
			return Blob{}, fmt.Errorf("courses: put blob over %d bytes: %w", max, ErrTooLarge)
		}
		return Blob{}, fmt.Errorf("courses: put blob: %w", err)
	}
	defer s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, tmp, minio.RemoveObjectOptions{}) //nolint:errcheck // a leftover is swept

	blob := Blob{SHA256: hex.EncodeToString(hr.h.Sum(nil)), Size: hr.n}
	_, err = s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: s.key(blob.SHA256)},
		minio.CopySrcOptions{Bucket: s.bucket, Object: tmp})
	if err != nil {
		return Blob{}, fmt.Errorf("courses: put blob %s: %w", blob.SHA256, err)
	}
	return blob, nil
}

// Open implements BlobStore. The object is read as it is consumed, and a
// Seek makes the next Read ask the store for a byte range from there, so
// a download resumed at its 19th megabyte fetches only the last one.
func (s *S3Store) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !validSum(sum) {
		return nil, fmt.Errorf("courses: open blob %.80q: malformed hash: %w", sum, ErrBlobNotFound)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(sum), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("courses: open blob %s: %w", sum, err)
	}
	// GetObject is lazy: Stat sends the request, and says whether it is there.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if s3NotFound(err) {
			return nil, fmt.Errorf("courses: open blob %s: %w", sum, ErrBlobNotFound)
		}
		return nil, fmt.Errorf("courses: open blob %s: %w", sum, err)
	}
	return obj, nil
}

// Check implements BlobStore: it writes and removes a small object where
// uploads go, so a bucket that is unreachable, missing or not writable
// with these credentials makes the process not ready.
func (s *S3Store) Check(ctx context.Context) error {
	key := s.prefix + "tmp/check-" + randomName()
	if _, err := s.client.PutObject(ctx, s.bucket, key, strings.NewReader("ok"), 2, minio.PutObjectOptions{}); err != nil {
		return fmt.Errorf("courses: check blob store: %w", err)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("courses: check blob store: %w", err)
	}
	return nil
}

// Sweep implements BlobStore. S3 has no rename to park a candidate with,
// so each one is looked at again just before it is removed: a Put that
// copied the same bytes meanwhile left a new modification time on it, and
// it stays. What remains is the time between that look and the removal
// (a few milliseconds, once an hour, for content nobody used for a day);
// docs/deploy.md says how bucket versioning closes it. Temporary objects
// of uploads that died before cutoff go too.
func (s *S3Store) Sweep(ctx context.Context, cutoff time.Time, inUse func(ctx context.Context, sums []string) (map[string]bool, error)) (int, error) {
	var old []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return 0, fmt.Errorf("courses: sweep blobs: %w", obj.Err)
		}
		if !obj.LastModified.Before(cutoff) {
			continue
		}
		if sum, ok := s.sumOf(obj.Key); ok {
			old = append(old, sum)
		} else if strings.HasPrefix(obj.Key, s.prefix+"tmp/") {
			_ = s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{})
		}
	}
	return discardUnused(ctx, old, inUse, func(sum string) (bool, error) {
		info, err := s.client.StatObject(ctx, s.bucket, s.key(sum), minio.StatObjectOptions{})
		if s3NotFound(err) {
			return false, nil // another sweep took it
		}
		if err != nil {
			return false, fmt.Errorf("courses: sweep blob %s: %w", sum, err)
		}
		if !info.LastModified.Before(cutoff) {
			return false, nil // wanted again
		}
		if err := s.client.RemoveObject(ctx, s.bucket, s.key(sum), minio.RemoveObjectOptions{}); err != nil {
			return false, fmt.Errorf("courses: sweep blob %s: %w", sum, err)
		}
		return true, nil
	})
}

// Walk implements BlobLister: every stored content, in key order.
func (s *S3Store) Walk(ctx context.Context, fn func(Blob) error) error {
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("courses: list blobs: %w", obj.Err)
		}
		if sum, ok := s.sumOf(obj.Key); ok {
			if err := fn(Blob{SHA256: sum, Size: obj.Size}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Has implements BlobLister.
func (s *S3Store) Has(ctx context.Context, b Blob) (bool, error) {
	if !validSum(b.SHA256) {
		return false, nil
	}
	info, err := s.client.StatObject(ctx, s.bucket, s.key(b.SHA256), minio.StatObjectOptions{})
	if s3NotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("courses: stat blob %s: %w", b.SHA256, err)
	}
	return info.Size == b.Size, nil
}

// PresignGet returns a link by which a browser downloads content straight
// from the store, valid for the presign duration of the storage URL, with
// the file's name and type as the store's answer headers; ok is false
// when the operator did not ask for such links. The link is made after
// Aula has decided the user may read the file, and is signed locally:
// no request to the store.
func (s *S3Store) PresignGet(ctx context.Context, sum, fileName, contentType, disposition string) (link string, ok bool, err error) {
	if s.presign == 0 {
		return "", false, nil
	}
	if !validSum(sum) {
		return "", false, fmt.Errorf("courses: presign blob %.80q: malformed hash: %w", sum, ErrBlobNotFound)
	}
	params := url.Values{}
	if contentType != "" {
		params.Set("response-content-type", contentType)
	}
	if disposition != "" {
		params.Set("response-content-disposition", disposition)
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, s.key(sum), s.presign, params)
	if err != nil {
		return "", false, fmt.Errorf("courses: presign blob %s: %w", sum, err)
	}
	return u.String(), true, nil
}

// s3NotFound reports whether err is the store saying there is no such object.
func s3NotFound(err error) bool {
	if err == nil {
		return false
	}
	resp := minio.ToErrorResponse(err)
	return resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound
}

// hashingReader hashes and counts what passes through it, and fails once
// more than max bytes have come.
type hashingReader struct {
	r        io.Reader
	h        hash.Hash
	n, max   int64
	tooLarge bool
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	if h.n > h.max {
		h.tooLarge = true
		return 0, ErrTooLarge
	}
	return n, err
}

// randomName is a name no other upload in progress has.
func randomName() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
