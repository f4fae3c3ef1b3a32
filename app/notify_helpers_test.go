package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
	"github.com/aula-platform/aula/wiring"
)

// workJobs works every due job of the installation's queue, as `aula
// serve`'s workers would, and returns how many it worked. Jobs of other
// tests of the same database are worked too: tests assert on their own
// data only.
func (e *env) workJobs() int {
	e.t.Helper()
	n := 0
	for {
		worked, err := e.jobs.WorkOne(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !worked {
			return n
		}
		n++
	}
}

// newMailEnv is an installation whose mail goes over SMTP to a real
// server started for the test.
func newMailEnv(t *testing.T) (*env, *wiring.Services, *smtptest.Server) {
	t.Helper()
	return newMailEnvAt(t, nil)
}

// newMailEnvAt is newMailEnv with the services' and queue's clock.
func newMailEnvAt(t *testing.T, clock func() time.Time) (*env, *wiring.Services, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t, smtptest.Options{})
	relay, err := notify.NewSMTP(srv.URL(""), notify.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, svc := newInstallation(t, installation{mail: relay, clock: clock})
	return e, svc, srv
}

// tokenFor is an API token of u.
func (e *env) tokenFor(u *accounts.User) string {
	e.t.Helper()
	token, err := e.accounts.CreateAPIToken(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return token
}

// mails works the queue and returns the messages the server received for
// addr, parsed; it fails unless there are want of them.
func (e *env) mails(srv *smtptest.Server, addr string, want int) []*smtptest.Parsed {
	e.t.Helper()
	e.workJobs()
	got := srv.To(addr)
	if len(got) != want {
		e.t.Fatalf("%d messages to %s arrived, want %d", len(got), addr, want)
	}
	out := make([]*smtptest.Parsed, len(got))
	for i, m := range got {
		p, err := smtptest.Parse(m.Data)
		if err != nil {
			e.t.Fatalf("message to %s: %v\n%s", addr, err, m.Data)
		}
		out[i] = p
	}
	return out
}

var linkPattern = regexp.MustCompile(`https?://[^\s"<>]+`)

// linkTo returns the path of the first link of text that starts with
// base+prefix, as a browser would follow it on this installation.
func linkTo(t *testing.T, text, prefix string) string {
	t.Helper()
	for _, l := range linkPattern.FindAllString(text, -1) {
		if strings.HasPrefix(l, "http://aula.test"+prefix) {
			return strings.TrimPrefix(l, "http://aula.test")
		}
	}
	t.Fatalf("no link to %s in:\n%s", prefix, text)
	return ""
}
