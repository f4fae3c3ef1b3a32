package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/jobs"
)

// MailKind is the kind of job that sends one message of the outbox.
const MailKind = "mail.send"

// mailMaxAttempts is how often a message is tried before it is given up:
// with the queue's backoff (at most 6 hours between tries) about three
// days, so a relay down over a weekend delays mail without losing it.
const mailMaxAttempts = 20

// mailTimeout bounds one attempt to hand a message to the relay.
const mailTimeout = time.Minute

// Sender hands a message to a mail relay. An error the relay gave for
// good (a 5xx reply: no such mailbox, refused) is a *Rejected; any other
// is tried again later.
type Sender interface {
	Send(ctx context.Context, from string, m *Message) error
}

// Rejected is a permanent refusal of a message by the relay.
type Rejected struct{ Err error }

func (r *Rejected) Error() string { return "refused: " + r.Err.Error() }
func (r *Rejected) Unwrap() error { return r.Err }

// Texts are the translated catalogs messages are written from
// (app/i18n.Bundle): the four languages of assets/i18n, keys notify.*.
type Texts interface {
	T(lang, key string, args ...any) string
	N(lang, key string, n int, args ...any) string
}

// Options configure a Service.
type Options struct {
	// Texts translate the messages (required).
	Texts Texts
	// Accounts makes password links (required).
	Accounts *accounts.Service
	// BaseURL is the site's public root; links in messages start with it
	// (required).
	BaseURL string
	// From is the sender's address, "Aula <aula@example.org>" (required).
	From string
	// Sender is the relay; nil keeps every message in the outbox (held).
	Sender Sender
	// Location is the installation's time zone (UTC when nil).
	Location *time.Location
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets what the jobs did (slog.Default when nil).
	Logger *slog.Logger
	// Counter counts what the relay did with each message (nil: nobody);
	// wiring gives it the installation's metrics.
	Counter MailCounter
}

// MailCounter counts each handing of a message to the relay:
// metrics.Metrics is one, without notify importing it.
type MailCounter interface {
	// MailSent counts a message the relay accepted.
	MailSent()
	// MailFailed counts an attempt the relay refused or never got (it
	// was away): a message retried three times counts three.
	MailFailed()
}

// Service writes and sends messages.
type Service struct {
	db       *bun.DB
	accounts *accounts.Service
	texts    Texts
	baseURL  string
	host     string // of baseURL, for Message-IDs
	from     string
	sender   Sender
	counter  MailCounter
	loc      *time.Location
	now      func() time.Time
	log      *slog.Logger
}

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) (*Service, error) {
	if opts.Texts == nil || opts.From == "" || opts.Accounts == nil {
		return nil, errors.New("notify: NewService needs the catalogs, a From address and accounts")
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("notify: base URL %q is not absolute", opts.BaseURL)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Service{db: db, accounts: opts.Accounts, texts: opts.Texts, baseURL: strings.TrimRight(opts.BaseURL, "/"), host: base.Hostname(),
		from: opts.From, sender: opts.Sender, counter: opts.Counter, loc: opts.Location, now: opts.Now, log: opts.Logger}, nil
}

// Kinds are the job kinds of the package, for the queue every process
// runs (wiring registers them).
func (s *Service) Kinds() []jobs.Kind {
	return []jobs.Kind{
		{Name: MailKind, Handler: s.sendJob, Timeout: mailTimeout},
		{Name: DigestKind, Handler: s.digestJob},
	}
}

// Relay reports whether messages go to an SMTP relay (false: they are
// held in the outbox).
func (s *Service) Relay() bool { return s.sender != nil }

// Mail is a message to write.
type Mail struct {
	UserID         *int64
	To, ToName     string
	Kind           string
	Locale         string
	Subject        string
	Text, HTML     string
	UnsubscribeURL string // empty for account mail
}

// Send writes a message into the outbox on db, which should be the
// transaction of the write that causes it, with the job that sends it.
func (s *Service) Send(ctx context.Context, db bun.IDB, m Mail) (*Message, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	msg := &Message{UserID: m.UserID, ToAddress: strings.TrimSpace(m.To), ToName: m.ToName, Kind: m.Kind, Locale: m.Locale,
		Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, Status: StatusQueued, CreatedAt: s.now(),
		MessageID: fmt.Sprintf("%s.%s@%s", s.now().UTC().Format("20060102150405"), hex.EncodeToString(b), s.host)}
	if m.UnsubscribeURL != "" {
		msg.UnsubscribeURL = &m.UnsubscribeURL
	}
	if err := NewStore(db).InsertMessage(ctx, msg); err != nil {
		return nil, fmt.Errorf("notify: send %s: %w", m.Kind, err)
	}
	_, _, err := jobs.Enqueue(ctx, db, jobs.EnqueueParams{Kind: MailKind, Args: sendArgs{MessageID: msg.ID},
		MaxAttempts: mailMaxAttempts, UniqueKey: fmt.Sprintf("%s:%d", MailKind, msg.ID)})
	if err != nil {
		return nil, fmt.Errorf("notify: send %s: %w", m.Kind, err)
	}
	return msg, nil
}

type sendArgs struct {
	MessageID int64 `json:"message_id"`
}

// sendJob hands one message to the relay. A message sent already (an
// attempt that died after the relay took it and before it was recorded
// is not: it goes again) or held is left alone.
func (s *Service) sendJob(ctx context.Context, j *jobs.Job) error {
	var args sendArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("mail job arguments: %w", err))
	}
	store := NewStore(s.db)
	m, err := store.Message(ctx, args.MessageID)
	if errors.Is(err, ErrNotFound) {
		return nil // its recipient's history was deleted
	}
	if err != nil {
		return err
	}
	if m.Status == StatusSent || m.Status == StatusHeld {
		return nil
	}
	if s.sender == nil {
		return store.MarkHeld(ctx, m.ID)
	}
	// The bookkeeping after the attempt must happen even when the
	// attempt's context has ended.
	done := context.WithoutCancel(ctx)
	sendErr := s.sender.Send(ctx, s.from, m)
	s.count(sendErr)
	if sendErr == nil {
		return store.MarkSent(done, m.ID, s.now())
	}
	var rejected *Rejected
	final := errors.As(sendErr, &rejected) || j.Attempt >= j.MaxAttempts
	if err := store.MarkAttemptFailed(done, m.ID, truncate(sendErr.Error(), 2000), final); err != nil {
		return errors.Join(sendErr, err)
	}
	if rejected != nil {
		return jobs.Permanent(sendErr)
	}
	return sendErr
}

// count tells the counter how an attempt to hand a message over ended.
func (s *Service) count(sendErr error) {
	switch {
	case s.counter == nil:
	case sendErr == nil:
		s.counter.MailSent()
	default:
		s.counter.MailFailed()
	}
}

// truncate shortens s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// OutboxPageSize is how many messages a page of the outbox lists.
const OutboxPageSize = 50

// Outbox returns a page of the outbox, newest first, and the cursor of the
// next page (0 on the last).
func (s *Service) Outbox(ctx context.Context, f MessageFilter) ([]Message, int64, error) {
	f.Limit = OutboxPageSize + 1
	list, err := NewStore(s.db).Messages(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: outbox: %w", err)
	}
	var next int64
	if len(list) > OutboxPageSize {
		list = list[:OutboxPageSize]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// Message returns one message of the outbox, bodies included.
func (s *Service) Message(ctx context.Context, id int64) (*Message, error) {
	m, err := NewStore(s.db).Message(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return m, nil
}
