package notify_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
)

func relay(t *testing.T, srv *smtptest.Server, query string) *notify.SMTP {
	t.Helper()
	s, err := notify.NewSMTP(srv.URL(query), notify.SMTPOptions{TLSConfig: srv.ClientTLS, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// send writes a message in a transaction, as the write that causes it does.
func (in *inst) send(m notify.Mail) *notify.Message {
	in.t.Helper()
	var msg *notify.Message
	err := in.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		msg, err = in.svc.Notify.Send(ctx, tx, m)
		return err
	})
	if err != nil {
		in.t.Fatal(err)
	}
	return msg
}

func (in *inst) message(id int64) *notify.Message {
	in.t.Helper()
	m, err := notify.NewStore(in.db).Message(context.Background(), id)
	if err != nil {
		in.t.Fatal(err)
	}
	return m
}

func (in *inst) jobOf(kind string, id int64) *jobs.Job {
	in.t.Helper()
	list, err := jobs.NewStore(in.db).List(context.Background(), "", 1000)
	if err != nil {
		in.t.Fatal(err)
	}
	for i := range list {
		var args struct {
			MessageID int64 `json:"message_id"`
		}
		if list[i].Kind == kind && list[i].Decode(&args) == nil && args.MessageID == id {
			return &list[i]
		}
	}
	in.t.Fatalf("no %s job for message %d", kind, id)
	return nil
}

func accented(to string) notify.Mail {
	return notify.Mail{To: to, ToName: "João Conceição Peña", Kind: "notice.test", Locale: "pt-PT",
		Subject:        "Inscrição confirmada: Proteção Social — «Introdução»",
		Text:           "Olá, João Conceição Peña,\nhttps://aula.example.org/courses/protecao\n",
		HTML:           "<p>Olá, João Conceição Peña,</p><p><a href=\"https://aula.example.org/courses/protecao\">Proteção</a></p>",
		UnsubscribeURL: "https://aula.example.org/unsubscribe/tok?kind=enrolled"}
}

// TestMailOverSMTP: a message written in a transaction goes, through its
// job, over STARTTLS with authentication to a real SMTP server; what
// arrives is MIME with both alternatives in UTF-8, the name and subject
// right once decoded, the one-click unsubscribe headers, and the outbox
// row's Message-ID.
func TestMailOverSMTP(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, User: "aula", Password: "s3cret pass"})
	in := newInst(t, relay(t, srv, "tls=required"))
	msg := in.send(accented("joao@example.org"))
	if got := in.message(msg.ID); got.Status != notify.StatusQueued {
		t.Fatalf("before its job: %s", got.Status)
	}
	in.work()

	got := srv.To("joao@example.org")
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	if !got[0].TLS || got[0].User != "aula" || got[0].From != "aula@ilss.example.org" {
		t.Errorf("arrived over TLS %v, as %q, from %q", got[0].TLS, got[0].User, got[0].From)
	}
	p, err := smtptest.Parse(got[0].Data)
	if err != nil {
		t.Fatalf("%v\n%s", err, got[0].Data)
	}
	if p.To.Name != "João Conceição Peña" || p.To.Address != "joao@example.org" || p.From.Name != "Aula ILSS" {
		t.Errorf("To %+v, From %+v", p.To, p.From)
	}
	if p.Subject != "Inscrição confirmada: Proteção Social — «Introdução»" {
		t.Errorf("subject %q", p.Subject)
	}
	if raw := p.Header.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("the raw subject is not an encoded word: %q", raw)
	}
	if !strings.Contains(p.Text, "Olá, João Conceição Peña,") || !strings.Contains(p.HTML, "<p>Olá, João Conceição Peña,</p>") {
		t.Errorf("bodies:\n%s\n%s", p.Text, p.HTML)
	}
	if len(p.ContentTypes) != 2 || !strings.Contains(p.ContentTypes[0], "text/plain") || !strings.Contains(strings.ToLower(p.ContentTypes[0]), "utf-8") ||
		!strings.Contains(p.ContentTypes[1], "text/html") {
		t.Errorf("alternatives %q", p.ContentTypes)
	}
	if p.Header.Get("List-Unsubscribe") != "<https://aula.example.org/unsubscribe/tok?kind=enrolled>" ||
		p.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers %q %q", p.Header.Get("List-Unsubscribe"), p.Header.Get("List-Unsubscribe-Post"))
	}
	if p.Header.Get("Message-ID") != "<"+msg.MessageID+">" {
		t.Errorf("Message-ID %q, stored %q", p.Header.Get("Message-ID"), msg.MessageID)
	}
	if sent := in.message(msg.ID); sent.Status != notify.StatusSent || sent.SentAt == nil {
		t.Errorf("after sending: %s", sent.Status)
	}
	// The job runs at least once: working it again sends nothing more.
	if err := in.svc.Jobs.Retry(context.Background(), in.jobOf(notify.MailKind, msg.ID).ID); err == nil {
		t.Error("a completed mail job could be retried")
	}
}

// TestRolledBackWriteSendsNothing: the message of a write that rolls back
// is neither stored nor sent.
func TestRolledBackWriteSendsNothing(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	in := newInst(t, relay(t, srv, ""))
	errEnrol := errors.New("the enrolment failed")
	err := in.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := in.svc.Notify.Send(ctx, tx, accented("rolled-back@example.org")); err != nil {
			return err
		}
		return errEnrol
	})
	if !errors.Is(err, errEnrol) {
		t.Fatal(err)
	}
	in.work()
	if n := len(srv.To("rolled-back@example.org")); n != 0 {
		t.Fatalf("%d messages of a rolled-back write arrived", n)
	}
	list, _ := notify.NewStore(in.db).Messages(context.Background(), notify.MessageFilter{To: "rolled-back@example.org", Limit: 10})
	if len(list) != 0 {
		t.Fatalf("%d messages of a rolled-back write are in the outbox", len(list))
	}
}

// TestRefusedMailIsRecorded: a relay's permanent refusal (550) is not
// retried; the message is failed and its job discarded, both with the
// relay's answer for the admins.
func TestRefusedMailIsRecorded(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Refuse: func(rcpt string) *smtp.SMTPError {
		if strings.HasPrefix(rcpt, "nobody") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
		}
		return nil
	}})
	in := newInst(t, relay(t, srv, ""))
	msg := in.send(accented("nobody@example.org"))
	in.work()
	got := in.message(msg.ID)
	if got.Status != notify.StatusFailed || !strings.Contains(got.LastError, "550") || !strings.Contains(got.LastError, "no such mailbox") {
		t.Fatalf("refused message: %s, %q", got.Status, got.LastError)
	}
	j := in.jobOf(notify.MailKind, msg.ID)
	if j.State != jobs.StateDiscarded || j.Attempt != 1 || !strings.Contains(j.LastError, "no such mailbox") {
		t.Fatalf("its job: %s after %d attempts, %q", j.State, j.Attempt, j.LastError)
	}
}

// TestRelayDownDelaysMail: with the relay down the message waits, queued
// with the error, and goes once the relay is back.
func TestRelayDownDelaysMail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	down, err := notify.NewSMTP("smtp://"+addr, notify.SMTPOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	in := newInst(t, down)
	msg := in.send(accented("later@example.org"))
	in.work()
	if got := in.message(msg.ID); got.Status != notify.StatusQueued || got.LastError == "" || got.Attempts != 1 {
		t.Fatalf("with the relay down: %s, %d attempts, %q", got.Status, got.Attempts, got.LastError)
	}
	if j := in.jobOf(notify.MailKind, msg.ID); j.State != jobs.StateRetryable {
		t.Fatalf("its job is %s, want retryable", j.State)
	}
	srv := smtptest.Start(t, smtptest.Options{Addr: addr})
	in.clock.Advance(time.Minute)
	in.work()
	if n := len(srv.To("later@example.org")); n != 1 {
		t.Fatalf("%d messages arrived once the relay was back", n)
	}
	if got := in.message(msg.ID); got.Status != notify.StatusSent {
		t.Errorf("after the relay came back: %s", got.Status)
	}
}

// TestRequiredTLSIsRequired: with tls=required nothing goes to a relay
// that offers no STARTTLS.
func TestRequiredTLSIsRequired(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	in := newInst(t, relay(t, srv, "tls=required"))
	msg := in.send(accented("secret@example.org"))
	in.work()
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages went in clear text", n)
	}
	if got := in.message(msg.ID); got.Status != notify.StatusQueued || !strings.Contains(strings.ToLower(got.LastError), "tls") {
		t.Errorf("message %s, %q", got.Status, got.LastError)
	}
}

// TestKilledSenderSendsAgain: a process killed after the relay took a
// message and before it recorded so (kill -9) leaves the job leased; when
// the lease runs out another process sends it again, with the same
// Message-ID. The message is delivered at least once and never lost.
func TestKilledSenderSendsAgain(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender := relay(t, srv, "")
	in := newInst(t, sender)
	msg := in.send(accented("twice@example.org"))
	ctx := context.Background()
	// The dead process: it took the job and handed the message over, then died.
	if j, err := jobs.NewStore(in.db).Claim(ctx, []string{notify.MailKind}, "killed", in.clock.Now(), 2*time.Minute); err != nil || j == nil {
		t.Fatalf("claim: %v %v", j, err)
	}
	if err := sender.Send(ctx, "aula@ilss.example.org", in.message(msg.ID)); err != nil {
		t.Fatal(err)
	}
	in.work()
	if n := len(srv.To("twice@example.org")); n != 1 {
		t.Fatalf("a job still leased was taken: %d deliveries", n)
	}
	in.clock.Advance(3 * time.Minute)
	in.work()
	got := srv.To("twice@example.org")
	if len(got) != 2 {
		t.Fatalf("%d deliveries, want the dead one and one again", len(got))
	}
	a, _ := smtptest.Parse(got[0].Data)
	b, _ := smtptest.Parse(got[1].Data)
	if a.Header.Get("Message-ID") != b.Header.Get("Message-ID") {
		t.Errorf("sent again with another Message-ID: %q, %q", a.Header.Get("Message-ID"), b.Header.Get("Message-ID"))
	}
	if m := in.message(msg.ID); m.Status != notify.StatusSent {
		t.Errorf("after the second process: %s", m.Status)
	}
}

// TestNoRelayHoldsMail: without a relay the message stays in the outbox.
func TestNoRelayHoldsMail(t *testing.T) {
	in := newInst(t, nil)
	msg := in.send(accented("outbox@example.org"))
	in.work()
	if got := in.message(msg.ID); got.Status != notify.StatusHeld {
		t.Fatalf("without a relay: %s", got.Status)
	}
}
