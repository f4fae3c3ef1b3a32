package certificates

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/jobs"
)

// A course's certificates are downloaded as one ZIP file made by a
// background job rather than while the admin waits: the ZIP's row in
// PostgreSQL says how far it got (the page shows "n of N" and refreshes
// itself), a job of kind ZipKind on Aula's one queue (package jobs) makes
// it in whichever process takes it, and the file is streamed into the file
// storage as it is made —
// the BlobStore uploaded files use, shared by every process — and streamed
// back from there, so no process ever holds a whole ZIP in memory and the
// database never holds its bytes.

// maxZipBytes bounds one ZIP file: 3,000 certificates of 60 KB take about
// 180 MB; a course 50 times larger is not a download anyone wants.
const maxZipBytes = 10 << 30

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
		st := NewStore(tx)
		// Serialise starts for one course, so two clicks make one job.
		if err := st.LockZipStarts(ctx, courseID); err != nil {
			return err
		}
		open, err := st.OpenZipJob(ctx, courseID)
		if err == nil {
			*job = *open
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		total, err := st.CountStanding(ctx, courseID, 0)
		if err != nil {
			return err
		}
		*job = ZipJob{CourseID: courseID, RequestedBy: &by, Status: ZipPending, Total: total, CreatedAt: s.now()}
		if err := st.InsertZipJob(ctx, job); err != nil {
			return err
		}
		// The job that makes the file commits with its row, or neither does.
		_, _, err = jobs.Enqueue(ctx, tx, jobs.EnqueueParams{Kind: ZipKind, Args: zipArgs{ZipID: job.ID},
			MaxAttempts: zipMaxAttempts + 1, UniqueKey: fmt.Sprintf("%s:%d", ZipKind, job.ID)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: start zip of course %d: %w", courseID, err)
	}
	return job, nil
}

// ZipJob returns the job with id.
func (s *Service) ZipJob(ctx context.Context, id int64) (*ZipJob, error) {
	job, err := NewStore(s.db).ZipJob(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("certificates: zip job %d: %w", id, err)
	}
	return job, nil
}

// LatestZip returns the most recent ZIP job of a course, or ErrNotFound.
func (s *Service) LatestZip(ctx context.Context, courseID int64) (*ZipJob, error) {
	job, err := NewStore(s.db).LatestZip(ctx, courseID)
	if err != nil {
		return nil, fmt.Errorf("certificates: latest zip of course %d: %w", courseID, err)
	}
	return job, nil
}

// OpenZip returns the finished ZIP file of a job as a stream read from the
// file storage, and its size. A job that is not done is ErrNotReady; one
// whose file has gone from storage (swept at the end of its day) is
// ErrNotFound. Close the reader when done.
func (s *Service) OpenZip(ctx context.Context, id int64) (io.ReadCloser, int64, error) {
	job, err := s.ZipJob(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if job.Status != ZipDone || job.BlobSHA256 == nil {
		return nil, 0, fmt.Errorf("certificates: zip job %d is %s: %w", id, job.Status, ErrNotReady)
	}
	r, err := s.blobs.Open(ctx, *job.BlobSHA256)
	if errors.Is(err, courses.ErrBlobNotFound) {
		return nil, 0, fmt.Errorf("certificates: zip job %d: file gone from storage: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("certificates: open zip %d: %w", id, err)
	}
	return r, job.SizeBytes, nil
}
