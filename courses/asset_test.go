package courses_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// assetRows counts the file rows of a course.
func (a *authoring) assetRows(courseID int64) int {
	a.t.Helper()
	n, err := a.db.NewSelect().Model((*courses.Asset)(nil)).Where("course_id = ?", courseID).Count(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func TestUploadAsset(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Archivos")
	png := encodedImage(t, "png")

	asset, err := a.svc.UploadAsset(ctx, owner, c.ID, `C:\Users\Peña\..\Gráfico de cobertura.png`, bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	if asset.ID == 0 || asset.CourseID != c.ID || asset.ContentType != "image/png" || asset.SizeBytes != int64(len(png)) ||
		asset.SHA256 != sha256Hex(png) || asset.FileName != "Gráfico de cobertura.png" || !asset.IsImage() {
		t.Errorf("asset %+v", asset)
	}
	f, err := a.svc.OpenAsset(ctx, asset)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, png) {
		t.Error("stored bytes differ")
	}

	// The same file again is the same asset; under another name, another
	// row sharing the same bytes.
	again, err := a.svc.UploadAsset(ctx, owner, c.ID, "Gráfico de cobertura.png", bytes.NewReader(png))
	if err != nil || again.ID != asset.ID {
		t.Errorf("same upload twice: %v, id %d then %d", err, asset.ID, again.ID)
	}
	renamed, err := a.svc.UploadAsset(ctx, owner, c.ID, "otro.png", bytes.NewReader(png))
	if err != nil || renamed.ID == asset.ID || renamed.SHA256 != asset.SHA256 {
		t.Errorf("renamed copy: %v %+v", err, renamed)
	}
	if files := storedFiles(t, a.blobs); len(files) != 1 {
		t.Errorf("blobs on disk %v, want one copy", files)
	}

	// A PDF is attached, not shown: it is not a cover.
	pdf, err := a.svc.UploadAsset(ctx, owner, c.ID, "guía.pdf", strings.NewReader("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pdf.ContentType != "application/pdf" || pdf.IsImage() {
		t.Errorf("pdf %+v", pdf)
	}
	list, err := a.svc.Assets(ctx, owner, c.ID)
	if err != nil || len(list) != 3 || list[0].ID != pdf.ID {
		t.Errorf("Assets = %v, %v; want 3, newest first", list, err)
	}

	params := courses.CourseParams{Title: c.Title, Language: "es", WorkloadHours: 10}
	params.CoverAssetID = &pdf.ID
	if _, err := a.svc.UpdateCourse(ctx, owner, c.ID, params); !errors.Is(err, courses.ErrInvalidCover) {
		t.Errorf("pdf as cover: %v, want ErrInvalidCover", err)
	}
	other := a.course(owner, "Otro")
	otherAsset, err := a.svc.UploadAsset(ctx, owner, other.ID, "x.png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	params.CoverAssetID = &otherAsset.ID
	if _, err := a.svc.UpdateCourse(ctx, owner, c.ID, params); !errors.Is(err, courses.ErrInvalidCover) {
		t.Errorf("another course's image as cover: %v, want ErrInvalidCover", err)
	}
	params.CoverAssetID = &asset.ID
	updated, err := a.svc.UpdateCourse(ctx, owner, c.ID, params)
	if err != nil || updated.CoverAssetID == nil || *updated.CoverAssetID != asset.ID {
		t.Fatalf("set cover: %v %+v", err, updated)
	}
	// Deleting the cover's file leaves the course without a cover.
	if err := a.svc.DeleteAsset(ctx, owner, c.ID, asset.ID); err != nil {
		t.Fatal(err)
	}
	acc, err := a.svc.Access(ctx, owner, c.ID)
	if err != nil || acc.Course.CoverAssetID != nil {
		t.Errorf("after deleting the cover: %v, cover %v", err, acc.Course.CoverAssetID)
	}
}

func TestUploadAssetRefusals(t *testing.T) {
	a := newAuthoring(t) // uploads of at most 1 MB
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	learner := a.person(accounts.RoleLearner)
	other := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Rechazos")
	png := encodedImage(t, "png")

	tests := []struct {
		name    string
		actor   courses.Actor
		file    string
		content io.Reader
		want    error
	}{
		{"html renamed .png", owner, "foto.png", strings.NewReader("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"), courses.ErrFileType},
		{"svg", owner, "logo.png", strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), courses.ErrFileType},
		{"empty", owner, "vacío.pdf", strings.NewReader(""), courses.ErrFileType},
		{"over the limit", owner, "grande.png", io.MultiReader(bytes.NewReader(png), io.LimitReader(endlessZeros{}, 2<<20)), courses.ErrTooLarge},
		{"learner", learner, "x.png", bytes.NewReader(png), courses.ErrNotFound},
		{"other instructor", other, "x.png", bytes.NewReader(png), courses.ErrNotFound},
		{"visitor", courses.Actor{}, "x.png", bytes.NewReader(png), courses.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := a.svc.UploadAsset(ctx, tc.actor, c.ID, tc.file, tc.content); !errors.Is(err, tc.want) {
				t.Fatalf("UploadAsset = %+v, %v; want %v", got, err, tc.want)
			}
			if files := storedFiles(t, a.blobs); len(files) != 0 {
				t.Errorf("files stored: %v", files)
			}
			if n := a.assetRows(c.ID); n != 0 {
				t.Errorf("%d rows stored", n)
			}
		})
	}
}

func TestAssetVisibility(t *testing.T) {
	a := newAuthoring(t)
	ctx := context.Background()
	owner := a.person(accounts.RoleInstructor)
	learner := a.person(accounts.RoleLearner)
	c := a.course(owner, "Visibilidad de archivos")
	a.module(owner, c.ID, "Uno")
	asset, err := a.svc.UploadAsset(ctx, owner, c.ID, "x.png", bytes.NewReader(encodedImage(t, "png")))
	if err != nil {
		t.Fatal(err)
	}
	for _, actor := range []courses.Actor{{}, learner} {
		if _, _, err := a.svc.Asset(ctx, actor, c.ID, asset.ID); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("draft file to %+v: %v, want ErrNotFound", actor, err)
		}
	}
	if _, _, err := a.svc.Asset(ctx, owner, c.ID, asset.ID); err != nil {
		t.Errorf("draft file to its instructor: %v", err)
	}
	if _, err := a.svc.Assets(ctx, learner, c.ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("file list to a learner: %v", err)
	}
	if _, err := a.svc.Publish(ctx, owner, c.ID); err != nil {
		t.Fatal(err)
	}
	// Published: the file belongs to the modules, for those who read them;
	// as the cover it is for everyone.
	for _, actor := range []courses.Actor{{}, learner} {
		if _, _, err := a.svc.Asset(ctx, actor, c.ID, asset.ID); !errors.Is(err, courses.ErrForbidden) {
			t.Errorf("published module file to %+v: %v, want ErrForbidden", actor, err)
		}
	}
	if _, err := a.svc.Enrol(ctx, learner.UserID, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, acc, err := a.svc.Asset(ctx, learner, c.ID, asset.ID); err != nil || acc.PublicFile(asset.ID) {
		t.Errorf("published module file to an enrolled learner: %v (public %v)", err, acc != nil && acc.PublicFile(asset.ID))
	}
	if _, err := a.svc.UpdateCourse(ctx, owner, c.ID, courses.CourseParams{Title: c.Title, Summary: c.Summary, Language: c.Language,
		WorkloadHours: c.WorkloadHours, CoverAssetID: &asset.ID}); err != nil {
		t.Fatal(err)
	}
	if _, acc, err := a.svc.Asset(ctx, courses.Actor{}, c.ID, asset.ID); err != nil || !acc.PublicFile(asset.ID) {
		t.Errorf("published cover to a visitor: %v", err)
	}
	other := a.course(owner, "Otro")
	if _, _, err := a.svc.Asset(ctx, owner, other.ID, asset.ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("file through another course: %v", err)
	}
	if err := a.svc.DeleteAsset(ctx, learner, c.ID, asset.ID); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("learner deletes a file: %v, want ErrForbidden", err)
	}
}
