package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/jobs"
)

// The text inside attached PDFs is extracted by a background job, so that
// search finds words in the documents and an upload never waits for it.
//
// pdftotext (Debian's poppler-utils) does it: Poppler reads the PDFs real
// institutions publish (CID and Type 3 fonts, ToUnicode maps, broken
// cross-reference tables) far better than the Go PDF readers, which lose
// accents or whole pages on such files. It runs as a child process with
// the document on stdin, no shell and no file name, under the job's
// timeout, so a hostile PDF costs at most one killed process.

// maxExtractedText is the most text kept from one file: a 300-page report
// is about 1 MB, and PostgreSQL's tsvector holds at most 1 MB of lexemes
// for the whole item.
const maxExtractedText = 400_000

// extractTimeout bounds one extraction.
const extractTimeout = 2 * time.Minute

// ExtractTextJob is the kind of job that extracts a PDF's text; register
// it on the queue of every process that works jobs.
func (s *Service) ExtractTextJob() jobs.Kind {
	return jobs.Kind{Name: ExtractTextKind, Handler: s.ExtractText, Timeout: extractTimeout}
}

// ExtractText is ExtractTextJob's handler: it reads the text of the job's
// file and adds it to its item's search, in one transaction. It may run
// more than once: a file whose text is in already, or that was removed
// meanwhile, is left as it is. A PDF pdftotext cannot read fails for
// good (jobs.Permanent); the item stays found by its other fields.
func (s *Service) ExtractText(ctx context.Context, j *jobs.Job) error {
	var args extractArgs
	if err := j.Decode(&args); err != nil || args.FileID <= 0 {
		return jobs.Permanent(fmt.Errorf("library: extract text: arguments %s", j.Args))
	}
	f, err := NewStore(s.db).File(ctx, args.FileID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.ExtractedAt != nil || !f.IsPDF() {
		return nil
	}
	body, err := s.blobs.Open(ctx, f.SHA256)
	if err != nil {
		return fmt.Errorf("library: extract text of file %d: %w", f.ID, err)
	}
	defer body.Close()
	text, err := s.pdfText(ctx, body)
	if err != nil {
		return fmt.Errorf("library: extract text of file %d: %w", f.ID, err)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockItem(ctx, f.ItemID); err != nil {
			return err
		}
		if err := store.SetFileText(ctx, f.ID, text, s.now()); err != nil {
			return err
		}
		return store.RefreshSearch(ctx, f.ItemID)
	})
	if errors.Is(err, ErrNotFound) {
		return nil // the item went away meanwhile
	}
	if err == nil {
		s.log.InfoContext(ctx, "library: text extracted", "file_id", f.ID, "item_id", f.ItemID, "chars", utf8.RuneCountInString(text))
	}
	return err
}

// pdfText runs pdftotext on a PDF and returns its text, cut at
// maxExtractedText bytes on a character boundary, without NUL bytes
// (PostgreSQL text cannot hold them) or invalid UTF-8.
func (s *Service) pdfText(ctx context.Context, pdf io.Reader) (string, error) {
	cmd := exec.CommandContext(ctx, s.pdftotext, "-q", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = pdf
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", s.pdftotext, err)
	}
	out, readErr := io.ReadAll(io.LimitReader(stdout, maxExtractedText+utf8.UTFMax))
	if len(out) > maxExtractedText {
		// Enough: the rest is not read, and pdftotext stops on the closed pipe.
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	if readErr != nil {
		return "", readErr
	}
	if len(out) <= maxExtractedText && waitErr != nil {
		if ctx.Err() != nil {
			return "", ctx.Err() // timed out or stopping: try again later
		}
		var exit *exec.ExitError
		if errors.As(waitErr, &exit) {
			return "", jobs.Permanent(fmt.Errorf("pdftotext: %w: %s", waitErr, strings.TrimSpace(stderr.String())))
		}
		return "", waitErr
	}
	if len(out) > maxExtractedText {
		out = out[:maxExtractedText] // a character cut here is dropped below
	}
	text := strings.ToValidUTF8(strings.ReplaceAll(string(out), "\x00", ""), "")
	return strings.TrimSpace(text), nil
}
