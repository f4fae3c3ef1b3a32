package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/courses/s3test"
	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/wiring"
)

// installationState is what a backup must bring back, read through the
// services as users see it.
type installationState struct {
	certificates map[string]string // code → holder
	attempts     int               // over the quiz's results
	file         []byte            // the course file's bytes
}

// TestBackupRestoreRoundTrip: an installation with courses, a submitted
// attempt, certificates and a course file is backed up with `aula
// backup` while on its folder, and `aula restore` brings it back into a
// new database on an S3 bucket: the same certificates, every one still
// verifying with its signature, the same attempts and the same file.
// Restoring again over it is refused and changes nothing.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, dsn := openNewDatabase(t)
	dataDir := t.TempDir()
	cfg := withConfig(t, "AULA_DATABASE_URL", dsn, "AULA_DATA_DIR", dataDir)
	svc, err := newServices(ctx, db, cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	courseID, quizID, assetID, teacher := fillInstallation(t, svc, cfg)
	before := readState(t, svc, teacher, courseID, quizID, assetID)
	if len(before.certificates) < 2 || before.attempts < 1 || len(before.file) == 0 {
		t.Fatalf("fixture too small: %+v", before)
	}

	archive := filepath.Join(t.TempDir(), "aula.tar")
	out, err := runAula(t, testEnv(t, dsn, dataDir), "backup", "-o", archive)
	if err != nil || !strings.Contains(out, "the database and 3 files") { // the demo's 2 covers and the upload
		t.Fatalf("aula backup: %v\n%s", err, out)
	}

	srv := s3test.Start(t)
	newDSN := newDatabaseURL(t)
	env := append(testEnv(t, newDSN, t.TempDir(), "AULA_STORAGE_URL="+srv.URL()), srv.Env()...)
	if out, err := runAula(t, env, "restore", "-i", archive); err != nil {
		t.Fatalf("aula restore: %v\n%s", err, out)
	}
	if out, err := runAula(t, env, "restore", "-i", archive); err == nil || !strings.Contains(out, "not empty") {
		t.Errorf("a second restore over the first: %v\n%s", err, out)
	}

	restoredDB := postgres.Open(newDSN, postgres.Options{})
	defer restoredDB.Close()
	srv.SetEnv(t)
	blobs, err := courses.NewS3Store(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	restored, err := wiring.New(restoredDB, wiring.Options{Blobs: blobs, BaseURL: cfg.BaseURL, Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	after := readState(t, restored, teacher, courseID, quizID, assetID)
	if len(after.certificates) != len(before.certificates) || after.attempts != before.attempts || !bytes.Equal(after.file, before.file) {
		t.Fatalf("restored %d certificates, %d attempts, %d file bytes; backed up %d, %d, %d",
			len(after.certificates), after.attempts, len(after.file), len(before.certificates), before.attempts, len(before.file))
	}
	for code, holder := range before.certificates {
		v, err := restored.Certificates.Lookup(ctx, code)
		if err != nil {
			t.Fatalf("certificate %s after restore: %v", code, err)
		}
		pub, err := certificates.ParsePublicKey(v.Key.Public)
		if err != nil {
			t.Fatal(err)
		}
		if err := certificates.Verify(pub, v.Certificate.Snapshot().Payload(), v.Certificate.Signature); err != nil {
			t.Errorf("certificate %s of %s no longer verifies: %v", code, holder, err)
		}
		if v.Status != certificates.StatusValid || v.Certificate.Snapshot().Payload().HolderName != holder {
			t.Errorf("certificate %s restored as %s for %q", code, v.Status, v.Certificate.Snapshot().Payload().HolderName)
		}
	}
}

// fillInstallation loads the demo content, adds a course file, has a
// learner submit the quiz, and issues certificates.
func fillInstallation(t *testing.T, svc *wiring.Services, cfg *config) (courseID, quizID, assetID int64, teacher *accounts.User) {
	t.Helper()
	ctx := context.Background()
	// The admin first: the demo acts as one for the library and the exchange.
	admin, err := svc.Accounts.CreateUser(ctx, accounts.CreateUserParams{Email: "admin@backup.test", Name: "Ana Conceição", Password: "tres tigres tristes en el trigal", Role: accounts.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	report, err := seedDemo(ctx, svc, cfg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	users := accounts.NewStore(svc.Courses.DB())
	if teacher, err = users.UserByEmail(ctx, courses.DemoTeacherEmail); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.Courses.Catalog(ctx, courses.CatalogQuery{Limit: 10})
	if err != nil || len(list) == 0 {
		t.Fatalf("catalog: %v", err)
	}
	course := list[0]
	acc, err := svc.Assessment.QuizCourse(ctx, courses.ActorFor(teacher), course.ID)
	if err != nil {
		t.Fatal(err)
	}
	quizzes, err := svc.Assessment.CourseQuizzes(ctx, acc)
	if err != nil || len(quizzes) == 0 {
		t.Fatalf("quizzes of %q: %v", course.Title, err)
	}
	png, err := assets.Demo.Open("introduccion-a-la-seguridad-social.png")
	if err != nil {
		t.Fatal(err)
	}
	defer png.Close()
	asset, err := svc.Courses.UploadAsset(ctx, courses.ActorFor(teacher), course.ID, "diapositiva-peña.png", png)
	if err != nil {
		t.Fatal(err)
	}

	issued := 0
	for _, a := range report.Accounts {
		if a.Role != accounts.RoleLearner {
			continue
		}
		u, err := users.UserByEmail(ctx, a.Email)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Courses.Enrol(ctx, u.ID, course.ID, nil); err != nil && !errors.Is(err, courses.ErrAlreadyEnrolled) {
			t.Fatal(err)
		}
		d, _, err := svc.Assessment.Start(ctx, courses.ActorFor(u), quizzes[0].Quiz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Assessment.Submit(ctx, u.ID, d.Attempt.ID, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Certificates.Issue(ctx, certificates.IssueParams{UserID: u.ID, CourseID: course.ID, By: admin.ID}); err != nil {
			t.Fatal(err)
		}
		issued++
	}
	// One more, of a name with every accent the PDFs must keep.
	joao, err := svc.Accounts.CreateUser(ctx, accounts.CreateUserParams{Email: "joao@backup.test", Name: "João Conceição Peña", Password: "tres tigres tristes en el trigal", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Certificates.Issue(ctx, certificates.IssueParams{UserID: joao.ID, CourseID: course.ID, By: admin.ID}); err != nil {
		t.Fatal(err)
	}
	return course.ID, quizzes[0].Quiz.ID, asset.ID, teacher
}

// readState reads what a backup must keep, through the services.
func readState(t *testing.T, svc *wiring.Services, teacher *accounts.User, courseID, quizID, assetID int64) installationState {
	t.Helper()
	ctx := context.Background()
	st := installationState{certificates: map[string]string{}}
	list, _, err := svc.Certificates.List(ctx, certificates.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		st.certificates[c.Code] = c.Snapshot().Payload().HolderName
	}
	res, err := svc.Assessment.Results(ctx, courses.ActorFor(teacher), quizID, assessment.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	st.attempts = res.Total
	a, _, err := svc.Courses.Asset(ctx, courses.ActorFor(teacher), courseID, assetID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := svc.Courses.OpenAsset(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if st.file, err = io.ReadAll(f); err != nil {
		t.Fatal(err)
	}
	return st
}
