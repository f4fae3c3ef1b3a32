// Package wiring builds Aula's domain services and connects them, once,
// for `aula serve`, every other command and every test. It is the one
// place that says how the domains work together:
//
//   - a course is complete when its modules are done and, through
//     courses.Requirement, its required quizzes passed (assessment);
//   - completing a course issues its certificate inside the completion
//     transaction, through courses.CompletionHook (certificates);
//   - a module page reads the module's quizzes with the module, in its one
//     statement, through SQL assessment exports (courses.AttachToModules);
//     and the reader's session with them, through accounts' query of a
//     session's user (courses.ReadSessionsWith); a quiz submit through
//     the API reads its caller's token with the attempt, through accounts'
//     query of a token's user (assessment.ReadTokensWith);
//   - work outside a request runs as jobs on one queue (Services.Jobs),
//     each kind registered here by the domain that owns it;
//   - accounts created without a password are invited, and enrolments by
//     others, certificates issued, revoked or corrected, attempts closed by
//     their time limit and announcements become notices (notify), each
//     inside the transaction of the write it tells of.
//
// A feature to come hooks in here the same way: its service is built in
// New, and it registers the hooks of the domains it reacts to (an event's
// attendance issuing a certificate of participation, a reply notifying
// the followers of a topic), each running in the transaction of the write
// that causes it.
package wiring

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/metrics"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/reports"
)

// Options configure the services for one installation.
type Options struct {
	// Blobs stores uploaded files (required).
	Blobs courses.BlobStore
	// UploadMaxBytes caps one uploaded course file (courses' default when 0).
	UploadMaxBytes int64
	// BaseURL is the site's public root; certificates' QR codes point to it
	// (required).
	BaseURL string
	// Location is the installation's time zone (UTC when nil).
	Location *time.Location
	// Logger gets the background workers' messages (slog.Default when nil).
	Logger *slog.Logger
	// Now is the clock of every service (time.Now when nil); tests move it.
	Now func() time.Time
	// PDFCacheBytes bounds the in-process cache of certificate PDFs
	// (certificates' default when 0; negative: no cache).
	PDFCacheBytes int64
	// TokenLifetime and TokenMaxLifetime are how long a new API token
	// works by default and at most (accounts' defaults when 0).
	TokenLifetime, TokenMaxLifetime time.Duration
	// EventsNotifier tells event participants what happened (nil:
	// notify's, by mail and in-app notices; see newEvents).
	EventsNotifier events.Notifier
	// Mail is the SMTP relay (AULA_SMTP_URL); nil keeps every message in
	// the outbox admins read at /admin/mail.
	Mail notify.Sender
	// MailFrom is the sender of every message (AULA_MAIL_FROM;
	// DefaultMailFrom when empty).
	MailFrom string
	// ExchangeThemes, ExchangeNotifier and ExchangePublisher are the
	// exchange's seams to the library and mail (nil: see newExchange).
	ExchangeThemes    exchange.Themes
	ExchangeNotifier  exchange.Notifier
	ExchangePublisher exchange.Publisher
	// ReportInlineRows is the most rows a report export streams while its
	// reader waits (reports.DefaultInlineRows when 0); larger exports are
	// made in the background.
	ReportInlineRows int
	// Metrics collects what /metrics shows (a new one when nil).
	Metrics *metrics.Metrics
	// Replica is a streaming replica of db for report and export reads
	// (nil: they read db); see ReportsDB.
	Replica *bun.DB
	// ReplicaMaxLag is how far behind the replica may be and still be
	// read (DefaultReplicaMaxLag when 0).
	ReplicaMaxLag time.Duration
}

// DefaultMailFrom is the sender of messages when AULA_MAIL_FROM is unset:
// only for the outbox of a machine without a relay.
const DefaultMailFrom = "Aula <aula@localhost>"

// Services are the domain services of one installation, wired together.
type Services struct {
	Accounts     *accounts.Service
	Courses      *courses.Service
	Assessment   *assessment.Service
	Certificates *certificates.Service
	Events       *events.Service
	Reports      *reports.Service
	// Community runs the forums and consultations.
	Community *community.Service
	Exchange  *exchange.Service
	Library   *library.Service
	// Blobs is the file storage the services write to, for readiness.
	Blobs courses.BlobStore
	// Notify writes mail and notifications.
	Notify *notify.Service
	// Jobs is the queue of background work, with every kind registered;
	// `aula serve` runs it, tests work it a job at a time (WorkOne).
	Jobs *jobs.Queue
	// Metrics is what /metrics shows; jobs, mail and reports add theirs.
	Metrics *metrics.Metrics
	// ReportReads is where report and export reads go: the replica while
	// it keeps up, else the primary (postgres.Replica).
	ReportReads *postgres.Replica
}

// New builds every domain service on db and registers every cross-domain
// hook.
func New(db *bun.DB, opts Options) (*Services, error) {
	if db == nil {
		return nil, errors.New("wiring: no database")
	}
	if opts.Blobs == nil {
		return nil, errors.New("wiring: no blob store for course files")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	renderer, err := certificateRenderer()
	if err != nil {
		return nil, err
	}

	if opts.Metrics == nil {
		opts.Metrics = metrics.New(opts.Logger)
	}
	// The queue and mail report to the metrics through interfaces of
	// their own (jobs.Observer, notify.MailCounter): no domain package
	// imports metrics.
	svc := &Services{Accounts: accounts.NewService(db, opts.Now), Blobs: opts.Blobs, Metrics: opts.Metrics,
		Jobs: jobs.New(db, jobs.Options{Now: opts.Now, Logger: opts.Logger, Observer: opts.Metrics})}
	if err := svc.Accounts.SetTokenLifetimes(opts.TokenLifetime, opts.TokenMaxLifetime); err != nil {
		return nil, err
	}
	svc.Courses = courses.NewService(db, courses.Options{Blobs: opts.Blobs, UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now})
	svc.Assessment = assessment.NewService(db, svc.Courses, assessment.Options{Now: opts.Now})
	svc.Certificates, err = certificates.NewService(db, certificates.Options{
		Renderer: renderer, BaseURL: opts.BaseURL, Logger: opts.Logger, Location: opts.Location, Now: opts.Now,
		PDFCacheBytes: opts.PDFCacheBytes,
		// ZIP files of certificates live in the storage course files use.
		Blobs: opts.Blobs,
	})
	if err != nil {
		return nil, err
	}

	// A course is complete only when its required quizzes are passed too.
	svc.Courses.AddRequirement(svc.Assessment.RequiredQuizzes())
	// A module page reads the module's quizzes with the module.
	svc.Courses.AttachToModules(assessment.ModuleQuizzesSQL, assessment.ModuleHasQuizzesSQL)
	// Completing a course issues its certificate, in the same transaction.
	svc.Courses.OnCompleted(svc.Certificates.IssueOnCompletion)

	texts, err := catalogs()
	if err != nil {
		return nil, err
	}
	// Reports read every domain through the queries each exports for them;
	// exports too large to stream are made by jobs into the blob store,
	// whose sweep must leave them while they can be downloaded.
	// Their pages and exports read the replica while it keeps up.
	svc.ReportReads = postgres.NewReplica(db, opts.Replica, opts.ReplicaMaxLag, opts.Logger)
	svc.Reports, err = reports.NewService(db, reports.Options{Courses: svc.Courses, Blobs: opts.Blobs, Texts: texts,
		Location: opts.Location, Now: opts.Now, Logger: opts.Logger, InlineRows: opts.ReportInlineRows, Reads: svc.ReportReads})
	if err != nil {
		return nil, err
	}
	for _, k := range svc.Reports.Kinds() {
		svc.Jobs.Register(k)
	}
	svc.Courses.AddBlobUser(svc.Reports.ExportFilesInUse)
	if opts.MailFrom == "" {
		opts.MailFrom = DefaultMailFrom
	}
	svc.Notify, err = notify.NewService(db, notify.Options{Texts: texts, Accounts: svc.Accounts, BaseURL: opts.BaseURL, From: opts.MailFrom,
		Sender: opts.Mail, Location: opts.Location, Now: opts.Now, Logger: opts.Logger, Counter: opts.Metrics})
	if err != nil {
		return nil, err
	}

	// Accounts made without a password, by an admin or a CSV import, are
	// invited to choose one, in the transaction that made them.
	// The header's bell: unread notifications are counted with the session.
	svc.Accounts.CountWithSession(notify.UnreadQuery)
	// The module page reads its reader's session in its own statement,
	// unread count included: after CountWithSession.
	svc.Courses.ReadSessionsWith(svc.Accounts)
	// A quiz submit through the API reads its caller's token in its own
	// statement.
	svc.Assessment.ReadTokensWith(svc.Accounts)
	svc.Accounts.OnInvited(svc.Notify.Invited)
	svc.Courses.OnAccountsCreated(svc.Notify.InvitedInBulk)
	// Notices, each in the transaction of what it tells of.
	svc.Courses.OnEnrolled(svc.Notify.Enrolled)
	svc.Courses.OnAnnounced(svc.Notify.Announced)
	svc.Certificates.OnChanged(svc.Notify.CertificateChanged)
	svc.Assessment.OnTimedOut(svc.Notify.AttemptTimedOut)

	svc.Jobs.Register(svc.Certificates.ZipJobKind())
	for _, k := range svc.Notify.Kinds() {
		svc.Jobs.Register(k)
	}
	// Certificates' ZIP files share the blob store with course files: the
	// course files' sweep must leave those still downloadable.
	svc.Courses.AddBlobUser(svc.Certificates.ZipFilesInUse)
	// Closing an event issues its certificates of participation, in the
	// same transaction; participants are told through the Notifier.
	if svc.Events, err = newEvents(db, svc.Certificates, svc.Notify, opts); err != nil {
		return nil, err
	}
	// Reminders the day before each session are jobs, enqueued with the
	// registration or the session's move.
	svc.Jobs.Register(svc.Events.ReminderKind())

	// Forums: a course's forum follows courses' reading rules, an event's
	// events' (organisers and participants with a place). Replies, mentions, accepted answers,
	// consultations and moderation become notices (notify), in the
	// transaction of the post or decision.
	svc.Community = community.NewService(db, community.Options{
		Courses: svc.Courses, Events: svc.Events.Forums(), Notifier: svc.Notify.CommunityNotifier(),
		Blobs: opts.Blobs, AttachmentMaxBytes: opts.UploadMaxBytes, Now: opts.Now,
	})
	// Attachments share the blob store too.
	svc.Courses.AddBlobUser(svc.Community.FilesInUse)
	// The knowledge library: its files in the same store, its members told
	// of the librarians' decisions (see newLibrary).
	svc.Library = newLibrary(db, svc, opts)
	// Offers use the library's vocabulary of themes, and a completed
	// action's report becomes a library item (newExchange).
	if svc.Exchange, err = newExchange(db, svc.Notify, svc.Library, opts); err != nil {
		return nil, err
	}
	// Offers' files share the blob store too.
	svc.Courses.AddBlobUser(svc.Exchange.FilesInUse)
	newScaleOut(db, svc, opts)

	return svc, nil
}

// catalogs loads the translations messages are written from, once per
// process (the web layer loads its own copy to render pages).
var catalogs = sync.OnceValues(func() (*i18n.Bundle, error) { return i18n.Load(assets.I18n) })

// certificateRenderer loads the certificate fonts from the binary once per
// process: parsing them takes tens of milliseconds, and tests build many
// installations.
var certificateRenderer = sync.OnceValues(func() (*certificates.Renderer, error) {
	fonts, err := fs.Sub(assets.Fonts, "fonts")
	if err != nil {
		return nil, fmt.Errorf("wiring: certificate fonts: %w", err)
	}
	return certificates.NewRenderer(fonts)
})
