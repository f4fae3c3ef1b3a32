package events_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/events"
)

// TestCheckIn: a registered participant checks in with the code on the
// screen while the session runs; the code replayed from an account that
// is not registered is refused (forbidden), and a code past its window,
// of another session or outside the session does nothing.
func TestCheckIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, sessions := f.event(org, nil, events.ModeOpen, 24*time.Hour, 48*time.Hour)
	ana, outsider := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	if _, err := f.svc.Events.Register(ctx, actor(ana), e.ID); err != nil {
		t.Fatal(err)
	}
	first, second := sessions[0], sessions[1]
	f.clock.Set(first.StartsAt.Add(10 * time.Minute))
	_, code, err := f.svc.Events.Code(ctx, actor(org), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Events.Code(ctx, actor(ana), first.ID); !errors.Is(err, events.ErrForbidden) {
		t.Fatalf("participant asks for the code: %v, want ErrForbidden", err)
	}
	if _, err := f.svc.Events.CheckIn(ctx, actor(outsider), first.ID, code.Code); !errors.Is(err, events.ErrForbidden) {
		t.Fatalf("replayed from an unregistered account: %v, want ErrForbidden", err)
	}
	if _, err := f.svc.Events.CheckIn(ctx, actor(ana), second.ID, code.Code); !errors.Is(err, events.ErrCheckinCode) {
		t.Fatalf("code of another session: %v, want ErrCheckinCode", err)
	}
	// The last character changed to another one: "X" unless it is one
	// already, as base32 makes it one time in 32.
	altered := code.Code[:len(code.Code)-1] + "X"
	if strings.HasSuffix(code.Code, "X") {
		altered = code.Code[:len(code.Code)-1] + "Y"
	}
	if _, err := f.svc.Events.CheckIn(ctx, actor(ana), first.ID, altered); !errors.Is(err, events.ErrCheckinCode) {
		t.Fatalf("altered code: %v, want ErrCheckinCode", err)
	}
	a, err := f.svc.Events.CheckIn(ctx, actor(ana), first.ID, strings.ToLower(code.Code))
	if err != nil || a.Status != events.Present {
		t.Fatalf("check in: %+v, %v", a, err)
	}
	// Forwarded after its window, the same code does nothing.
	f.clock.Set(code.ExpiresAt.Add(time.Second))
	if _, err := f.svc.Events.CheckIn(ctx, actor(ana), first.ID, code.Code); !errors.Is(err, events.ErrCheckinCode) {
		t.Fatalf("code after its window: %v, want ErrCheckinCode", err)
	}
	// A fresh code outside the session and its margin does nothing either.
	f.clock.Set(second.StartsAt.Add(-time.Hour))
	_, early, _ := f.svc.Events.Code(ctx, actor(org), second.ID)
	if _, err := f.svc.Events.CheckIn(ctx, actor(ana), second.ID, early.Code); !errors.Is(err, events.ErrCheckinClosed) {
		t.Fatalf("check in an hour early: %v, want ErrCheckinClosed", err)
	}
}

// TestImportReport: a video-conference report, written by a Spanish
// spreadsheet (semicolons, a byte order mark, decimal commas), marks the
// registered participants who stayed half the session present, adds up
// those who joined twice, and names who it ignored; a report with bad
// lines names every one and records nothing.
func TestImportReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, sessions := f.event(org, nil, events.ModeOpen, 24*time.Hour)
	ana, bea := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	for _, u := range []*accounts.User{ana, bea} {
		if _, err := f.svc.Events.Register(ctx, actor(u), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	bad := "Nombre;Correo electrónico;Duración (minutos)\nJoão;no-es-un-correo;30\nPeña;" + bea.Email + ";muchos\n"
	_, err := f.svc.Events.ImportAttendance(ctx, actor(org), sessions[0].ID, strings.NewReader(bad))
	var rows events.RowErrors
	if !errors.As(err, &rows) || len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 3 {
		t.Fatalf("bad report: %v, want lines 2 and 3", err)
	}
	report := "\uFEFFNombre;Correo electrónico;Duración (minutos)\n" +
		"João Conceição;" + strings.ToUpper(ana.Email) + ";40,5\n" +
		"Peña;" + bea.Email + ";20\n" +
		"João Conceição;" + ana.Email + ";30\n" +
		"Organizadora;" + org.Email + ";120\n"
	res, err := f.svc.Events.ImportAttendance(ctx, actor(org), sessions[0].ID, strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	if res.Marked != 2 || len(res.Ignored) != 1 || res.Ignored[0] != org.Email {
		t.Fatalf("import: %+v", res)
	}
	sheet, err := f.svc.Events.Sheet(ctx, actor(org), sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := sheet.Records[ana.ID]; a.Status != events.Present || a.Minutes == nil || *a.Minutes != 71 {
		t.Fatalf("ana: %+v", a)
	}
	if b := sheet.Records[bea.ID]; b.Status != events.Absent || *b.Minutes != 20 {
		t.Fatalf("bea: %+v", b)
	}
	// Marking someone who is not registered is refused, naming the record.
	err = f.svc.Events.MarkAttendance(ctx, actor(org), sessions[0].ID, []events.Record{
		{UserID: bea.ID, Status: events.Late}, {UserID: org.ID, Status: events.Present}})
	var inv *events.InvalidError
	if !errors.As(err, &inv) || inv.Field != "records[1].user_id" {
		t.Fatalf("mark an outsider: %v", err)
	}
	if sh, _ := f.svc.Events.Sheet(ctx, actor(org), sessions[0].ID); sh.Records[bea.ID].Status != events.Absent {
		t.Fatal("a refused marking wrote part of its records")
	}
}

// TestCloseIssuesOneSetOfCertificates: two organisers closing at once
// issue one certificate to each participant who met the rule (75 % of the
// sessions); closing again is ErrClosed. The PDF says "participated in"
// with the dates and hours, and verifies.
func TestCloseIssuesOneSetOfCertificates(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org, co := f.user(accounts.RoleInstructor), f.user(accounts.RoleInstructor)
	e, sessions := f.event(org, nil, events.ModeOpen, 24*time.Hour, 48*time.Hour, 72*time.Hour, 96*time.Hour)
	if err := f.svc.Events.AddOrganiser(ctx, actor(org), e.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	ana, bea := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	for _, u := range []*accounts.User{ana, bea} {
		if _, err := f.svc.Events.Register(ctx, actor(u), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(sessions[0].StartsAt)
	// Ana attends three of four sessions (75 %), Bea two (50 %).
	for i, ses := range sessions {
		recs := []events.Record{{UserID: ana.ID, Status: events.Present}, {UserID: bea.ID, Status: events.Absent}}
		if i == 3 {
			recs[0].Status = events.Excused
		}
		if i < 2 {
			recs[1].Status = events.Late
		}
		if err := f.svc.Events.MarkAttendance(ctx, actor(org), ses.ID, recs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Events.Close(ctx, actor(org), e.ID); !errors.Is(err, events.ErrTooEarly) {
		t.Fatalf("close before the last session: %v, want ErrTooEarly", err)
	}
	f.clock.Set(sessions[3].EndsAt)
	var wg sync.WaitGroup
	results := make([]int, 2)
	errs := make([]error, 2)
	for i, who := range []*accounts.User{org, co} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = f.svc.Events.Close(ctx, actor(who), e.ID)
		}()
	}
	wg.Wait()
	closed, refused := 0, 0
	for i := range errs {
		switch {
		case errs[i] == nil && results[i] == 1:
			closed++
		case errors.Is(errs[i], events.ErrClosed):
			refused++
		default:
			t.Fatalf("close %d: %d, %v", i, results[i], errs[i])
		}
	}
	if closed != 1 || refused != 1 {
		t.Fatalf("%d closings issued, %d refused; want 1 and 1", closed, refused)
	}
	if _, err := f.svc.Events.Close(ctx, actor(org), e.ID); !errors.Is(err, events.ErrClosed) {
		t.Fatalf("close again: %v, want ErrClosed", err)
	}
	certs, err := f.svc.Certificates.EventCertificates(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 || certs[0].UserID != ana.ID || certs[0].Kind() != certificates.KindParticipation {
		t.Fatalf("certificates: %+v", certs)
	}
	if f.notice.of(events.NoticeCertificate, ana.ID) != 1 || f.notice.of(events.NoticeCertificate, bea.ID) != 0 {
		t.Fatal("certificate notices")
	}

	v, err := f.svc.Certificates.Lookup(ctx, certs[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := certificates.ParsePublicKey(v.Key.Public)
	if err != nil {
		t.Fatal(err)
	}
	if err := certificates.Verify(pub, v.Certificate.Snapshot().Payload(), v.Certificate.Signature); err != nil {
		t.Fatalf("signature: %v", err)
	}
	doc, err := f.svc.Certificates.Document(ctx, &certs[0])
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := f.svc.Certificates.PDF(doc, doc.Hash())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Certificado de participação", "participou de", "Seminário de Proteção Social",
		"com 6 horas de presença", "de 2 de março de 2027 a 5 de março de 2027", ana.Name} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
}

// pdfText is the text of a PDF as pdftotext reads it, spaces collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
