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
		parsed, err := courses.ParseBulkCSV(strings.NewReader(file))
		if err != nil || len(parsed.Errors) != 0 {
			t.Fatalf("%s: %v %+v", name, err, parsed)
		}
		rows := parsed.Rows
		if len(rows) != 2 || rows[0].Name != "Ana Peña" || rows[1].Name != "João da Conceição" || rows[1].InstitutionAcronym != "ISSM" || rows[0].Email != "ana@example.org" {
			t.Errorf("%s: rows %+v", name, rows)
		}
	}

	parsed, err := courses.ParseBulkCSV(strings.NewReader("email;name;institution_acronym;locale;role\nnot-an-email;X;INSS;;\nok@example.org;Ok;INSS;pt;learner\nOK@example.org;Dup;INSS;;\nrole@example.org;R;;;admin\nloc@example.org;L;;klingon;\n\"broken;x;y\n"))
	if err != nil {
		t.Fatalf("bad lines: %v, want them listed", err)
	}
	got := map[int]string{}
	for _, r := range parsed.Errors {
		got[r.Line] = r.Key
	}
	if got[2] != "bulk.bad_email" || got[4] != "bulk.duplicate" || got[5] != "bulk.role_not_allowed" || got[6] != "bulk.bad_locale" || got[7] != "bulk.bad_line" || len(got) != 5 {
		t.Errorf("row errors %+v", parsed.Errors)
	}
	if parsed.Rows[1].Locale != "pt-BR" {
		t.Errorf("locale column: %+v", parsed.Rows[1])
	}
	var rowErrs courses.RowErrors

	if _, err := courses.ParseBulkCSV(strings.NewReader("correo,nombre\nx@y.z,X\n")); !errors.As(err, &rowErrs) || rowErrs[0].Key != "bulk.header" {
		t.Errorf("wrong header: %v", err)
	}
	if _, err := courses.ParseBulkCSV(strings.NewReader("email,name,institution_acronym\nana@example.org,Ana \xff,INSS\n")); !errors.As(err, &rowErrs) || rowErrs[0].Key != "bulk.not_utf8" {
		t.Errorf("Latin-1 file: %v", err)
	}
}

func institution(t testing.TB, db bun.IDB, acronym string) *accounts.Institution {
	t.Helper()
	return institutionIn(t, db, acronym, "PT")
}

func institutionIn(t testing.TB, db bun.IDB, acronym, country string) *accounts.Institution {
	t.Helper()
	inst := &accounts.Institution{Name: "Instituto " + acronym, Acronym: acronym, Country: country}
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
	rows := func(dryRun bool) courses.BulkImport {
		return courses.BulkImport{File: strings.NewReader(file), DryRun: dryRun}
	}

	usersBefore, enrolBefore := count(t, db, "users"), count(t, db, "enrolments")
	dry, err := svc.BulkEnrol(ctx, admin, c.ID, rows(true))
	if err != nil {
		t.Fatal(err)
	}
	if dry.CreatedUsers != 2 || dry.Enrolled != 2 || dry.AlreadyEnrolled != 1 || !dry.DryRun {
		t.Errorf("dry run %+v", dry)
	}
	if count(t, db, "users") != usersBefore || count(t, db, "enrolments") != enrolBefore {
		t.Fatal("dry run wrote rows")
	}

	res, err := svc.BulkEnrol(ctx, admin, c.ID, rows(false))
	if err != nil {
		t.Fatal(err)
	}
	if res.CreatedUsers != 2 || res.Enrolled != 2 || res.AlreadyEnrolled != 1 || len(res.NewAccounts) != 2 || res.NewAccounts[0].PasswordToken == "" {
		t.Errorf("import %+v", res)
	}
	created, err := accounts.NewStore(db).UserByEmail(ctx, fmt.Sprintf("new%d@example.org", n))
	if err != nil || created.Name != "Ana Peña" || created.InstitutionID == nil || created.Role != accounts.RoleLearner || created.Locale != "pt-PT" {
		t.Fatalf("created user %+v %v", created, err)
	}

	// The same file again is harmless.
	again, err := svc.BulkEnrol(ctx, admin, c.ID, rows(false))
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
	// Four bad lines, two the file shows (a broken email, a role a file
	// may not give) and two only the database shows: all four come back
	// in one answer, in line order.
	file := fmt.Sprintf("email,name,institution_acronym,role\ngood%d@example.org,Good,%s,\nbad%d@example.org,Bad,NOPE,\nnot-an-email,X,%s,\nnoname%d@example.org,,%s,\nboss%d@example.org,Boss,,admin\n",
		n, acr, n, acr, n, acr, n)
	admin := administrator(t, db)
	usersBefore, enrolBefore := count(t, db, "users"), count(t, db, "enrolments")
	_, err := svc.BulkEnrol(ctx, admin, c.ID, courses.BulkImport{File: strings.NewReader(file)})
	var rowErrs courses.RowErrors
	if !errors.As(err, &rowErrs) {
		t.Fatalf("err %v, want RowErrors", err)
	}
	var got []string
	for _, r := range rowErrs {
		got = append(got, fmt.Sprintf("%d %s", r.Line, r.Key))
	}
	if want := "3 bulk.unknown_institution, 4 bulk.bad_email, 5 bulk.name_required, 6 bulk.role_not_allowed"; strings.Join(got, ", ") != want {
		t.Fatalf("row errors %v\nwant %s", got, want)
	}
	if count(t, db, "users") != usersBefore || count(t, db, "enrolments") != enrolBefore {
		t.Fatal("a bad row let other rows through")
	}
}

// TestBulkEnrolLocales: a new account speaks the file's locale for it or,
// without one, its institution's country's language, or the course's when
// it has no institution; an existing account keeps its own.
func TestBulkEnrolLocales(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1) // taught in Spanish
	n := enrolSeq.Add(1)
	br, mz, ar, fr := fmt.Sprintf("BR%d", n), fmt.Sprintf("MZ%d", n), fmt.Sprintf("AR%d", n), fmt.Sprintf("FR%d", n)
	institutionIn(t, db, br, "BR")
	institutionIn(t, db, mz, "MZ")
	institutionIn(t, db, ar, "AR")
	institutionIn(t, db, fr, "FR")
	known := learner(t, db) // speaks Portuguese
	file := fmt.Sprintf("email;name;institution_acronym;locale\n"+
		"br%[1]d@example.org;João Conceição;%[2]s;\n"+
		"mz%[1]d@example.org;Amélia Machava;%[3]s;\n"+
		"ar%[1]d@example.org;Lucía Peña;%[4]s;\n"+
		"fr%[1]d@example.org;Claire Martin;%[5]s;\n"+
		"none%[1]d@example.org;Sin Institución;;\n"+
		"chosen%[1]d@example.org;Chosen;%[2]s;EN\n"+
		"%[6]s;;;es\n", n, br, mz, ar, fr, known.Email)
	if _, err := svc.BulkEnrol(ctx, administrator(t, db), c.ID, courses.BulkImport{File: strings.NewReader(file)}); err != nil {
		t.Fatal(err)
	}
	for prefix, want := range map[string]string{"br": "pt-BR", "mz": "pt-PT", "ar": "es", "fr": "en", "none": "es", "chosen": "en"} {
		u, err := accounts.NewStore(db).UserByEmail(ctx, fmt.Sprintf("%s%d@example.org", prefix, n))
		if err != nil || u.Locale != want {
			t.Errorf("%s: %+v %v, want locale %s", prefix, u, err, want)
		}
	}
	if u, _ := accounts.NewStore(db).UserByEmail(ctx, known.Email); u.Locale != known.Locale {
		t.Errorf("an existing account's locale changed to %s", u.Locale)
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
		res, err := svc.BulkEnrol(ctx, admin, c.ID, courses.BulkImport{File: strings.NewReader(sb.String())})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Enrolled != 10000 || res.CreatedUsers != 10000 {
			b.Fatalf("%+v", res)
		}
	}
}
