package courses_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

func TestParseBulkCSV(t *testing.T) {
	bom := "\xef\xbb\xbf"
	for name, file := range map[string]string{
		"comma LF":           "email,name,institution_acronym\nana@example.org,Ana Peña,INSS\njoao@example.org,João da Conceição,ISSM\n",
		"semicolon CRLF BOM": bom + "email;name;institution_acronym\r\nana@example.org;Ana Peña;INSS\r\njoao@example.org;\"João da Conceição\";ISSM\r\n",
		"reordered, blank":   "Name,Email,Institution_Acronym\r\nAna Peña,ana@example.org,INSS\r\n,,\r\nJoão da Conceição,joao@example.org,ISSM",
	} {
		rows, err := courses.ParseBulkCSV(strings.NewReader(file))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rows) != 2 || rows[0].Name != "Ana Peña" || rows[1].Name != "João da Conceição" || rows[1].InstitutionAcronym != "ISSM" || rows[0].Email != "ana@example.org" {
			t.Errorf("%s: rows %+v", name, rows)
		}
	}

	_, err := courses.ParseBulkCSV(strings.NewReader("email;name;institution_acronym\nnot-an-email;X;INSS\nok@example.org;Ok;INSS\nOK@example.org;Dup;INSS\n\"broken;x;y\n"))
	var rowErrs courses.RowErrors
	if !errors.As(err, &rowErrs) {
		t.Fatalf("bad file: %v, want RowErrors", err)
	}
	got := map[int]string{}
	for _, r := range rowErrs {
		got[r.Line] = r.Key
	}
	if got[2] != "bulk.bad_email" || got[4] != "bulk.duplicate" || got[5] != "bulk.bad_line" || len(got) != 3 {
		t.Errorf("row errors %+v", rowErrs)
	}

	if _, err := courses.ParseBulkCSV(strings.NewReader("correo,nombre\nx@y.z,X\n")); !errors.As(err, &rowErrs) || rowErrs[0].Key != "bulk.header" {
		t.Errorf("wrong header: %v", err)
	}
	if _, err := courses.ParseBulkCSV(strings.NewReader("email,name,institution_acronym\nana@example.org,Ana \xff,INSS\n")); !errors.As(err, &rowErrs) || rowErrs[0].Key != "bulk.not_utf8" {
		t.Errorf("Latin-1 file: %v", err)
	}
}

func institution(t testing.TB, db bun.IDB, acronym string) *accounts.Institution {
	t.Helper()
	inst := &accounts.Institution{Name: "Instituto " + acronym, Acronym: acronym, Country: "PT"}
	if err := accounts.NewStore(db).InsertInstitution(context.Background(), inst); err != nil {
		t.Fatal(err)
	}
	return inst
}

func count(t testing.TB, db bun.IDB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkEnrol(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	acr := fmt.Sprintf("BLK%d", enrolSeq.Add(1))
	institution(t, db, acr)
	admin := administrator(t, db)
	existing := learner(t, db)
	if _, err := svc.Enrol(ctx, existing.ID, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	n := enrolSeq.Add(1)
	file := fmt.Sprintf("email;name;institution_acronym\r\nnew%d@example.org;Ana Peña;%s\r\n%s;;\r\nnew%d-b@example.org;João Conceição;%s\r\n",
		n, acr, strings.ToUpper(existing.Email), n, strings.ToLower(acr))
	rows, err := courses.ParseBulkCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}

	usersBefore, enrolBefore := count(t, db, "users"), count(t, db, "enrolments")
	dry, err := svc.BulkEnrol(ctx, admin, c.ID, rows, true)
	if err != nil {
		t.Fatal(err)
	}
	if dry.CreatedUsers != 2 || dry.Enrolled != 2 || dry.AlreadyEnrolled != 1 || !dry.DryRun {
		t.Errorf("dry run %+v", dry)
	}
	if count(t, db, "users") != usersBefore || count(t, db, "enrolments") != enrolBefore {
		t.Fatal("dry run wrote rows")
	}

	res, err := svc.BulkEnrol(ctx, admin, c.ID, rows, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.CreatedUsers != 2 || res.Enrolled != 2 || res.AlreadyEnrolled != 1 || len(res.NewAccounts) != 2 || res.NewAccounts[0].PasswordToken == "" {
		t.Errorf("import %+v", res)
	}
	created, err := accounts.NewStore(db).UserByEmail(ctx, fmt.Sprintf("new%d@example.org", n))
	if err != nil || created.Name != "Ana Peña" || created.InstitutionID == nil || created.Role != accounts.RoleLearner || created.Locale != "es" {
		t.Fatalf("created user %+v %v", created, err)
	}

	// The same file again is harmless.
	again, err := svc.BulkEnrol(ctx, admin, c.ID, rows, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.CreatedUsers != 0 || again.Enrolled != 0 || again.AlreadyEnrolled != 3 {
		t.Errorf("second import %+v", again)
	}
}

func TestBulkEnrolAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	acr := fmt.Sprintf("AON%d", enrolSeq.Add(1))
	institution(t, db, acr)
	n := enrolSeq.Add(1)
	file := fmt.Sprintf("email,name,institution_acronym\ngood%d@example.org,Good,%s\nbad%d@example.org,Bad,NOPE\nnoname%d@example.org,,%s\n", n, acr, n, n, acr)
	rows, err := courses.ParseBulkCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	admin := administrator(t, db)
	usersBefore, enrolBefore := count(t, db, "users"), count(t, db, "enrolments")
	_, err = svc.BulkEnrol(ctx, admin, c.ID, rows, false)
	var rowErrs courses.RowErrors
	if !errors.As(err, &rowErrs) || len(rowErrs) != 2 || rowErrs[0].Line != 3 || rowErrs[0].Key != "bulk.unknown_institution" || rowErrs[1].Line != 4 || rowErrs[1].Key != "bulk.name_required" {
		t.Fatalf("err %v (%+v)", err, rowErrs)
	}
	if count(t, db, "users") != usersBefore || count(t, db, "enrolments") != enrolBefore {
		t.Fatal("a bad row let other rows through")
	}
}

func TestEnrolInstitution(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	inst := institution(t, db, fmt.Sprintf("COH%d", enrolSeq.Add(1)))
	admin := administrator(t, db)
	for i := 0; i < 3; i++ {
		u := learner(t, db)
		if _, err := db.NewUpdate().Model(u).Set("institution_id = ?", inst.ID).WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	added, err := svc.EnrolInstitution(ctx, admin, c.ID, inst.ID)
	if err != nil || added != 3 {
		t.Fatalf("cohort: %d, %v", added, err)
	}
	if added, err = svc.EnrolInstitution(ctx, admin, c.ID, inst.ID); err != nil || added != 0 {
		t.Fatalf("cohort again: %d, %v", added, err)
	}
}

// BenchmarkBulkEnrol10k imports a 10,000-row file (new accounts, password
// links, enrolments) in one transaction. The goal: under 5 s.
func BenchmarkBulkEnrol10k(b *testing.B) {
	ctx := context.Background()
	db := enrolDB(b)
	svc := courses.NewService(db, courses.Options{})
	acr := fmt.Sprintf("BEN%d", enrolSeq.Add(1))
	institution(b, db, acr)
	admin := administrator(b, db)
	for i := 0; i < b.N; i++ {
		c, _ := publishedCourse(b, db, 3)
		var sb strings.Builder
		sb.WriteString("\xef\xbb\xbfemail;name;institution_acronym\r\n")
		run := enrolSeq.Add(1)
		for r := 0; r < 10000; r++ {
			fmt.Fprintf(&sb, "bench%d-%d@example.org;João da Conceição Peña %d;%s\r\n", run, r, r, acr)
		}
		b.StartTimer()
		rows, err := courses.ParseBulkCSV(strings.NewReader(sb.String()))
		if err != nil {
			b.Fatal(err)
		}
		res, err := svc.BulkEnrol(ctx, admin, c.ID, rows, false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Enrolled != 10000 || res.CreatedUsers != 10000 {
			b.Fatalf("%+v", res)
		}
	}
}
