package reports

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/aula-platform/aula/courses"
)

// The queries of background exports: report_exports is the one table
// reports owns.

// InsertExport stores a new export and reads back its row, reporting
// true; when the same person's same export is pending or running
// already (report_exports_open_key), it reads that one into e instead
// and reports false.
func (s *Store) InsertExport(ctx context.Context, e *Export) (bool, error) {
	e.ID = 0
	_, err := s.db.NewInsert().Model(e).
		On("CONFLICT (requested_by, kind, course_id, query, lang) WHERE status IN ('pending', 'running') DO NOTHING").
		Returning("*").Exec(ctx)
	if err != nil {
		return false, err
	}
	if e.ID != 0 { // RETURNING gave the new row
		return true, nil
	}
	err = s.db.NewSelect().Model(e).
		Where("rx.requested_by = ? AND rx.kind = ? AND rx.course_id = ? AND rx.query = ?::jsonb AND rx.lang = ? AND rx.status IN (?, ?)",
			e.RequestedBy, e.Kind, e.CourseID, string(e.Query), e.Lang, ExportPending, ExportRunning).Scan(ctx)
	return false, err
}

// Export returns the export with id, or ErrNotFound.
func (s *Store) Export(ctx context.Context, id int64) (*Export, error) {
	e := new(Export)
	if err := s.db.NewSelect().Model(e).Where("rx.id = ?", id).Scan(ctx); err != nil {
		return nil, exportNotFound(err)
	}
	return e, nil
}

// StartExportAttempt marks the export running as the job's attempt and
// returns it; ErrNotFound when it is finished or gone. Recording the
// attempt fences the one before it: its progress and result are refused.
func (s *Store) StartExportAttempt(ctx context.Context, id int64, attempt int, now time.Time) (*Export, error) {
	e := new(Export)
	err := s.db.NewRaw(`UPDATE report_exports AS rx
		SET status = ?, attempt = ?, done = 0, heartbeat_at = ?
		WHERE rx.id = ? AND rx.status IN (?, ?)
		RETURNING rx.*`, ExportRunning, attempt, now, id, ExportPending, ExportRunning).Scan(ctx, e)
	if err != nil {
		return nil, exportNotFound(err)
	}
	return e, nil
}

// ExportProgress records done of total rows for the export's attempt;
// errLostExport when another attempt has taken it over.
func (s *Store) ExportProgress(ctx context.Context, e *Export, done, total int, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*Export)(nil)).Set("done = ?, total = ?, heartbeat_at = ?", done, total, now).
		Where("id = ? AND attempt = ? AND status = ?", e.ID, e.Attempt, ExportRunning).Exec(ctx)
	return exportFenced(res, err)
}

// FinishExport marks the export's attempt done with its file in storage;
// errLostExport when another attempt has taken it over.
func (s *Store) FinishExport(ctx context.Context, e *Export, rows int, sum string, size int64, now, expires time.Time) error {
	res, err := s.db.NewUpdate().Model((*Export)(nil)).
		Set("status = ?, done = ?, total = ?, blob_sha256 = ?, size_bytes = ?, finished_at = ?, heartbeat_at = ?, expires_at = ?",
			ExportDone, rows, rows, sum, size, now, now, expires).
		Where("id = ? AND attempt = ? AND status = ?", e.ID, e.Attempt, ExportRunning).Exec(ctx)
	return exportFenced(res, err)
}

// RequeueExport hands a running attempt back to the queue.
func (s *Store) RequeueExport(ctx context.Context, e *Export) error {
	_, err := s.db.NewUpdate().Model((*Export)(nil)).Set("status = ?, heartbeat_at = NULL", ExportPending).
		Where("id = ? AND attempt = ? AND status = ?", e.ID, e.Attempt, ExportRunning).Exec(ctx)
	return err
}

// FailExport marks the export's attempt failed.
func (s *Store) FailExport(ctx context.Context, e *Export, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Export)(nil)).Set("status = ?, finished_at = ?", ExportFailed, now).
		Where("id = ? AND attempt = ?", e.ID, e.Attempt).Exec(ctx)
	return err
}

// DeleteFinishedExport deletes the export with id if it is done or failed.
func (s *Store) DeleteFinishedExport(ctx context.Context, id int64) error {
	_, err := s.db.NewDelete().Model((*Export)(nil)).Where("id = ? AND status IN (?, ?)", id, ExportDone, ExportFailed).Exec(ctx)
	return err
}

// ExportBlobsInUse reports which of the given hashes a remaining export's
// file has.
func (s *Store) ExportBlobsInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	return courses.BlobsReferencedBy(ctx, s.db.NewSelect().Model((*Export)(nil)), "blob_sha256", sums)
}

// exportFenced turns an update that matched no row into errLostExport.
func exportFenced(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLostExport
	}
	return nil
}

func exportNotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
