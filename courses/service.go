package courses

import (
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Service applies the rules of courses, enrolment and completion.
type Service struct {
	db             *bun.DB
	blobs          BlobStore
	now            func() time.Time
	uploadMaxBytes int64
	requirements   []Requirement
	onCompleted    []CompletionHook
	blobUsers      []BlobUser
	onAccounts     []AccountsHook     // hooks_accounts.go
	onEnrolled     []EnrolmentHook    // hooks_enrolment.go
	onAnnounced    []AnnouncementHook // announcements.go
	// moduleAttachments is read with a module for its page, and
	// moduleAttached asks whether it would read anything (AttachToModules).
	moduleAttachments, moduleAttached bun.Safe
	// attachedModules holds the ids of the modules this process last
	// found with attachments (their value is true): their pages read the
	// attachments at once, the others only ask moduleAttached
	// (readModule). A hint only: the statement always says.
	attachedModules sync.Map
	// sessions finds a module page's reader in its statement (ReadSessionsWith).
	sessions Sessions
}

// Options configure a Service.
type Options struct {
	// Blobs stores uploaded files (a DirStore under AULA_DATA_DIR by default).
	Blobs BlobStore
	// UploadMaxBytes caps one uploaded file (default 20 MB).
	UploadMaxBytes int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// DefaultUploadMaxBytes is the default cap on one uploaded file.
const DefaultUploadMaxBytes = 20 << 20

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.UploadMaxBytes <= 0 {
		opts.UploadMaxBytes = DefaultUploadMaxBytes
	}
	clock := opts.Now
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, blobs: opts.Blobs, now: now, uploadMaxBytes: opts.UploadMaxBytes}
}

// AddRequirement adds a kind of item learners must finish to complete a
// course (besides modules). Call it while wiring, before serving.
func (s *Service) AddRequirement(r Requirement) { s.requirements = append(s.requirements, r) }

// AttachToModules makes ReadModuleBody read q with the module, in its one
// statement, and hand back its value as Reading.Attachments: q is a scalar
// subquery over the outer course "c", the module "rm" and the reader's
// enrolment "e" (NULL when they have none) giving jsonb (assessment: the
// quizzes attached to the module with the reader's attempts). A module page
// is then one statement after the session instead of two.
//
// attached is a boolean expression over "c" and "rm" that is true when q
// would read something (assessment: the module has a live quiz). Most
// modules have nothing attached, and PostgreSQL sets up every node of q's
// plan on every view whether it runs or not (a quarter of the module
// page's statement in pgbench), so the page of a module not known to have
// attachments asks attached instead, and reads q in a second statement
// only when attached says so. Call it while wiring, before serving.
func (s *Service) AttachToModules(q, attached bun.Safe) {
	s.moduleAttachments, s.moduleAttached = q, attached
}

// Sessions is how a statement of courses finds the user of a browser
// session itself, one round trip instead of two (accounts.Service): the
// subquery of the user signed in with a session, over two placeholders,
// and their values for a session token.
type Sessions interface {
	SessionUserQuery(db bun.IDB, hash, now bun.Safe) *bun.SelectQuery
	SessionArgs(token string) (hash []byte, now time.Time)
}

// ReadSessionsWith lets ReadModuleBodyForSession and MyCoursesForSession
// find the reader of a session in their statement through a. Call it
// while wiring, before serving, after whatever changes a's query
// (accounts.Service.CountWithSession).
func (s *Service) ReadSessionsWith(a Sessions) { s.sessions = a }

// OnCompleted adds a hook run inside the completion transaction. Call it
// while wiring, before serving.
func (s *Service) OnCompleted(h CompletionHook) { s.onCompleted = append(s.onCompleted, h) }

// DB returns the database the service works on, for packages that build on
// courses and must join its transactions.
func (s *Service) DB() *bun.DB { return s.db }
