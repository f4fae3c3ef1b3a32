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

// errLostExport means another attempt took the export over.
var errLostExport = errors.New("reports: export taken over by another attempt")

// Kinds are the job kinds of background exports, for the queue every
// process runs (wiring registers them).
func (s *Service) Kinds() []jobs.Kind {
	return []jobs.Kind{
		{Name: ExportKind, Handler: s.workExport, Timeout: exportTimeout},
		{Name: expireKind, Handler: s.expireExport},
	}
}

// workExport makes the file of the export a job names. The job runs at
// least once: an export finished already (an attempt that died after
// finishing) or deleted is left alone.
func (s *Service) workExport(ctx context.Context, j *jobs.Job) error {
	var args exportArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("export job arguments: %w", err))
	}
	st := NewStore(s.db)
	e, err := st.StartExportAttempt(ctx, args.ExportID, j.Attempt, s.now())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start export %d: %w", args.ExportID, err)
	}
	if j.Attempt > exportMaxAttempts {
		return s.failExport(ctx, e, fmt.Sprintf("gave up after %d attempts", exportMaxAttempts))
	}
	err = s.makeExport(ctx, e)
	switch {
	case err == nil, errors.Is(err, errLostExport):
		return nil
	case errors.Is(ctx.Err(), context.Canceled) || j.Attempt < exportMaxAttempts:
		// The process is stopping, or the queue tries again: the page
		// says "waiting" meanwhile.
		back, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return errors.Join(err, st.RequeueExport(back, e))
	}
	return jobs.Permanent(errors.Join(err, s.failExport(ctx, e, err.Error())))
}

// makeExport writes the CSV file of a claimed export into the blob store:
// the file is written into one end of a pipe while the store reads the
// other, so it is never whole in memory.
func (s *Service) makeExport(ctx context.Context, e *Export) error {
	var q exportQuery
	if err := json.Unmarshal(e.Query, &q); err != nil {
		return jobs.Permanent(fmt.Errorf("export %d query: %w", e.ID, err))
	}
	gq := GradebookQuery{CourseID: e.CourseID, InstitutionID: q.InstitutionID, Status: q.Status, Sort: q.Sort, After: q.After}
	// Who may see what was decided when the export was asked for; the
	// stored filters carry that scope.
	spec, after, err := planGradebook(&gq)
	if err != nil {
		return jobs.Permanent(err)
	}
	x := &GradebookExport{Gradebook: &Gradebook{Scope: gq.InstitutionID}, s: s, q: gq, spec: spec, after: after}
	var kept int
	err = s.read(ctx, func(st *Store) (err error) {
		x.Quizzes, kept, err = st.GradebookHead(ctx, e.CourseID, courses.EnrolmentStatus(gq.Status))
		return err
	})
	if err != nil {
		return err
	}
	if err := x.size(ctx, kept); err != nil {
		return err
	}
	st := NewStore(s.db)
	if err := st.ExportProgress(ctx, e, 0, x.Rows, s.now()); err != nil {
		return err
	}
	t := func(key string, args ...any) string { return s.texts.T(e.Lang, key, args...) }
	pr, pw := io.Pipe()
	written := make(chan struct {
		rows int
		err  error
	}, 1)
	go func() {
		rows, last := 0, time.Now()
		err := func() error {
			out, err := NewCSV(pw, CSVFormat{Semicolon: e.Semicolon})
			if err != nil {
				return err
			}
			err = x.WriteCSV(ctx, out, t, func(n int) error {
				rows = n
				if time.Since(last) < exportProgressEvery {
					return nil
				}
				last = time.Now()
				return st.ExportProgress(ctx, e, n, max(x.Rows, n), s.now())
			})
			if err != nil {
				return err
			}
			return out.Close()
		}()
		pw.CloseWithError(err) // nil: the reader sees the end of the file
		written <- struct {
			rows int
			err  error
		}{rows, err}
	}()
	blob, err := s.blobs.Put(ctx, pr, maxExportBytes)
	// Put may stop reading early (a full disk): unblock the writer.
	pr.CloseWithError(errors.Join(err, io.ErrClosedPipe))
	w := <-written
	if w.err != nil {
		return w.err
	}
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := NewStore(tx).FinishExport(ctx, e, w.rows, blob.SHA256, blob.Size, now, now.Add(ExportKeep)); err != nil {
			return err
		}
		return s.enqueueExpiry(ctx, tx, e.ID, now.Add(ExportKeep))
	})
}

// enqueueExpiry has the export deleted at its time, in the transaction
// that finishes it.
func (s *Service) enqueueExpiry(ctx context.Context, db bun.IDB, id int64, at time.Time) error {
	_, _, err := jobs.Enqueue(ctx, db, jobs.EnqueueParams{Kind: expireKind, Args: exportArgs{ExportID: id}, RunAt: at,
		UniqueKey: fmt.Sprintf("%s:%d", expireKind, id)})
	return err
}

// failExport marks an export failed; the message is for the log and the
// admins' job list, not for users. It is deleted after ExportKeep too.
func (s *Service) failExport(ctx context.Context, e *Export, msg string) error {
	s.log.Error("reports: export failed", "export", e.ID, "course", e.CourseID, "error", msg)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := s.now()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := NewStore(tx).FailExport(ctx, e, now); err != nil {
			return err
		}
		return s.enqueueExpiry(ctx, tx, e.ID, now.Add(ExportKeep))
	})
	if err != nil {
		return fmt.Errorf("mark export %d failed: %w", e.ID, err)
	}
	return nil
}

// expireExport deletes a finished export whose time is over; the blob
// store's sweep then takes its file.
func (s *Service) expireExport(ctx context.Context, j *jobs.Job) error {
	var args exportArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("expire job arguments: %w", err))
	}
	if err := NewStore(s.db).DeleteFinishedExport(ctx, args.ExportID); err != nil {
		return fmt.Errorf("expire export %d: %w", args.ExportID, err)
	}
	return nil
}
