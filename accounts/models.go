package accounts

import (
	"time"

	"github.com/uptrace/bun"
)

// Role is what a user may do in Aula.
type Role string

// The roles. Admins can do everything instructors can. A coordinator is a
// member institution's training focal point: they follow and enrol their
// own institution's staff, and see no other institution's people.
const (
	RoleLearner     Role = "learner"
	RoleInstructor  Role = "instructor"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Roles lists every role, in the order forms offer them.
var Roles = []Role{RoleLearner, RoleInstructor, RoleCoordinator, RoleAdmin}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r == RoleLearner || r == RoleInstructor || r == RoleCoordinator || r == RoleAdmin
}

// Institution is a member institution whose staff take courses.
type Institution struct {
	bun.BaseModel `bun:"table:institutions,alias:i"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	Name      string    `bun:"name" json:"name"`
	Acronym   string    `bun:"acronym" json:"acronym"`
	Country   string    `bun:"country" json:"country"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`
}

// User is a person who signs in to Aula.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID            int64  `bun:"id,pk,autoincrement" json:"id"`
	Email         string `bun:"email" json:"email"`
	Name          string `bun:"name" json:"name"`
	Role          Role   `bun:"role" json:"role"`
	InstitutionID *int64 `bun:"institution_id" json:"institution_id"`
	Locale        string `bun:"locale" json:"locale"`
	// TimeZone is the IANA name of the zone the user reads times in
	// ("America/Lima"); "" means the installation's (AULA_TIMEZONE).
	TimeZone     string    `bun:"time_zone,nullzero" json:"time_zone"`
	PasswordHash string    `bun:"password_hash" json:"-"`
	Disabled     bool      `bun:"disabled" json:"disabled"`
	CreatedAt    time.Time `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`

	// Unread is how many of the user's notifications are unread, read with
	// their session in the same statement (Service.CountWithSession), so
	// the header's bell costs no query of its own; 0 elsewhere.
	Unread int `bun:"unread,scanonly" json:"-"`
	// Search is the folded name and email the admins' search matches,
	// kept by the database (a generated column); read only where a
	// statement selects every column (u.*, RETURNING *).
	Search string `bun:"search,scanonly" json:"-"`
}

// IsAdmin reports whether u administers the installation.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// IsCoordinator reports whether u coordinates an institution's training.
func (u *User) IsCoordinator() bool { return u != nil && u.Role == RoleCoordinator }

// CanTeach reports whether u may author courses.
func (u *User) CanTeach() bool {
	return u != nil && (u.Role == RoleInstructor || u.Role == RoleAdmin)
}

// Session is a signed-in browser. Only the hash of its cookie token is kept.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	TokenHash []byte    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
	ExpiresAt time.Time `bun:"expires_at"`
	UserAgent string    `bun:"user_agent"`
	IP        string    `bun:"ip"`
}

// APIToken lets an integration act as a user through the JSON API, until
// it expires or is revoked.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens,alias:t"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	TokenHash  []byte     `bun:"token_hash" json:"-"`
	UserID     int64      `bun:"user_id" json:"-"`
	Name       string     `bun:"name" json:"name"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	ExpiresAt  time.Time  `bun:"expires_at" json:"expires_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"-"`
}

// PasswordLink is a one-time link that lets a user choose a password.
type PasswordLink struct {
	bun.BaseModel `bun:"table:password_links,alias:pl"`

	TokenHash []byte     `bun:"token_hash,pk"`
	UserID    int64      `bun:"user_id"`
	CreatedAt time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}
