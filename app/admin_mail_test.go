package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
)

// TestOutboxWithoutRelay: with no SMTP relay, a message is held in the
// outbox, where an admin reads it, its text and its HTML (sandboxed).
func TestOutboxWithoutRelay(t *testing.T) {
	e, svc := newInstallation(t, installation{})
	to := unique("outbox") + "@example.org"
	var msg *notify.Message
	err := e.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		msg, err = svc.Notify.Send(ctx, tx, notify.Mail{To: to, ToName: "Inês Peña", Kind: "notice.test", Locale: "es",
			Subject: "Inscripción en «Protección social»", Text: "Hola, Inês Peña:\nhttp://aula.test/courses/proteccion\n",
			HTML: `<p>Hola, Inês Peña:</p><script>alert(1)</script>`})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.workJobs()

	admin, _ := e.signedIn(accounts.RoleAdmin)
	page := admin.get("/admin/mail?to=" + to)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Inscripción en «Protección social»") || !strings.Contains(page.body, "Kept here (no relay)") ||
		!strings.Contains(page.body, "No SMTP relay is configured") {
		t.Fatalf("outbox:\n%s", page.body)
	}
	show := admin.get("/admin/mail/" + itoa(msg.ID))
	if !strings.Contains(show.body, "Hola, Inês Peña:\nhttp://aula.test/courses/proteccion") {
		t.Errorf("message page:\n%s", show.body)
	}
	html := admin.get("/admin/mail/" + itoa(msg.ID) + "/html")
	if csp := html.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || strings.Contains(csp, "script-src") {
		t.Errorf("the HTML of a message is shown with CSP %q", csp)
	}
	learner, _ := e.signedIn(accounts.RoleLearner)
	if res := learner.get("/admin/mail/" + itoa(msg.ID)); res.StatusCode != http.StatusForbidden {
		t.Errorf("a learner reads the outbox: %d", res.StatusCode)
	}
}
