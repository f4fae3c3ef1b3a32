package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/jobs"
)

// An export larger than the service's inline rows is not streamed while
// its reader waits: StartGradebookExport records it (a row of
// report_exports) and enqueues a job of kind ExportKind in the same
// transaction. Whichever process takes the job writes the CSV — through
// the same WriteCSV the streamed download uses — into the blob store as it
// is read, reporting how many rows it wrote about every second; the page
// reloads itself until the link to the file appears. The file can be
// downloaded, by the person who asked only, for ExportKeep; then a job of
// kind expireKind deletes the row and the blob store's sweep the bytes.

// Errors of background exports.
var (
	// ErrNotFound: no export with this id belongs to whoever asks.
	ErrNotFound = errors.New("reports: export not found")
	// ErrNotReady: the export's file is still being made, or failed.
	ErrNotReady = errors.New("reports: export not ready")
	// ErrExpired: the export's file was kept for ExportKeep and is gone.
	ErrExpired = errors.New("reports: export expired")
)

// Timing of export jobs.
const (
	// ExportKind is the kind of job that makes an export's file.
	ExportKind = "reports.export"
	// expireKind is the kind of job that deletes an expired export.
	expireKind = "reports.export_expire"
	// ExportKeep is how long a finished export stays downloadable: a day,
	// as certificates' ZIP files, so a file asked for in the evening is
	// still there the next morning.
	ExportKeep = 24 * time.Hour
	// exportTimeout bounds one attempt: a million rows take a few minutes.
	exportTimeout = 30 * time.Minute
	// exportMaxAttempts stops an export that keeps failing or killing its
	// workers; the job gets one attempt more, which records the failure.
	exportMaxAttempts = 3
	// exportProgressEvery is how often a running export reports progress.
	exportProgressEvery = time.Second
	// maxExportBytes bounds one file: a million learners' rows take about
	// 200 MB.
	maxExportBytes = 4 << 30
)

// ExportStatus is where a background export is.
type ExportStatus string

// The states of an export.
const (
	ExportPending ExportStatus = "pending" // waiting for a worker
	ExportRunning ExportStatus = "running"
	ExportDone    ExportStatus = "done"
	ExportFailed  ExportStatus = "failed"
)

// Export is a report's CSV file made in the background.
type Export struct {
	bun.BaseModel `bun:"table:report_exports,alias:rx"`

	ID          int64           `bun:"id,pk,autoincrement" json:"id"`
	Kind        string          `bun:"kind" json:"kind"`
	CourseID    int64           `bun:"course_id" json:"course_id"`
	RequestedBy int64           `bun:"requested_by" json:"-"`
	Query       json.RawMessage `bun:"query,type:jsonb" json:"-"`
	Lang        string          `bun:"lang" json:"lang"`
	Semicolon   bool            `bun:"semicolon" json:"-"`
	FileName    string          `bun:"file_name" json:"file_name"`
	Status      ExportStatus    `bun:"status" json:"status"`
	Attempt     int             `bun:"attempt" json:"-"`
	Done        int             `bun:"done" json:"done"`
	Total       int             `bun:"total" json:"total"`
	BlobSHA256  *string         `bun:"blob_sha256" json:"-"`
	SizeBytes   int64           `bun:"size_bytes" json:"size_bytes"`
	CreatedAt   time.Time       `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	HeartbeatAt *time.Time      `bun:"heartbeat_at" json:"-"`
	FinishedAt  *time.Time      `bun:"finished_at" json:"finished_at,omitempty"`
	ExpiresAt   *time.Time      `bun:"expires_at" json:"expires_at,omitempty"`
	// Expired: the file was done and its time is over (set by
	// Service.Export, on the service's clock).
	Expired bool `bun:"-" json:"expired"`
}

// Finished reports whether the export is done or failed.
func (e *Export) Finished() bool { return e.Status == ExportDone || e.Status == ExportFailed }

// Percent is how far the export got, 0 to 100.
func (e *Export) Percent() int {
	if e.Status == ExportDone {
		return 100
	}
	if e.Total == 0 {
		return 0
	}
	return min(e.Done*100/e.Total, 99)
}

// exportQuery is a gradebook export's filters as stored: already narrowed
// to what the requester may see.
type exportQuery struct {
	InstitutionID int64  `json:"institution_id,omitempty"`
	Status        string `json:"status,omitempty"`
	Sort          string `json:"sort"`
	After         string `json:"after,omitempty"`
}

// ExportParams say how a background export's file is written.
type ExportParams struct {
	// Lang is the language of its headers and statuses.
	Lang string
	// Format is its spreadsheet format.
	Format CSVFormat
	// FileName is the name the download gets.
	FileName string
}

// exportArgs are the arguments of both export job kinds.
type exportArgs struct {
	ExportID int64 `json:"export_id"`
}

// StartGradebookExport checks, as ExportGradebook does, that actor may
// read the gradebook q asks for, and has its CSV file made in the
// background. While the same person's same export is pending or running,
// that one is returned instead of starting another, so a double click
// costs nothing.
func (s *Service) StartGradebookExport(ctx context.Context, actor courses.Actor, q GradebookQuery, p ExportParams) (*Export, error) {
	x, err := s.ExportGradebook(ctx, actor, q)
	if err != nil {
		return nil, err
	}
	query, err := json.Marshal(exportQuery{InstitutionID: x.q.InstitutionID, Status: x.q.Status, Sort: x.q.Sort, After: x.q.After})
	if err != nil {
		return nil, fmt.Errorf("reports: export query: %w", err)
	}
	e := &Export{Kind: "gradebook", CourseID: q.CourseID, RequestedBy: actor.UserID, Query: query, Lang: p.Lang,
		Semicolon: p.Format.Semicolon, FileName: p.FileName, Status: ExportPending, Total: x.Rows, CreatedAt: s.now()}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		created, err := st.InsertExport(ctx, e)
		if err != nil || !created {
			return err
		}
		// The job that makes the file commits with its row, or neither does.
		_, _, err = jobs.Enqueue(ctx, tx, jobs.EnqueueParams{Kind: ExportKind, Args: exportArgs{ExportID: e.ID},
			MaxAttempts: exportMaxAttempts + 1, UniqueKey: fmt.Sprintf("%s:%d", ExportKind, e.ID)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reports: start export of course %d: %w", q.CourseID, err)
	}
	return e, nil
}

// Export returns the export with id if actor asked for it; ErrNotFound
// otherwise (another person's export, with their scope, is not theirs to
// see).
func (s *Service) Export(ctx context.Context, actor courses.Actor, id int64) (*Export, error) {
	e, err := NewStore(s.db).Export(ctx, id)
	if err == nil && e.RequestedBy != actor.UserID {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reports: export %d: %w", id, err)
	}
	e.Expired = e.ExpiresAt != nil && !s.now().Before(*e.ExpiresAt)
	return e, nil
}

// OpenExport returns the finished file of actor's export as a stream read
// from the blob store. The actor must still follow the course's learners
// as they did when they asked (a coordinator moved to another institution
// no longer downloads their old staff's records). An export still being
// made is ErrNotReady; one past its time, ErrExpired. Close the reader.
func (s *Service) OpenExport(ctx context.Context, actor courses.Actor, id int64) (io.ReadCloser, *Export, error) {
	e, err := s.Export(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Status != ExportDone || e.BlobSHA256 == nil {
		return nil, nil, fmt.Errorf("reports: export %d is %s: %w", id, e.Status, ErrNotReady)
	}
	if e.Expired {
		return nil, nil, fmt.Errorf("reports: export %d: %w", id, ErrExpired)
	}
	var q exportQuery
	if err := json.Unmarshal(e.Query, &q); err != nil {
		return nil, nil, fmt.Errorf("reports: export %d query: %w", id, err)
	}
	o, err := s.courses.Oversight(ctx, actor, e.CourseID)
	if err != nil {
		return nil, nil, err
	}
	if o.InstitutionID != 0 && q.InstitutionID != o.InstitutionID {
		return nil, nil, fmt.Errorf("reports: export %d outside the actor's scope: %w", id, courses.ErrForbidden)
	}
	r, err := s.blobs.Open(ctx, *e.BlobSHA256)
	if errors.Is(err, courses.ErrBlobNotFound) {
		return nil, nil, fmt.Errorf("reports: export %d: file gone from storage: %w", id, ErrExpired)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reports: open export %d: %w", id, err)
	}
	return r, e, nil
}

// ExportFilesInUse reports which of the given content hashes an export
// still keeps in the shared blob store, so that the course files' sweep
// leaves them (wired with courses.Service.AddBlobUser).
func (s *Service) ExportFilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := NewStore(s.db).ExportBlobsInUse(ctx, sums)
	if err != nil {
		return nil, fmt.Errorf("reports: export files in use: %w", err)
	}
	return used, nil
}
