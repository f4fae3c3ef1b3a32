package certificates

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/aula-platform/aula/jobs"
)

// Timing of the ZIP job.
const (
	// ZipKind is the kind of job that makes a ZIP file.
	ZipKind = "certificates.zip"
	// zipTimeout bounds one attempt: 3,000 certificates take about a
	// minute. A process that dies mid-file leaves the job leased for this
	// plus a minute; then another process makes the file again.
	zipTimeout = 15 * time.Minute
	// zipProgressEvery is how often a running job reports progress.
	zipProgressEvery = time.Second
	// zipMaxAttempts stops a ZIP that keeps failing or killing its
	// workers; the job gets one attempt more, which records the failure.
	zipMaxAttempts = 3
	// zipKeep is how long finished ZIP files stay downloadable.
	zipKeep = 24 * time.Hour
	// zipBatch is how many certificates are read at a time.
	zipBatch = 200
)

// errLostJob means another attempt took the ZIP over.
var errLostJob = errors.New("certificates: zip job taken over by another worker")

// zipArgs are the arguments of a ZipKind job.
type zipArgs struct {
	ZipID int64 `json:"zip_id"`
}

// ZipJobKind is the job kind that makes ZIP files, for the queue every
// process runs (wiring registers it). StartZip enqueues its jobs.
func (s *Service) ZipJobKind() jobs.Kind {
	return jobs.Kind{Name: ZipKind, Handler: s.workZip, Timeout: zipTimeout}
}

// workZip makes the file of the ZIP a job names. The job runs at least
// once; a ZIP already finished (an attempt that died after finishing) or
// swept is left alone.
func (s *Service) workZip(ctx context.Context, j *jobs.Job) error {
	var args zipArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("zip job arguments: %w", err))
	}
	st := NewStore(s.db)
	job, err := st.StartZipAttempt(ctx, args.ZipID, s.now())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start zip %d: %w", args.ZipID, err)
	}
	if job.Attempt > zipMaxAttempts {
		return s.failZip(ctx, job, fmt.Sprintf("gave up after %d attempts", zipMaxAttempts))
	}
	err = s.makeZip(ctx, job)
	switch {
	case err == nil, errors.Is(err, errLostJob):
		return nil
	case errors.Is(ctx.Err(), context.Canceled) || job.Attempt < zipMaxAttempts:
		// The process is stopping, or the queue tries again: the page
		// says "waiting" meanwhile.
		back, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return errors.Join(err, st.RequeueZip(back, job))
	}
	// The last attempt: the page says it failed, the admins' job list why.
	return jobs.Permanent(errors.Join(err, s.failZip(ctx, job, err.Error())))
}

// makeZip writes the ZIP file of a claimed job into the file storage: the
// ZIP is written into one end of a pipe while the store reads the other,
// so the file is never whole in memory.
func (s *Service) makeZip(ctx context.Context, job *ZipJob) error {
	st := NewStore(s.db)
	// The certificates that exist now; later ones wait for the next job.
	lastID, err := st.LastCertificateID(ctx, job.CourseID)
	if err != nil {
		return err
	}
	total, err := st.CountStanding(ctx, job.CourseID, lastID)
	if err != nil {
		return err
	}
	if err := s.zipProgress(ctx, job, 0, total); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	type result struct {
		done int
		err  error
	}
	written := make(chan result, 1)
	go func() {
		done, err := s.writeZip(ctx, pw, job, lastID, total)
		pw.CloseWithError(err) // nil: the reader sees the end of the file
		written <- result{done, err}
	}()
	blob, err := s.blobs.Put(ctx, pr, maxZipBytes)
	// Put may stop reading early (a full disk): unblock the writer.
	pr.CloseWithError(errors.Join(err, io.ErrClosedPipe))
	w := <-written
	if w.err != nil {
		return w.err // errLostJob, or what broke the file
	}
	if err != nil {
		return err
	}
	return st.FinishZip(ctx, job, w.done, blob.SHA256, blob.Size, s.now())
}

// writeZip writes the ZIP file of a job's certificates to w, reporting
// progress as it goes, and returns how many it wrote.
func (s *Service) writeZip(ctx context.Context, w io.Writer, job *ZipJob, lastID int64, total int) (int, error) {
	st := NewStore(s.db)
	zw := zip.NewWriter(w)
	names := map[string]bool{}
	done, after := 0, int64(0)
	lastReport := time.Now()
	for {
		batch, err := st.StandingBatch(ctx, job.CourseID, after, lastID, zipBatch)
		if err != nil {
			return done, err
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			c := &batch[i]
			// Each certificate is drawn with the look it was issued
			// with; the images are read once for the whole file.
			d, err := s.Document(ctx, c)
			if err != nil {
				return done, err
			}
			// Use a cached PDF when there is one, but do not fill the
			// cache with a whole course: it is for repeated downloads.
			pdf, ok := s.pdfs.get(d.Hash())
			if !ok {
				if pdf, err = s.render(d); err != nil {
					return done, err
				}
			}
			fw, err := zw.CreateHeader(&zip.FileHeader{
				Name:     zipEntryName(c, names),
				Method:   zip.Store, // PDFs are compressed already
				Modified: c.IssuedAt.UTC(),
			})
			if err != nil {
				return done, err
			}
			if _, err := fw.Write(pdf); err != nil {
				return done, err
			}
			done++
			if time.Since(lastReport) >= zipProgressEvery {
				if err := s.zipProgress(ctx, job, done, max(total, done)); err != nil {
					return done, err
				}
				lastReport = time.Now()
			}
		}
		after = batch[len(batch)-1].ID
	}
	return done, zw.Close()
}

// zipProgress records how far a job got and that its worker is alive.
func (s *Service) zipProgress(ctx context.Context, job *ZipJob, done, total int) error {
	if err := NewStore(s.db).ZipProgress(ctx, job, done, total, s.now()); err != nil {
		return fmt.Errorf("zip job %d progress: %w", job.ID, err)
	}
	return nil
}

// failZip marks a job failed; the message is for the log, not for users.
func (s *Service) failZip(ctx context.Context, job *ZipJob, msg string) error {
	s.log.Error("certificates: zip job failed", "job", job.ID, "course", job.CourseID, "error", msg)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := NewStore(s.db).FailZip(ctx, job, msg, s.now()); err != nil {
		return fmt.Errorf("mark zip job %d failed: %w", job.ID, err)
	}
	return nil
}

// SweepZips deletes finished ZIP jobs older than a day. Their files go
// with the shared storage's sweep (courses.Service.SweepBlobs), which
// asks every user of the storage, this package through ZipFilesInUse,
// which files are still referred to: a sweep of its own here could only
// ask some of them, and took the others' files (a library file, a forum
// attachment, an image's smaller version) once they were a day old.
func (s *Service) SweepZips(ctx context.Context) (int64, error) {
	n, err := NewStore(s.db).DeleteZipsFinishedBefore(ctx, s.now().Add(-zipKeep))
	if err != nil {
		return 0, fmt.Errorf("certificates: sweep zip jobs: %w", err)
	}
	return n, nil
}

// zipEntryName names a certificate's file in the ZIP: its code and
// holder, e.g. "AULA-7KM3-Q9XH-2P João da Conceição.pdf", without
// characters that file systems refuse, unique within the file.
func zipEntryName(c *Certificate, taken map[string]bool) string {
	holder := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r):
			return '_'
		}
		return r
	}, c.HolderName)
	if len([]rune(holder)) > 80 {
		holder = string([]rune(holder)[:80])
	}
	name := strings.TrimSpace(c.Code + " " + strings.TrimSpace(holder))
	candidate := name + ".pdf"
	for i := 2; taken[candidate]; i++ {
		candidate = fmt.Sprintf("%s (%d).pdf", name, i)
	}
	taken[candidate] = true
	return candidate
}
