package certificates

import (
	"context"
	"database/sql"
	"time"

	"github.com/aula-platform/aula/courses"
)

// zipLockSpace is the first key of the advisory locks LockZipStarts takes.
const zipLockSpace = 0x63657274 // "cert"

// LockZipStarts serialises, until the end of the transaction, the starts
// of ZIP jobs for one course.
func (s *Store) LockZipStarts(ctx context.Context, courseID int64) error {
	_, err := s.db.NewRaw("SELECT pg_advisory_xact_lock(?, ?)", zipLockSpace, courseID).Exec(ctx)
	return err
}

// OpenZipJob returns the course's pending or running job, or ErrNotFound.
func (s *Store) OpenZipJob(ctx context.Context, courseID int64) (*ZipJob, error) {
	job := new(ZipJob)
	err := s.db.NewSelect().Model(job).Where("zj.course_id = ? AND zj.status IN (?, ?)", courseID, ZipPending, ZipRunning).
		OrderExpr("zj.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return job, nil
}

// InsertZipJob stores a new job and reads back its row.
func (s *Store) InsertZipJob(ctx context.Context, job *ZipJob) error {
	_, err := s.db.NewInsert().Model(job).Returning("*").Exec(ctx)
	return err
}

// ZipJob returns the job with id, or ErrNotFound.
func (s *Store) ZipJob(ctx context.Context, id int64) (*ZipJob, error) {
	job := new(ZipJob)
	if err := s.db.NewSelect().Model(job).Where("zj.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return job, nil
}

// LatestZip returns the course's most recent job, or ErrNotFound.
func (s *Store) LatestZip(ctx context.Context, courseID int64) (*ZipJob, error) {
	job := new(ZipJob)
	err := s.db.NewSelect().Model(job).Where("zj.course_id = ?", courseID).OrderExpr("zj.id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return job, nil
}

// StartZipAttempt marks the ZIP with id running as a new attempt and
// returns it; ErrNotFound when it is finished or gone. Counting the attempt
// fences the attempt before it: its progress and result are refused.
func (s *Store) StartZipAttempt(ctx context.Context, id int64, now time.Time) (*ZipJob, error) {
	job := new(ZipJob)
	err := s.db.NewRaw(`UPDATE certificate_zip_jobs AS zj
		SET status = ?, attempt = zj.attempt + 1, done = 0, started_at = ?, heartbeat_at = ?
		WHERE zj.id = ? AND zj.status IN (?, ?)
		RETURNING zj.*`, ZipRunning, now, now, id, ZipPending, ZipRunning).Scan(ctx, job)
	if err != nil {
		return nil, notFound(err)
	}
	return job, nil
}

// RequeueZip hands a running attempt back to the queue.
func (s *Store) RequeueZip(ctx context.Context, job *ZipJob) error {
	_, err := s.db.NewUpdate().Model((*ZipJob)(nil)).Set("status = ?, heartbeat_at = NULL", ZipPending).
		Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(ctx)
	return err
}

// ZipProgress records done of total for the job's attempt; errLostJob
// when another attempt has taken the job over.
func (s *Store) ZipProgress(ctx context.Context, job *ZipJob, done, total int, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*ZipJob)(nil)).Set("done = ?, total = ?, heartbeat_at = ?", done, total, now).
		Where("id = ? AND attempt = ? AND status = ?", job.ID, job.Attempt, ZipRunning).Exec(ctx)
	return fenced(res, err)
}

// FinishZip marks the job's attempt done with its file in storage;
// errLostJob when another attempt has taken the job over.
func (s *Store) FinishZip(ctx context.Context, job *ZipJob, done int, sum string, size int64, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*ZipJob)(nil)).
		Set("status = ?, done = ?, total = ?, blob_sha256 = ?, size_bytes = ?, finished_at = ?, heartbeat_at = ?",
			ZipDone, done, done, sum, size, now, now).
		Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(ctx)
	return fenced(res, err)
}

// FailZip marks the job's attempt failed.
func (s *Store) FailZip(ctx context.Context, job *ZipJob, msg string, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*ZipJob)(nil)).Set("status = ?, error = ?, finished_at = ?", ZipFailed, msg, now).
		Where("id = ? AND attempt = ?", job.ID, job.Attempt).Exec(ctx)
	return err
}

// fenced turns an update that matched no row into errLostJob.
func fenced(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLostJob
	}
	return nil
}

// DeleteZipsFinishedBefore deletes the jobs that finished before cutoff
// and returns how many.
func (s *Store) DeleteZipsFinishedBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*ZipJob)(nil)).
		Where("status IN (?, ?) AND finished_at < ?", ZipDone, ZipFailed, cutoff).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// ZipBlobsInUse reports which of the given hashes a remaining job's file
// has.
func (s *Store) ZipBlobsInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	return courses.BlobsReferencedBy(ctx, s.db.NewSelect().Model((*ZipJob)(nil)), "blob_sha256", sums)
}

// LastCertificateID is the newest certificate id of a course, 0 for none.
func (s *Store) LastCertificateID(ctx context.Context, courseID int64) (int64, error) {
	var id int64
	err := s.db.NewSelect().Model((*Certificate)(nil)).ColumnExpr("coalesce(max(id), 0)").
		Where("course_id = ?", courseID).Scan(ctx, &id)
	return id, err
}

// CountStanding counts a course's certificates that are not revoked, up to
// id lastID (0: all).
func (s *Store) CountStanding(ctx context.Context, courseID, lastID int64) (int, error) {
	q := s.db.NewSelect().Model((*Certificate)(nil)).Where("course_id = ? AND revoked_at IS NULL", courseID)
	if lastID > 0 {
		q = q.Where("id <= ?", lastID)
	}
	return q.Count(ctx)
}

// StandingBatch returns up to limit standing certificates of a course with
// ids after after and up to lastID, by id.
func (s *Store) StandingBatch(ctx context.Context, courseID, after, lastID int64, limit int) ([]Certificate, error) {
	var batch []Certificate
	err := s.db.NewSelect().Model(&batch).
		Where("cert.course_id = ? AND cert.revoked_at IS NULL AND cert.id > ? AND cert.id <= ?", courseID, after, lastID).
		OrderExpr("cert.id").Limit(limit).Scan(ctx)
	return batch, err
}
