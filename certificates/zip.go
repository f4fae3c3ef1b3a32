package certificates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"
)

// A course's certificates are downloaded as one ZIP file made by a
// background job rather than while the admin waits: the job's row in
// PostgreSQL says how far it got (the page shows "n of N" and refreshes
// itself), any app process's worker can take it (SELECT … FOR UPDATE SKIP
// LOCKED), and the file is written to the database in parts of about 1 MB
// as it is made and streamed back part by part, so no process ever holds a
// whole ZIP in memory and any process can serve it.

// zipPartSize is the size of the stored pieces of a ZIP file.
const zipPartSize = 1 << 20

// StartZip asks for the ZIP file of every standing (not revoked)
// certificate of a course. While a job for the course is pending or
// running, that job is returned instead of starting another, so a double
// click costs nothing.
func (s *Service) StartZip(ctx context.Context, courseID, by int64) (*ZipJob, error) {
	if _, err := s.Course(ctx, courseID); err != nil {
		return nil, err
	}
	job := new(ZipJob)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Serialise starts for one course, so two clicks make one job.
		if _, err := tx.NewRaw("SELECT pg_advisory_xact_lock(?, ?)", zipLockSpace, courseID).Exec(ctx); err != nil {
			return err
		}
		err := tx.NewSelect().Model(job).Where("zj.course_id = ? AND zj.status IN (?, ?)", courseID, ZipPending, ZipRunning).
			OrderExpr("zj.id DESC").Limit(1).Scan(ctx)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		total, err := tx.NewSelect().Model((*Certificate)(nil)).Where("course_id = ? AND revoked_at IS NULL", courseID).Count(ctx)
		if err != nil {
			return err
		}
		*job = ZipJob{CourseID: courseID, RequestedBy: &by, Status: ZipPending, Total: total, CreatedAt: s.now()}
		_, err = tx.NewInsert().Model(job).Returning("*").Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: start zip of course %d: %w", courseID, err)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return job, nil
}

// zipLockSpace is the first key of the advisory locks StartZip takes.
const zipLockSpace = 0x63657274 // "cert"

// ZipJob returns the job with id.
func (s *Service) ZipJob(ctx context.Context, id int64) (*ZipJob, error) {
	job := new(ZipJob)
	if err := s.db.NewSelect().Model(job).Where("zj.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("certificates: zip job %d: %w", id, notFound(err))
	}
	return job, nil
}

// LatestZip returns the most recent ZIP job of a course, or ErrNotFound.
func (s *Service) LatestZip(ctx context.Context, courseID int64) (*ZipJob, error) {
	job := new(ZipJob)
	err := s.db.NewSelect().Model(job).Where("zj.course_id = ?", courseID).OrderExpr("zj.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: latest zip of course %d: %w", courseID, notFound(err))
	}
	return job, nil
}

// OpenZip returns the finished ZIP file of a job as a stream read from the
// database part by part, and its size. A job that is not done is
// ErrNotReady. Close the reader when done.
func (s *Service) OpenZip(ctx context.Context, id int64) (io.ReadCloser, int64, error) {
	job, err := s.ZipJob(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if job.Status != ZipDone {
		return nil, 0, fmt.Errorf("certificates: zip job %d is %s: %w", id, job.Status, ErrNotReady)
	}
	return &zipReader{ctx: ctx, db: s.db, job: job.ID, attempt: job.Attempt}, job.SizeBytes, nil
}

// zipReader reads a finished ZIP file's parts in order, one at a time.
type zipReader struct {
	ctx     context.Context
	db      bun.IDB
	job     int64
	attempt int
	seq     int
	buf     []byte
	eof     bool
}

func (r *zipReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		var data []byte
		err := r.db.NewSelect().Model((*zipPart)(nil)).Column("data").
			Where("job_id = ? AND attempt = ? AND seq = ?", r.job, r.attempt, r.seq).Scan(r.ctx, &data)
		if errors.Is(err, sql.ErrNoRows) {
			r.eof = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("certificates: read zip %d part %d: %w", r.job, r.seq, err)
		}
		r.buf = data
		r.seq++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *zipReader) Close() error {
	r.buf, r.eof = nil, true
	return nil
}

// partWriter stores what is written to it as numbered parts of a job's
// file, keeping at most one part in memory.
type partWriter struct {
	ctx     context.Context
	db      bun.IDB
	job     int64
	attempt int
	seq     int
	buf     []byte
	written int64
}

func (w *partWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		room := zipPartSize - len(w.buf)
		take := min(room, len(p))
		w.buf = append(w.buf, p[:take]...)
		p = p[take:]
		if len(w.buf) == zipPartSize {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	w.written += int64(n)
	return n, nil
}

// flush stores the buffered bytes as the next part.
func (w *partWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	part := &zipPart{JobID: w.job, Attempt: w.attempt, Seq: w.seq, Data: w.buf}
	if _, err := w.db.NewInsert().Model(part).Exec(w.ctx); err != nil {
		return fmt.Errorf("certificates: store zip %d part %d: %w", w.job, w.seq, err)
	}
	w.seq++
	w.buf = make([]byte, 0, zipPartSize)
	return nil
}
