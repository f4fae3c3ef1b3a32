package notify

import (
	"context"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/jobs"
)

// Kinds of notice. Each becomes an in-app notification and, as its
// topic's preference says, a mail at once, a line of the daily digest, or
// nothing more.
const (
	KindEnrolled             = "enrolled"
	KindCertificateIssued    = "certificate_issued"
	KindCertificateRevoked   = "certificate_revoked"
	KindCertificateCorrected = "certificate_corrected"
	KindAttemptTimedOut      = "attempt_timed_out"
	KindAnnouncement         = "announcement"
	// The notices of events (events.go).
	KindEventRegistered       = "event_registered"
	KindEventWaitlisted       = "event_waitlisted"
	KindEventPending          = "event_pending"
	KindEventPromoted         = "event_promoted"
	KindEventApproved         = "event_approved"
	KindEventApprovedWaitlist = "event_approved_waitlisted"
	KindEventReminder         = "event_reminder"
	KindEventCertificate      = "event_certificate"
)

// Topic groups kinds of notice for preferences.
type Topic string

// The topics, in the order the preferences page lists them.
const (
	TopicEnrolment     Topic = "enrolment"
	TopicCertificates  Topic = "certificates"
	TopicQuizzes       Topic = "quizzes"
	TopicAnnouncements Topic = "announcements"
	TopicEvents        Topic = "events"
	TopicForums        Topic = "forums"
	TopicExchange      Topic = "exchange"
	TopicLibrary       Topic = "library"
)

// Topics lists every topic.
var Topics = []Topic{TopicEnrolment, TopicCertificates, TopicQuizzes, TopicAnnouncements, TopicEvents, TopicForums, TopicExchange, TopicLibrary}

// TopicOf is the topic of a kind of notice.
func TopicOf(kind string) Topic {
	switch kind {
	case KindEnrolled:
		return TopicEnrolment
	case KindCertificateIssued, KindCertificateRevoked, KindCertificateCorrected:
		return TopicCertificates
	case KindAttemptTimedOut:
		return TopicQuizzes
	case KindEventRegistered, KindEventWaitlisted, KindEventPending, KindEventPromoted, KindEventApproved,
		KindEventApprovedWaitlist, KindEventReminder, KindEventCertificate:
		return TopicEvents
	}
	if strings.HasPrefix(kind, kindForumPrefix) {
		return TopicForums
	}
	if strings.HasPrefix(kind, kindExchangePrefix) {
		return TopicExchange
	}
	if strings.HasPrefix(kind, kindLibraryPrefix) {
		return TopicLibrary
	}
	return TopicAnnouncements
}

// Delivery is how a user wants a topic's notices by mail.
type Delivery string

// The deliveries.
const (
	DeliveryImmediate Delivery = "immediate" // a mail each, at once (the default)
	DeliveryDigest    Delivery = "digest"    // one mail a day, in the morning
	DeliveryOff       Delivery = "off"       // no mail; the bell still shows them
)

// Deliveries lists the deliveries, in the order the page offers them.
var Deliveries = []Delivery{DeliveryImmediate, DeliveryDigest, DeliveryOff}

// Notification is one notice to a user, shown under the bell.
type Notification struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID     int64      `bun:"user_id" json:"-"`
	Kind       string     `bun:"kind" json:"kind"`
	Args       []string   `bun:"args,type:jsonb" json:"args"`
	Link       string     `bun:"link" json:"link"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	ReadAt     *time.Time `bun:"read_at" json:"read_at"`
	DigestOn   *time.Time `bun:"digest_on,type:date" json:"-"`
	DigestedAt *time.Time `bun:"digested_at" json:"-"`
}

// TitleKey is the catalog key of the notification's one-line title; its
// arguments are Args.
func (n *Notification) TitleKey() string { return "notify.notice." + n.Kind + ".title" }

// ArgsAny are Args for a translation call.
func (n *Notification) ArgsAny() []any {
	out := make([]any, len(n.Args))
	for i, a := range n.Args {
		out[i] = a
	}
	return out
}

// notice is what happened, for the people it concerns.
type notice struct {
	kind string
	args []string
	link string // a path of the site
	// An author's text for the mail sent at once (an announcement).
	bodyText string
	bodyHTML htmltemplate.HTML
	// more adds to the mail sent at once what only a mail says, in the
	// recipient's language and time zone (an event's sessions).
	more func(l *letter, t tr, u accounts.User)
}

// digestHour is the local hour of the daily digest.
const digestHour = 7

// DigestKind is the kind of job that sends one user's daily digest.
const DigestKind = "notify.digest"

// deliver records a notice for each user in tx, then mails it at once,
// schedules it for the user's digest or leaves it in the app, as each
// user's preference for its topic says. Disabled accounts get nothing.
func (s *Service) deliver(ctx context.Context, tx bun.IDB, userIDs []int64, n notice) error {
	if len(userIDs) == 0 {
		return nil
	}
	users, err := accounts.UsersByID(ctx, tx, userIDs)
	if err != nil {
		return err
	}
	topic := TopicOf(n.kind)
	store := NewStore(tx)
	prefs, err := store.Deliveries(ctx, userIDs, topic)
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([]Notification, 0, len(userIDs))
	for _, id := range userIDs {
		u, ok := users[id]
		if !ok || u.Disabled {
			continue
		}
		row := Notification{UserID: id, Kind: n.kind, Args: n.args, Link: n.link, CreatedAt: now}
		if prefs[id] == DeliveryDigest {
			day, _ := s.digestTime(u, now)
			row.DigestOn = &day
		}
		rows = append(rows, row)
	}
	if err := store.InsertNotifications(ctx, rows); err != nil {
		return err
	}
	for _, row := range rows {
		u := users[row.UserID]
		switch prefs[row.UserID] {
		case DeliveryOff:
		case DeliveryDigest:
			if err := s.scheduleDigest(ctx, tx, u, now); err != nil {
				return err
			}
		default:
			if err := s.mailNotice(ctx, tx, u, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// mailNotice writes the mail of a notice to u.
func (s *Service) mailNotice(ctx context.Context, tx bun.IDB, u accounts.User, n notice) error {
	r := recipient(u)
	l, t := s.letterFor(r, "notice."+n.kind)
	args := make([]any, len(n.args))
	for i, a := range n.args {
		args[i] = a
	}
	l.Subject = t.T("notify.notice."+n.kind+".subject", args...)
	l.Paragraphs = []string{t.T("notify.notice."+n.kind+".body", args...)}
	l.BodyText, l.BodyHTML = n.bodyText, n.bodyHTML
	if n.more != nil {
		n.more(&l, t, u)
	}
	l.Action, l.URL = t.T("notify.notice."+n.kind+".action"), s.link(n.link)
	if err := s.footer(ctx, tx, u, &l, t, string(TopicOf(n.kind))); err != nil {
		return err
	}
	return s.write(ctx, tx, r, l)
}

// footer ends a notice or digest with why it came and the links to stop
// it: what (topic, or "digest") names for the one-click unsubscribe.
func (s *Service) footer(ctx context.Context, tx bun.IDB, u accounts.User, l *letter, t tr, what string) error {
	token, err := NewStore(tx).Token(ctx, u.ID)
	if err != nil {
		return err
	}
	l.Footer = t.T("notify.mail.footer.notice")
	l.Unsubscribe = t.T("notify.mail.unsubscribe")
	l.Preferences = t.T("notify.mail.preferences")
	l.UnsubscribeURL = s.link("/unsubscribe/" + token + "?topic=" + what)
	l.PreferencesURL = s.link("/account/notifications")
	return nil
}

// userLocation is the time zone a user's day is counted in: their own
// setting, else the installation's (AULA_TIMEZONE).
func (s *Service) userLocation(u accounts.User) *time.Location {
	if u.TimeZone != "" {
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			return loc
		}
	}
	return s.loc
}

// digestTime is the local morning of the next digest of u after now: the
// digest day (midnight UTC of that date) and the moment it is due.
func (s *Service) digestTime(u accounts.User, now time.Time) (time.Time, time.Time) {
	loc := s.userLocation(u)
	local := now.In(loc)
	at := time.Date(local.Year(), local.Month(), local.Day(), digestHour, 0, 0, 0, loc)
	if !local.Before(at) {
		at = time.Date(local.Year(), local.Month(), local.Day()+1, digestHour, 0, 0, 0, loc)
	}
	return time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC), at
}

type digestArgs struct {
	UserID int64  `json:"user_id"`
	Day    string `json:"day"` // YYYY-MM-DD
}

// scheduleDigest makes sure u's next digest is queued: one job per user
// per day (its unique key), due at the user's local morning.
func (s *Service) scheduleDigest(ctx context.Context, tx bun.IDB, u accounts.User, now time.Time) error {
	day, at := s.digestTime(u, now)
	d := day.Format(time.DateOnly)
	_, _, err := jobs.Enqueue(ctx, tx, jobs.EnqueueParams{Kind: DigestKind, Args: digestArgs{UserID: u.ID, Day: d}, RunAt: at,
		UniqueKey: fmt.Sprintf("%s:%d:%s", DigestKind, u.ID, d)})
	if err != nil {
		return fmt.Errorf("schedule digest of %d on %s: %w", u.ID, d, err)
	}
	return nil
}

// digestJob sends one user's digest of a day: the notices waiting for it
// whose topic is still on digest, in one message, marked digested in the
// same transaction as the message is written.
func (s *Service) digestJob(ctx context.Context, j *jobs.Job) error {
	var args digestArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("digest job arguments: %w", err))
	}
	day, err := time.Parse(time.DateOnly, args.Day)
	if err != nil {
		return jobs.Permanent(fmt.Errorf("digest day %q: %w", args.Day, err))
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		pending, err := store.PendingDigest(ctx, args.UserID, day)
		if err != nil || len(pending) == 0 {
			return err
		}
		if err := store.MarkDigested(ctx, args.UserID, day, s.now()); err != nil {
			return err
		}
		users, err := accounts.UsersByID(ctx, tx, []int64{args.UserID})
		if err != nil {
			return err
		}
		u, ok := users[args.UserID]
		if !ok || u.Disabled {
			return nil
		}
		prefs, err := store.Preferences(ctx, u.ID)
		if err != nil {
			return err
		}
		// A topic turned off since its notices were recorded is left out.
		pending = slices.DeleteFunc(pending, func(n Notification) bool { return prefs[TopicOf(n.Kind)] == DeliveryOff })
		if len(pending) == 0 {
			return nil
		}
		r := recipient(u)
		l, t := s.letterFor(r, "digest")
		l.Subject = t.N("notify.digest.subject", len(pending))
		l.Paragraphs = []string{t.N("notify.digest.intro", len(pending))}
		loc := s.userLocation(u)
		for _, n := range pending {
			l.Items = append(l.Items, letterItem{Title: t.T(n.TitleKey(), n.ArgsAny()...), URL: s.link(n.Link),
				When: n.CreatedAt.In(loc).Format("2006-01-02 15:04")})
		}
		l.Action, l.URL = t.T("notify.digest.action"), s.link("/notifications")
		if err := s.footer(ctx, tx, u, &l, t, "digest"); err != nil {
			return err
		}
		return s.write(ctx, tx, r, l)
	})
}
