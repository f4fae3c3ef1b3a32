package library_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/library"
)

// pdfWith makes a real PDF whose page says text (Latin-1 accents).
func pdfWith(t *testing.T, text string) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.MultiCell(0, 6, tr(text), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func upload(name string, content []byte) func() (*library.Upload, error) {
	return func() (*library.Upload, error) {
		return &library.Upload{Name: name, Body: bytes.NewReader(content)}, nil
	}
}

// queue is a job queue working only the library's extraction.
func (e *env) queue() *jobs.Queue {
	q := jobs.New(e.db, jobs.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	q.Register(e.lib.ExtractTextJob())
	return q
}

func TestTextInsidePDFsIsSearchedOnceExtracted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	it := e.item(lib, params("Relatório anual "+tag))
	word := unique("palavra")
	doc := pdfWith(t, "As contribuições dos trabalhadores independentes e "+word+" na segurança social.")
	f, err := e.lib.AttachFile(ctx, lib, it.ID, upload("relatório.pdf", doc))
	if err != nil {
		t.Fatal(err)
	}
	if f.ContentType != "application/pdf" || f.ExtractedAt != nil {
		t.Fatalf("attached %+v", f)
	}
	if res := e.search(library.Query{Text: word}); res.Total != 0 {
		t.Fatal("found before the text was extracted")
	}
	q := e.queue()
	for {
		worked, err := q.WorkOne(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !worked {
			break
		}
	}
	if res := e.search(library.Query{Text: word}); res.Total != 1 || res.Items[0].ID != it.ID {
		t.Fatalf("the PDF's word finds %d items", res.Total)
	}
	// Stemmed like the item: "contribuição" finds "contribuições".
	if res := e.search(library.Query{Text: "contribuicao " + tag}); res.Total != 1 {
		t.Fatalf("a stemmed word of the PDF finds %d items", res.Total)
	}
	got, err := e.lib.Item(ctx, nil, it.ID)
	if err != nil || len(got.Files) != 1 || got.Files[0].ExtractedAt == nil {
		t.Fatalf("file after extraction: %+v %v", got.Files, err)
	}
	// Run again (a job runs at least once): nothing changes.
	if err := e.lib.ExtractText(ctx, &jobs.Job{Kind: library.ExtractTextKind, Args: []byte(`{"file_id":` + itoa(f.ID) + `}`)}); err != nil {
		t.Fatal(err)
	}
	// Removing the file takes its words out of the search.
	if err := e.lib.DeleteFile(ctx, lib, it.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	if res := e.search(library.Query{Text: word}); res.Total != 0 {
		t.Fatal("the removed file's text is still searched")
	}
}

func TestUnreadablePDFFailsForGood(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	it := e.item(lib, params("PDF estragado"))
	broken := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	f, err := e.lib.AttachFile(ctx, lib, it.ID, upload("estragado.pdf", broken))
	if err != nil {
		t.Fatal(err)
	}
	q := e.queue()
	for {
		worked, err := q.WorkOne(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !worked {
			break
		}
	}
	discarded, err := q.Store().List(ctx, jobs.StateDiscarded, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range discarded {
		var args struct {
			FileID int64 `json:"file_id"`
		}
		if j.Kind == library.ExtractTextKind && j.Decode(&args) == nil && args.FileID == f.ID {
			if j.Attempt != 1 || !strings.Contains(j.LastError, "pdftotext") {
				t.Fatalf("discarded after %d attempts: %q", j.Attempt, j.LastError)
			}
			return
		}
	}
	t.Fatal("the extraction of a broken PDF was not discarded at once")
}

func TestSameFileTwiceIsOneFile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	it := e.item(lib, params("Duplicado"))
	doc := pdfWith(t, "Mesmo conteúdo")
	a, err := e.lib.AttachFile(ctx, lib, it.ID, upload("a.pdf", doc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.lib.AttachFile(ctx, lib, it.ID, upload("b.pdf", doc))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID {
		t.Fatalf("two files for one content: %d, %d", a.ID, b.ID)
	}
	used, err := e.lib.FilesInUse(ctx, []string{a.SHA256, strings.Repeat("0", 64)})
	if err != nil || !used[a.SHA256] || len(used) != 1 {
		t.Fatalf("files in use: %v %v", used, err)
	}
	if _, err := e.lib.AttachFile(ctx, e.user(accounts.RoleLearner), it.ID, func() (*library.Upload, error) {
		t.Fatal("the body of a refused upload is read")
		return nil, nil
	}); !errors.Is(err, library.ErrForbidden) {
		t.Fatalf("a member attaches: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
