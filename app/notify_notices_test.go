package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
)

// outbox returns the subjects of the messages written to addr, oldest
// first (the installation has no relay: they are held there).
func (e *env) outbox(addr string) []string {
	e.t.Helper()
	list, err := notify.NewStore(e.db).Messages(context.Background(), notify.MessageFilter{To: addr, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, m := range list {
		out[len(list)-1-i] = m.Subject
	}
	return out
}

// TestCertificateRevokedAndCorrectedNotices: revoking and correcting a
// certificate each tell its holder, in their language, with the reason.
func TestCertificateRevokedAndCorrectedNotices(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Joao Conceicao") // speaks es
	code := e.complete(holder, c, mods)
	admin, _ := e.token(accounts.RoleAdmin)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates/"+code+"/reissue", admin,
		map[string]any{"holder_name": "João Conceição", "reason": "Acentos"}), http.StatusOK)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates/"+code+"/revoke", admin, map[string]string{"reason": "Emitido por error"}), http.StatusOK)
	got := strings.Join(e.outbox(holder.Email), " | ")
	want := "Su certificado de Protección Social Básica | Se corrigió su certificado de Protección Social Básica | Se revocó su certificado de Protección Social Básica"
	if got != want {
		t.Errorf("outbox of the holder:\n%s\nwant\n%s", got, want)
	}
	list, _ := notify.NewStore(e.db).Messages(context.Background(), notify.MessageFilter{To: holder.Email, Limit: 1})
	m, err := notify.NewStore(e.db).Message(context.Background(), list[0].ID)
	if err != nil || !strings.Contains(m.TextBody, "Motivo: Emitido por error") || !strings.Contains(m.TextBody, code) {
		t.Errorf("revocation notice:\n%s", m.TextBody)
	}
}

// TestTimedOutAttemptNotice: an attempt its time limit closed tells the
// learner it was graded with the answers saved.
func TestTimedOutAttemptNotice(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["time_limit_seconds"] = 300 })
	token, learner := e.learnerToken(course.ID)
	var a apiAttempt
	decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)
	e.clock.Advance(5*time.Minute + e.assessment.Grace() + time.Second)
	decode(t, e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil), &a)
	if a.Status != "timed_out" {
		t.Fatalf("attempt %+v", a)
	}
	got := e.outbox(learner.Email)
	if len(got) != 1 || !strings.HasPrefix(got[0], "Your attempt at ") {
		t.Errorf("outbox of the learner: %q", got)
	}
}
