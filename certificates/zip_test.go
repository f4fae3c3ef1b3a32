package certificates

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/jobs"
)

func TestSaveIssuer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.admin()
	before, err := f.svc.IssuerSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]IssuerParams{
		"no name":        {Name: " "},
		"bad colour":     {Name: "Escuela", AccentColor: "blue"},
		"logo not image": {Name: "Escuela", Logo: []byte("<svg/>")},
		"signature GIF": {Name: "Escuela", Signatories: [2]SignatoryParams{
			{Name: "Ana", Signature: []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")}}},
	} {
		if _, err := f.svc.SaveIssuer(ctx, p, admin.ID); !errors.Is(err, ErrInvalidIssuer) {
			t.Errorf("%s: %v, want ErrInvalidIssuer", name, err)
		}
	}
	saved, err := f.svc.SaveIssuer(ctx, IssuerParams{
		Name: "Escuela Regional de Protección Social", AccentColor: "#7a1f1f", Logo: testLogo(),
		Signatories: [2]SignatoryParams{{}, {Name: "Carlos Muñoz", Title: "Coordinador", Signature: testSignature()}},
	}, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version <= before.Version || saved.AccentColor != "#7A1F1F" || !bytes.Equal(saved.Logo, testLogo()) ||
		len(saved.Signatories) != 1 || saved.Signatories[0].Name != "Carlos Muñoz" {
		t.Errorf("saved %+v", saved)
	}
	// Saving again without files keeps them; removing drops them.
	kept, err := f.svc.SaveIssuer(ctx, IssuerParams{Name: saved.Name, Signatories: [2]SignatoryParams{{Name: "Carlos Muñoz"}}}, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(kept.Logo, testLogo()) || !bytes.Equal(kept.Signatories[0].Signature, testSignature()) {
		t.Error("saving without new images dropped the old ones")
	}
	got, err := f.svc.IssuerSettings(ctx)
	if err != nil || got.Version != kept.Version {
		t.Errorf("cached settings not refreshed: %+v %v", got, err)
	}
	if _, err := f.svc.SaveIssuer(ctx, IssuerParams{Name: saved.Name, RemoveLogo: true}, admin.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.IssuerSettings(ctx); got.Logo != nil || len(got.Signatories) != 0 {
		t.Errorf("after removing: %+v", got)
	}
}

func TestZip(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.admin()
	if _, err := f.svc.SaveIssuer(ctx, IssuerParams{Name: "Escuela", Logo: testLogo(),
		Signatories: [2]SignatoryParams{{Name: "Ana", Signature: testSignature()}, {Name: "Carlos", Signature: testSignature()}}}, admin.ID); err != nil {
		t.Fatal(err)
	}
	c, _ := f.course(1, nil)
	var ids []int64
	for range 30 {
		ids = append(ids, f.user("João Conceição").ID)
	}
	res, err := f.svc.IssueMany(ctx, c.ID, ids, time.Time{}, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Revoke(ctx, res.Issued[0].Code, admin.ID, "revocado"); err != nil {
		t.Fatal(err)
	}

	job, err := f.svc.StartZip(ctx, c.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != ZipPending || job.Total != 29 {
		t.Errorf("new job %+v", job)
	}
	if again, _ := f.svc.StartZip(ctx, c.ID, admin.ID); again.ID != job.ID {
		t.Errorf("a second start made job %d besides %d", again.ID, job.ID)
	}
	if _, _, err := f.svc.OpenZip(ctx, job.ID); !errors.Is(err, ErrNotReady) {
		t.Errorf("open before done: %v", err)
	}
	// A process that died half-way: its job is taken over once its lease
	// runs out.
	if _, err := jobs.NewStore(f.db).Claim(ctx, []string{ZipKind}, "dead-process", time.Now(), zipTimeout); err != nil {
		t.Fatal(err)
	}
	if _, err := NewStore(f.db).StartZipAttempt(ctx, job.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.workZips()
	if got, _ := f.svc.ZipJob(ctx, job.ID); got.Status != ZipRunning && got.Status != ZipPending {
		t.Fatalf("a job leased to a live process was taken: %+v", got)
	}
	f.clock.Set(time.Now().Add(zipTimeout + 2*time.Minute))
	f.workZips()
	f.clock.Set(time.Now())
	done, err := f.svc.ZipJob(ctx, job.ID)
	if err != nil || done.Status != ZipDone || done.Done != 29 || done.Total != 29 || done.Attempt != 2 || done.Percent() != 100 {
		t.Fatalf("finished job %+v %v", done, err)
	}
	// The file is in the file storage, not in the database.
	if done.BlobSHA256 == nil {
		t.Fatalf("finished job names no file: %+v", done)
	}
	stored, err := f.blobs.Open(ctx, *done.BlobSHA256)
	if err != nil {
		t.Fatalf("the ZIP is not in the file storage: %v", err)
	}
	if n, _ := io.Copy(io.Discard, stored); n != done.SizeBytes || n < 29*1000 {
		t.Errorf("stored file of %d bytes, job says %d", n, done.SizeBytes)
	}
	stored.Close()
	var inDB int64
	if err := f.db.NewRaw(`SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM certificate_zip_jobs AS t`).Scan(ctx, &inDB); err != nil {
		t.Fatal(err)
	}
	if inDB > 10_000 {
		t.Errorf("the ZIP jobs take %d bytes in the database", inDB)
	}

	r, size, err := f.svc.OpenZip(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(r)
	r.Close()
	if err != nil || int64(len(data)) != size {
		t.Fatalf("read %d bytes of %d: %v", len(data), size, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), size)
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 29 {
		t.Fatalf("%d files in the ZIP, want 29", len(zr.File))
	}
	names := map[string]bool{}
	for _, zf := range zr.File {
		names[zf.Name] = true
		if !strings.HasSuffix(zf.Name, " João Conceição.pdf") || !strings.HasPrefix(zf.Name, "AULA-") {
			t.Errorf("entry name %q", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		if _, err := io.ReadFull(rc, head); err != nil || string(head) != "%PDF-" {
			t.Errorf("%s is not a PDF: %q %v", zf.Name, head, err)
		}
		rc.Close()
	}
	if len(names) != 29 || names[res.Issued[0].Code+" João Conceição.pdf"] {
		t.Errorf("names not unique, or the revoked certificate is in the ZIP")
	}
	latest, err := f.svc.LatestZip(ctx, c.ID)
	if err != nil || latest.ID != job.ID {
		t.Errorf("latest job %+v %v", latest, err)
	}
	// Finished files go after a day, from the database and then from the
	// storage with its sweep; a course's file and another part's file (a
	// library file, say) in the same storage stay.
	teacher := f.admin()
	asset, err := f.courses.UploadAsset(ctx, courses.Actor{UserID: teacher.ID, Role: teacher.Role}, c.ID, "guia.pdf",
		strings.NewReader("%PDF-1.4\n% a course file\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.blobs.Put(ctx, strings.NewReader("a library file"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f.courses.AddBlobUser(func(_ context.Context, sums []string) (map[string]bool, error) {
		return map[string]bool{other.SHA256: slices.Contains(sums, other.SHA256)}, nil
	})
	f.clock.Set(time.Now().Add(25 * time.Hour))
	if n, err := f.svc.SweepZips(ctx); err != nil || n < 1 {
		t.Errorf("sweep removed %d jobs: %v", n, err)
	}
	if _, err := f.svc.ZipJob(ctx, job.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("swept job still there: %v", err)
	}
	if _, err := f.courses.SweepBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blobs.Open(ctx, *done.BlobSHA256); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("the expired ZIP is still in storage: %v", err)
	}
	for what, sum := range map[string]string{"a course's file": asset.SHA256, "another part's file": other.SHA256} {
		if r, err := f.blobs.Open(ctx, sum); err != nil {
			t.Errorf("sweeping ZIPs took %s: %v", what, err)
		} else {
			r.Close()
		}
	}
}

func TestZipEntryName(t *testing.T) {
	taken := map[string]bool{}
	c := &Certificate{Code: "AULA-7KM3-Q9XH-2P", HolderName: "Ana/Maria: \"Peña\"\n"}
	if got := zipEntryName(c, taken); got != "AULA-7KM3-Q9XH-2P Ana_Maria_ _Peña__.pdf" {
		t.Errorf("name %q", got)
	}
	if got := zipEntryName(c, taken); got != "AULA-7KM3-Q9XH-2P Ana_Maria_ _Peña__ (2).pdf" {
		t.Errorf("second name %q", got)
	}
}

// TestZipWorkersShareTheQueue runs several workers at once, as several app
// processes would: every job is made once, by one of them.
func TestZipWorkersShareTheQueue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.admin()
	var jobs []*ZipJob
	for range 4 {
		c, _ := f.course(1, nil)
		if _, err := f.svc.Issue(ctx, IssueParams{UserID: f.user("Ana").ID, CourseID: c.ID, By: admin.ID}); err != nil {
			t.Fatal(err)
		}
		job, err := f.svc.StartZip(ctx, c.ID, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ran, err := f.jobs.WorkOne(ctx)
				if err != nil {
					errs <- err
				}
				if !ran || err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, j := range jobs {
		got, err := f.svc.ZipJob(ctx, j.ID)
		if err != nil || got.Status != ZipDone || got.Attempt != 1 || got.Done != 1 {
			t.Errorf("job %d: %+v %v", j.ID, got, err)
		}
	}
}

// workZips works every due job, as the processes' queues would.
func (f *fixture) workZips() {
	f.t.Helper()
	for {
		ran, err := f.jobs.WorkOne(context.Background())
		if err != nil {
			f.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}
