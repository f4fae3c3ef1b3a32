package community

import (
	"context"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// EventForums is what the community needs to know about events, which
// another package owns: the wiring gives it. An event's forum is for its
// participants and organisers; its organisers moderate it.
type EventForums interface {
	// Event returns the title of the event with id and the language its
	// forum is in (es, pt or en), or an error wrapping ErrNotFound.
	Event(ctx context.Context, eventID int64) (title, language string, err error)
	// Access says whether actor may read the event's forum and moderate it.
	Access(ctx context.Context, actor courses.Actor, eventID int64) (read, moderate bool, err error)
	// Readable lists the events whose forums actor may read.
	Readable(ctx context.Context, actor courses.Actor) ([]int64, error)
	// Readers returns which of actors may read the event's forum, read
	// on db (the transaction of the post that notifies them).
	Readers(ctx context.Context, db bun.IDB, eventID int64, actors []courses.Actor) (map[int64]bool, error)
}

// NoEvents is the EventForums of an installation without events: no event
// exists and nobody reads an event's forum.
type NoEvents struct{}

// Event implements EventForums: no event exists.
func (NoEvents) Event(context.Context, int64) (string, string, error) { return "", "", ErrNotFound }

// Access implements EventForums: nobody reads an event's forum.
func (NoEvents) Access(context.Context, courses.Actor, int64) (bool, bool, error) {
	return false, false, nil
}

// Readable implements EventForums: no event's forum is readable.
func (NoEvents) Readable(context.Context, courses.Actor) ([]int64, error) { return nil, nil }

// Readers implements EventForums: nobody reads an event's forum.
func (NoEvents) Readers(context.Context, bun.IDB, int64, []courses.Actor) (map[int64]bool, error) {
	return map[int64]bool{}, nil
}

// Service applies the rules of forums, topics, posts and moderation.
type Service struct {
	db       *bun.DB
	courses  *courses.Service
	events   EventForums
	notifier Notifier
	blobs    courses.BlobStore
	maxFile  int64
	now      func() time.Time

	// networkMade: the network forums exist (made once per process).
	networkMu   sync.Mutex
	networkMade bool
}

// Options configure a Service.
type Options struct {
	// Courses decides who reads and moderates a course's forum (required).
	Courses *courses.Service
	// Events decides the same for events' forums (NoEvents when nil).
	Events EventForums
	// Notifier delivers notifications (Nowhere when nil).
	Notifier Notifier
	// Blobs stores attachments: the store course files use.
	Blobs courses.BlobStore
	// AttachmentMaxBytes caps one attachment (courses' default when 0).
	AttachmentMaxBytes int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Events == nil {
		opts.Events = NoEvents{}
	}
	if opts.Notifier == nil {
		opts.Notifier = Nowhere{}
	}
	if opts.AttachmentMaxBytes <= 0 {
		opts.AttachmentMaxBytes = courses.DefaultUploadMaxBytes
	}
	clock := opts.Now
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, courses: opts.Courses, events: opts.Events, notifier: opts.Notifier,
		blobs: opts.Blobs, maxFile: opts.AttachmentMaxBytes, now: now}
}

// SetNotifier replaces where notifications go. Call it while wiring,
// before serving (tests use it to watch what is sent).
func (s *Service) SetNotifier(n Notifier) {
	if n == nil {
		n = Nowhere{}
	}
	s.notifier = n
}

// SetEvents replaces who decides about events' forums. Call it while
// wiring, before serving.
func (s *Service) SetEvents(e EventForums) {
	if e == nil {
		e = NoEvents{}
	}
	s.events = e
}

// ensureNetwork makes the network forums on first use; a failure is
// tried again by the next request.
func (s *Service) ensureNetwork(ctx context.Context) error {
	s.networkMu.Lock()
	defer s.networkMu.Unlock()
	if s.networkMade {
		return nil
	}
	if err := NewStore(s.db).EnsureNetworkForums(ctx); err != nil {
		return err
	}
	s.networkMade = true
	return nil
}

// AttachmentMaxBytes is the largest attachment Attach accepts.
func (s *Service) AttachmentMaxBytes() int64 { return s.maxFile }
