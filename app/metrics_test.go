package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
)

// listen serves the test's Aula on a real loopback address.
func (e *env) listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func httpGet(t *testing.T, url string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestMetricsOnLoopbackOnly: /metrics counts requests by route pattern
// (never by the path a client made up) with latencies, the database pool
// and certificates issued; it answers a client on this machine, and 404
// to one a proxy forwarded or one from elsewhere.
func TestMetricsOnLoopbackOnly(t *testing.T) {
	e := newEnv(t)
	base := e.listen(t)
	for _, p := range []string{"/courses", "/courses", "/no-such-page-8c1f", "/api/v1/no-such-thing-8c1f"} {
		httpGet(t, base+p)
	}
	status, body := httpGet(t, base+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics from loopback = %d\n%s", status, body)
	}
	for _, want := range []string{
		`aula_http_requests_total{method="GET",route="/courses",status="200"} 2`,
		`aula_http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`aula_http_request_duration_seconds_bucket{method="GET",route="/courses",le="0.25"}`,
		`go_sql_open_connections{db="primary"`,
		`go_sql_wait_count_total{db="primary"`,
		"aula_certificates_issued_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "8c1f") {
		t.Error("/metrics has a series for a path nobody routes")
	}

	// Through the load balancer on this host: X-Forwarded-For says so.
	if status, _ := httpGet(t, base+"/metrics", "X-Forwarded-For", "203.0.113.9"); status != http.StatusNotFound {
		t.Errorf("GET /metrics through a proxy = %d, want 404", status)
	}
	// app.Test's client is not on loopback.
	res, err := e.app.Test(httptest.NewRequest(http.MethodGet, "/metrics", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics from another address = %d, want 404", res.StatusCode)
	}
}

// TestErrorPagesShowTheRequestID: a user who reports a problem can quote
// the id of the log line that says what happened, on pages and in the
// API's errors.
func TestErrorPagesShowTheRequestID(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.lang = "es"
	res := b.get("/courses/999999999")
	wantStatus(t, res, http.StatusNotFound)
	id := res.Header.Get("X-Request-Id")
	if id == "" || !strings.Contains(res.body, "Referencia para los administradores: "+id) {
		t.Errorf("error page lacks its request id %q:\n%s", id, res.body)
	}
	api := e.api(http.MethodGet, "/api/v1/courses/999999999", "", nil)
	wantStatus(t, api, http.StatusNotFound)
	if id := api.Header.Get("X-Request-Id"); id == "" || !strings.Contains(api.body, `"request_id":"`+id+`"`) {
		t.Errorf("API error lacks its request id %q: %s", id, api.body)
	}
}

// TestMetricsCountJobsAndMail: /metrics shows the mail jobs waiting, then,
// once the queue worked them, each attempt by outcome and each message
// the relay accepted or refused (for good or for now).
func TestMetricsCountJobsAndMail(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Refuse: func(rcpt string) *smtp.SMTPError {
		switch {
		case strings.HasPrefix(rcpt, "nobody"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
		case strings.HasPrefix(rcpt, "later"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	}})
	relay, err := notify.NewSMTP(srv.URL(""), notify.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// A database of its own: no other test's jobs are counted.
	e, svc := newInstallation(t, installation{database: "app_metrics", mail: relay})
	base := e.listen(t)
	for _, to := range []string{"joao@example.org", "nobody@example.org", "later@example.org"} {
		err := e.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := svc.Notify.Send(ctx, tx, notify.Mail{To: to, ToName: "João Conceição Peña", Kind: "notice.test",
				Locale: "pt-BR", Subject: "Inscrição confirmada", Text: "Olá, João", HTML: "<p>Olá, João</p>"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	_, before := httpGet(t, base+"/metrics")
	for _, want := range []string{
		`aula_jobs_queued{kind="mail.send"} 3`,
		// Every registered kind has its line, waiting or not.
		`aula_jobs_queued{kind="notify.digest"} 0`,
	} {
		if !strings.Contains(before, want+"\n") {
			t.Errorf("/metrics before the queue ran lacks %s", want)
		}
	}
	if strings.Contains(before, "aula_mail_total{") || strings.Contains(before, "aula_jobs_total{") {
		t.Error("/metrics counts jobs or mail before any ran")
	}

	if n := e.workJobs(); n != 3 {
		t.Fatalf("worked %d jobs, want 3", n)
	}
	if len(srv.To("joao@example.org")) != 1 {
		t.Fatal("the accepted message did not arrive")
	}
	_, after := httpGet(t, base+"/metrics")
	for _, want := range []string{
		`aula_jobs_total{kind="mail.send",outcome="done"} 1`,
		`aula_jobs_total{kind="mail.send",outcome="discarded"} 1`,
		`aula_jobs_total{kind="mail.send",outcome="retry"} 1`,
		`aula_mail_total{outcome="sent"} 1`,
		`aula_mail_total{outcome="failed"} 2`,
		// The retried one waits for its backoff: not due, not waiting.
		`aula_jobs_queued{kind="mail.send"} 0`,
	} {
		if !strings.Contains(after, want+"\n") {
			t.Errorf("/metrics after the queue ran lacks %s", want)
		}
	}
}
