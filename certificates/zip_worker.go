package certificates

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
)

// Timing of the ZIP worker.
const (
	// zipStale is how long a running job may go without a heartbeat before
	// another worker takes it over (its process is presumed dead).
	zipStale = time.Minute
	// zipProgressEvery is how often a running job reports progress.
	zipProgressEvery = time.Second
	// zipMaxAttempts stops a job that keeps killing its workers.
	zipMaxAttempts = 3
	// zipKeep is how long finished ZIP files stay downloadable.
	zipKeep = 24 * time.Hour
	// zipBatch is how many certificates are read at a time.
	zipBatch = 200
)

// errLostJob means another worker took the job over.
var errLostJob = errors.New("certificates: zip job taken over by another worker")

// RunZipWorker makes ZIP files until ctx is done: it takes a job whenever
// one is waiting (StartZip in this process wakes it at once; jobs started
// elsewhere are found within poll), and now and then deletes ZIP files
// older than a day. Every app process may run one: the jobs' rows decide
// who does what. On shutdown a running job is handed back to the queue.
func (s *Service) RunZipWorker(ctx context.Context, poll time.Duration) {
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	var lastSweep time.Time
	for {
		for ctx.Err() == nil {
			ran, err := s.WorkZip(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.Error("certificates: zip worker", "error", err)
			}
			if !ran || err != nil {
				break
			}
		}
		if time.Since(lastSweep) > time.Hour && ctx.Err() == nil {
			if n, err := s.SweepZips(ctx); err != nil {
				s.log.Warn("certificates: sweep zip files", "error", err)
			} else if n > 0 {
				s.log.Info("certificates: swept old zip files", "count", n)
			}
			lastSweep = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-s.wake:
		}
	}
}

// WorkZip takes one waiting ZIP job, if any, makes its file and reports
// whether it took one. Tests and the worker call it.
func (s *Service) WorkZip(ctx context.Context) (bool, error) {
	job, err := s.claimZip(ctx)
	if job == nil || err != nil {
		return false, err
	}
	if job.Attempt > zipMaxAttempts {
		return true, s.failZip(ctx, job, fmt.Sprintf("gave up after %d attempts", zipMaxAttempts))
	}
	err = s.makeZip(ctx, job)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errLostJob):
		return true, nil
	case ctx.Err() != nil:
		// Shutting down: hand the job back for another process.
		back, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, uerr := s.db.NewUpdate().Model((*ZipJob)(nil)).Set("status = ?, heartbeat_at = NULL", ZipPending).
			Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(back)
		return true, errors.Join(err, uerr)
	}
	return true, errors.Join(err, s.failZip(ctx, job, err.Error()))
}

// claimZip takes the oldest waiting job, or a running one whose worker
// stopped beating, and counts one more attempt. SKIP LOCKED lets workers
// of several processes claim different jobs without waiting on each other.
func (s *Service) claimZip(ctx context.Context) (*ZipJob, error) {
	now := s.now()
	job := new(ZipJob)
	err := s.db.NewRaw(`UPDATE certificate_zip_jobs AS zj
		SET status = ?, attempt = zj.attempt + 1, done = 0, started_at = ?, heartbeat_at = ?
		WHERE zj.id = (
			SELECT id FROM certificate_zip_jobs
			WHERE status = ? OR (status = ? AND heartbeat_at < ?)
			ORDER BY id LIMIT 1
			FOR UPDATE SKIP LOCKED)
		RETURNING zj.*`, ZipRunning, now, now, ZipPending, ZipRunning, now.Add(-zipStale)).Scan(ctx, job)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("certificates: claim zip job: %w", err)
	}
	return job, nil
}

// makeZip writes the ZIP file of a claimed job.
func (s *Service) makeZip(ctx context.Context, job *ZipJob) error {
	// The certificates that exist now; later ones wait for the next job.
	var lastID int64
	if err := s.db.NewSelect().Model((*Certificate)(nil)).ColumnExpr("coalesce(max(id), 0)").
		Where("course_id = ?", job.CourseID).Scan(ctx, &lastID); err != nil {
		return err
	}
	total, err := s.db.NewSelect().Model((*Certificate)(nil)).
		Where("course_id = ? AND revoked_at IS NULL AND id <= ?", job.CourseID, lastID).Count(ctx)
	if err != nil {
		return err
	}
	if err := s.zipProgress(ctx, job, 0, total); err != nil {
		return err
	}
	// One look for the whole file, read once.
	iss, err := s.IssuerSettings(ctx)
	if err != nil {
		return err
	}
	// A crashed earlier attempt may have left parts behind.
	if _, err := s.db.NewDelete().Model((*zipPart)(nil)).Where("job_id = ? AND attempt <> ?", job.ID, job.Attempt).Exec(ctx); err != nil {
		return err
	}
	pw := &partWriter{ctx: ctx, db: s.db, job: job.ID, attempt: job.Attempt, buf: make([]byte, 0, zipPartSize)}
	zw := zip.NewWriter(pw)
	names := map[string]bool{}
	done, after := 0, int64(0)
	lastReport := time.Now()
	for {
		var batch []Certificate
		err := s.db.NewSelect().Model(&batch).
			Where("cert.course_id = ? AND cert.revoked_at IS NULL AND cert.id > ? AND cert.id <= ?", job.CourseID, after, lastID).
			OrderExpr("cert.id").Limit(zipBatch).Scan(ctx)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for i := range batch {
			c := &batch[i]
			d := s.document(c, iss)
			// Use a cached PDF when there is one, but do not fill the
			// cache with a whole course: it is for repeated downloads.
			pdf, ok := s.pdfs.get(d.Hash())
			if !ok {
				if pdf, err = s.render(d); err != nil {
					return err
				}
			}
			w, err := zw.CreateHeader(&zip.FileHeader{
				Name:     zipEntryName(c, names),
				Method:   zip.Store, // PDFs are compressed already
				Modified: c.IssuedAt.UTC(),
			})
			if err != nil {
				return err
			}
			if _, err := w.Write(pdf); err != nil {
				return err
			}
			done++
			if time.Since(lastReport) >= zipProgressEvery {
				if err := s.zipProgress(ctx, job, done, max(total, done)); err != nil {
					return err
				}
				lastReport = time.Now()
			}
		}
		after = batch[len(batch)-1].ID
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := pw.flush(); err != nil {
		return err
	}
	res, err := s.db.NewUpdate().Model((*ZipJob)(nil)).
		Set("status = ?, done = ?, total = ?, size_bytes = ?, finished_at = ?, heartbeat_at = ?", ZipDone, done, done, pw.written, s.now(), s.now()).
		Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLostJob
	}
	return nil
}

// zipProgress records how far a job got and that its worker is alive.
func (s *Service) zipProgress(ctx context.Context, job *ZipJob, done, total int) error {
	res, err := s.db.NewUpdate().Model((*ZipJob)(nil)).Set("done = ?, total = ?, heartbeat_at = ?", done, total, s.now()).
		Where("id = ? AND attempt = ? AND status = ?", job.ID, job.Attempt, ZipRunning).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certificates: zip job %d progress: %w", job.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLostJob
	}
	return nil
}

// failZip marks a job failed; the message is for the log, not for users.
func (s *Service) failZip(ctx context.Context, job *ZipJob, msg string) error {
	s.log.Error("certificates: zip job failed", "job", job.ID, "course", job.CourseID, "error", msg)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*ZipJob)(nil)).Set("status = ?, error = ?, finished_at = ?", ZipFailed, msg, s.now()).
			Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*zipPart)(nil)).Where("job_id = ?", job.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("certificates: mark zip job %d failed: %w", job.ID, err)
	}
	return nil
}

// SweepZips deletes finished ZIP jobs, and their files, older than a day.
func (s *Service) SweepZips(ctx context.Context) (int64, error) {
	res, err := s.db.NewDelete().Model((*ZipJob)(nil)).
		Where("status IN (?, ?) AND finished_at < ?", ZipDone, ZipFailed, s.now().Add(-zipKeep)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("certificates: sweep zip jobs: %w", err)
	}
	n, _ := res.RowsAffected()
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
