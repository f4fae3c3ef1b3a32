package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/locales"
	"github.com/aula-platform/aula/postgres"
)

// Lifetimes of the secrets this package hands out.
const (
	SessionLifetime      = 14 * 24 * time.Hour
	PasswordLinkLifetime = 7 * 24 * time.Hour
)

// Lifetimes of API tokens unless the installation sets its own.
const (
	DefaultTokenLifetime    = 90 * 24 * time.Hour
	DefaultTokenMaxLifetime = 365 * 24 * time.Hour
)

// Service applies the identity rules.
type Service struct {
	db  *bun.DB
	now func() time.Time
	// tokenLifetime is how long a new API token works unless its request
	// asks for less; tokenMaxLifetime is the most a request may ask.
	tokenLifetime, tokenMaxLifetime time.Duration
	// invited are told of each invitation (OnInvited).
	invited []InviteHook
	// unread counts a session user's unread notifications (CountWithSession).
	unread UnreadQuery
	// institutions is the list of every institution last read (AllInstitutions).
	institutions postgres.KeptList[Institution]
}

// NewService returns a Service on db. now is the clock (time.Now when nil).
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, tokenLifetime: DefaultTokenLifetime, tokenMaxLifetime: DefaultTokenMaxLifetime}
}

// SetTokenLifetimes sets how long new API tokens work by default and at
// most (zero keeps the built-in value). The default may not exceed the most.
func (s *Service) SetTokenLifetimes(def, most time.Duration) error {
	if def == 0 {
		def = DefaultTokenLifetime
	}
	if most == 0 {
		most = max(DefaultTokenMaxLifetime, def)
	}
	if def < 0 || most < def {
		return fmt.Errorf("accounts: token lifetime %v must be positive and at most %v", def, most)
	}
	s.tokenLifetime, s.tokenMaxLifetime = def, most
	return nil
}

// TokenLifetimes returns the default and the longest lifetime of a new API token.
func (s *Service) TokenLifetimes() (def, most time.Duration) {
	return s.tokenLifetime, s.tokenMaxLifetime
}

// InstitutionParams are the editable fields of an institution.
type InstitutionParams struct {
	Name    string
	Acronym string
	Country string // ISO 3166-1 alpha-2
}

func (p InstitutionParams) apply(inst *Institution) {
	inst.Name = strings.TrimSpace(p.Name)
	inst.Acronym = strings.TrimSpace(p.Acronym)
	inst.Country = strings.ToUpper(strings.TrimSpace(p.Country))
}

// CreateInstitution adds a member institution.
func (s *Service) CreateInstitution(ctx context.Context, p InstitutionParams) (*Institution, error) {
	inst := new(Institution)
	p.apply(inst)
	if err := NewStore(s.db).InsertInstitution(ctx, inst); err != nil {
		return nil, err
	}
	return inst, nil
}

// UpdateInstitution changes an institution.
func (s *Service) UpdateInstitution(ctx context.Context, id int64, p InstitutionParams) (*Institution, error) {
	inst := &Institution{ID: id}
	p.apply(inst)
	if err := NewStore(s.db).UpdateInstitution(ctx, inst); err != nil {
		return nil, err
	}
	return inst, nil
}

// Institution returns one institution.
func (s *Service) Institution(ctx context.Context, id int64) (*Institution, error) {
	return NewStore(s.db).Institution(ctx, id)
}

// AllInstitutions returns every institution by name, for select boxes:
// the list kept from an earlier call while its version has not moved
// (postgres.KeptList), so a view costs one row instead of every
// institution's.
func (s *Service) AllInstitutions(ctx context.Context) ([]Institution, error) {
	store := NewStore(s.db)
	v, err := store.InstitutionsVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.institutions.Get(ctx, v, store.AllInstitutions)
}

// Institutions returns a page of institutions and the total.
func (s *Service) Institutions(ctx context.Context, limit, offset int) ([]Institution, int, error) {
	return NewStore(s.db).Institutions(ctx, limit, offset)
}

// CreateUserParams describe a new user. An empty Password leaves the account
// without one until its owner sets it through a password link.
type CreateUserParams struct {
	Email         string
	Name          string
	Password      string
	Role          Role
	InstitutionID *int64
	Locale        string
	TimeZone      string // an IANA zone name; "" for the installation's
}

// CreateUser adds a user. The email must be free whatever its case and an
// email (ErrInvalidEmail). A user created without a password is invited
// (OnInvited) in the same transaction.
func (s *Service) CreateUser(ctx context.Context, p CreateUserParams) (*User, error) {
	tz, err := checkTimeZone(p.TimeZone)
	if err != nil {
		return nil, err
	}
	u := &User{
		TimeZone:      tz,
		Email:         strings.TrimSpace(p.Email),
		Name:          strings.TrimSpace(p.Name),
		Role:          p.Role,
		InstitutionID: p.InstitutionID,
		Locale:        canonicalLocale(p.Locale),
	}
	if u.Locale == "" {
		u.Locale = locales.Fallback
	}
	if !ValidEmail(u.Email) {
		return nil, ErrInvalidEmail
	}
	if u.Role == RoleCoordinator && u.InstitutionID == nil {
		return nil, ErrCoordinatorInstitution
	}
	if p.Password != "" {
		if err := ValidatePassword(p.Password, u.Email, u.Name); err != nil {
			return nil, err
		}
		hash, err := HashPassword(p.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = hash
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := NewStore(tx).InsertUser(ctx, u); err != nil {
			return err
		}
		if u.PasswordHash != "" {
			return nil
		}
		_, err := s.invite(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUserParams are the fields an admin edits. An empty Password keeps
// the current one.
type UpdateUserParams struct {
	Email         string
	Name          string
	Role          Role
	InstitutionID *int64
	Locale        string
	TimeZone      string // an IANA zone name; "" for the installation's
	Disabled      bool
	Password      string
	// By is the user making the change (0: the installation itself, as
	// the command line does), so they cannot lock themselves out.
	By int64
}

// UpdateUser changes a user. Disabling a user also ends their sessions and
// revokes their API tokens, in the same transaction.
//
// Two rules keep the installation administrable, for pages and API alike:
// an admin may not remove their own admin role or disable themselves
// (ErrSelfDemotion), and the last active admin may not be demoted or
// disabled by anyone (ErrLastAdmin). The active admins' rows are locked
// while it is decided, so two admins demoting each other at once cannot
// both succeed: the second waits, then sees one admin left.
func (s *Service) UpdateUser(ctx context.Context, id int64, p UpdateUserParams) (*User, error) {
	losesAdmin := p.Role != RoleAdmin || p.Disabled
	if p.By == id && losesAdmin {
		return nil, ErrSelfDemotion
	}
	tz, err := checkTimeZone(p.TimeZone)
	if err != nil {
		return nil, err
	}
	u := &User{
		TimeZone:      tz,
		ID:            id,
		Email:         strings.TrimSpace(p.Email),
		Name:          strings.TrimSpace(p.Name),
		Role:          p.Role,
		InstitutionID: p.InstitutionID,
		Locale:        canonicalLocale(p.Locale),
		Disabled:      p.Disabled,
	}
	if !ValidEmail(u.Email) {
		return nil, ErrInvalidEmail
	}
	if u.Role == RoleCoordinator && u.InstitutionID == nil {
		return nil, ErrCoordinatorInstitution
	}
	columns := []string{"email", "name", "role", "institution_id", "locale", "time_zone", "disabled"}
	if p.Password != "" {
		if err := ValidatePassword(p.Password, u.Email, u.Name); err != nil {
			return nil, err
		}
		hash, err := HashPassword(p.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = hash
		columns = append(columns, "password_hash")
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if losesAdmin {
			admins, err := store.LockActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if slices.Contains(admins, id) && len(admins) == 1 {
				return ErrLastAdmin
			}
		}
		if err := store.UpdateUser(ctx, u, columns...); err != nil {
			return err
		}
		if u.Disabled {
			return endAccess(ctx, tx, u.ID, s.now())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// endAccess ends every session and API token of a user.
func endAccess(ctx context.Context, db bun.IDB, userID int64, now time.Time) error {
	if _, err := db.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of %d: %w", userID, err)
	}
	if _, err := db.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", now).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx); err != nil {
		return fmt.Errorf("revoke tokens of %d: %w", userID, err)
	}
	return nil
}

// SetLocale records the language a user chose.
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	return NewStore(s.db).UpdateUser(ctx, &User{ID: userID, Locale: canonicalLocale(locale)}, "locale")
}

// canonicalLocale stores the legacy "pt" that API clients may still send as
// the locale it stands for. A value Aula does not speak is kept, for the
// database's CHECK to refuse.
func canonicalLocale(locale string) string {
	if c := locales.Canonical(locale); c != "" {
		return c
	}
	return locale
}

// User returns one user.
func (s *Service) User(ctx context.Context, id int64) (*User, error) {
	return NewStore(s.db).User(ctx, id)
}

// Users returns a page of users and the total.
func (s *Service) Users(ctx context.Context, f UserFilter) ([]User, int, error) {
	list, total, _, err := NewStore(s.db).Users(ctx, f)
	return list, total, err
}

// UsersPage is Users for the admins' list, each user with only what the
// list shows (Store.UsersListed), and every institution by name
// (AllInstitutions) for its institution filter: the kept list's version
// is read in the statement that reads the page's users.
func (s *Service) UsersPage(ctx context.Context, f UserFilter) ([]User, int, []Institution, error) {
	store := NewStore(s.db)
	list, total, v, err := store.UsersListed(ctx, f)
	if err != nil {
		return nil, 0, nil, err
	}
	all, err := s.institutions.Get(ctx, v, store.AllInstitutions)
	if err != nil {
		return nil, 0, nil, err
	}
	return list, total, all, nil
}

// Authenticate returns the user with email and password. Unknown email,
// wrong password and disabled account all give ErrInvalidCredentials, after
// the same amount of work.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := NewStore(s.db).UserByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, ErrNotFound) {
		_, _ = checkPassword(dummyHash, password)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	// An account whose owner has not chosen a password yet is checked
	// against the dummy hash too: answering at once would tell a stranger
	// which emails belong to new accounts.
	hash, hasPassword := u.PasswordHash, u.PasswordHash != ""
	if !hasPassword {
		hash = dummyHash
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return nil, fmt.Errorf("accounts: authenticate %d: %w", u.ID, err)
	}
	if !ok || !hasPassword || u.Disabled {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// NewSecret returns a random URL-safe token with 256 bits of entropy.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret is how session, API and link tokens are stored.
func HashSecret(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// SessionInfo describes the browser starting a session, for the user's records.
type SessionInfo struct {
	UserAgent string
	IP        string
}

// StartSession signs a user in and returns the new session token. The
// previous session of this browser (oldToken, may be empty) is deleted in
// the same transaction: the session id is rotated at sign-in, so a token
// planted before sign-in is worthless after it.
func (s *Service) StartSession(ctx context.Context, userID int64, oldToken string, info SessionInfo) (string, error) {
	token, err := NewSecret()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if oldToken != "" {
			if err := store.DeleteSession(ctx, HashSecret(oldToken)); err != nil {
				return err
			}
		}
		return store.InsertSession(ctx, &Session{
			TokenHash: HashSecret(token),
			UserID:    userID,
			CreatedAt: now,
			ExpiresAt: now.Add(SessionLifetime),
			UserAgent: truncate(info.UserAgent, 300),
			IP:        truncate(info.IP, 64),
		})
	})
	if err != nil {
		return "", fmt.Errorf("accounts: start session for %d: %w", userID, err)
	}
	return token, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// SessionUser returns the user signed in with token.
func (s *Service) SessionUser(ctx context.Context, token string) (*User, error) {
	return NewStore(s.db).UserBySessionHash(ctx, HashSecret(token), s.now(), s.unread)
}

// UnreadQuery is a subquery counting a user's unread notifications, over
// the outer users row "u" (package notify gives it).
type UnreadQuery func(db bun.IDB) *bun.SelectQuery

// CountWithSession makes SessionUser count the user's unread notifications
// with q in its one statement (User.Unread). Call it while wiring.
func (s *Service) CountWithSession(q UnreadQuery) { s.unread = q }

// EndSession signs a browser out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return NewStore(s.db).DeleteSession(ctx, HashSecret(token))
}

// DeleteExpired removes expired sessions; a background job calls it.
func (s *Service) DeleteExpired(ctx context.Context) (int64, error) {
	return NewStore(s.db).DeleteExpiredSessions(ctx, s.now())
}

// CreateAPITokenParams describe a new API token.
type CreateAPITokenParams struct {
	// Name tells the owner's tokens apart in their list (may be empty).
	Name string
	// Lifetime is how long the token works: the installation's default
	// when 0, and never longer than its maximum.
	Lifetime time.Duration
}

// CreateAPIToken returns a new API token for a user with the default
// lifetime. Only its hash is kept: the caller must show the token now or
// never.
func (s *Service) CreateAPIToken(ctx context.Context, userID int64) (string, error) {
	token, _, err := s.IssueAPIToken(ctx, userID, CreateAPITokenParams{})
	return token, err
}

// IssueAPIToken returns a new API token for a user, and its record. Only
// its hash is kept: the caller must show the token now or never.
func (s *Service) IssueAPIToken(ctx context.Context, userID int64, p CreateAPITokenParams) (string, *APIToken, error) {
	secret, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	lifetime := p.Lifetime
	if lifetime <= 0 {
		lifetime = s.tokenLifetime
	}
	lifetime = min(lifetime, s.tokenMaxLifetime)
	now := s.now()
	token := "aula_" + secret
	t := &APIToken{TokenHash: HashSecret(token), UserID: userID, Name: truncate(strings.TrimSpace(p.Name), 100),
		CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	if err := NewStore(s.db).InsertAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// TokenUser returns the user an API token acts for, while it has not
// expired or been revoked.
func (s *Service) TokenUser(ctx context.Context, token string) (*User, error) {
	return NewStore(s.db).UserByAPITokenHash(ctx, HashSecret(token), s.now())
}

// APITokens lists a user's tokens that still work, newest first.
func (s *Service) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return NewStore(s.db).APITokens(ctx, userID, s.now())
}

// RevokeAPITokenOf revokes one of a user's own tokens by id; any other id
// is ErrNotFound, so a user cannot learn of others' tokens.
func (s *Service) RevokeAPITokenOf(ctx context.Context, userID, id int64) error {
	return NewStore(s.db).RevokeAPITokenOf(ctx, userID, id, s.now())
}

// RevokeAPIToken revokes a token for good.
func (s *Service) RevokeAPIToken(ctx context.Context, token string) error {
	return NewStore(s.db).RevokeAPIToken(ctx, HashSecret(token), s.now())
}

// CreatePasswordLinks returns a one-time password token for each user id,
// stored in db (which may be the caller's transaction).
func (s *Service) CreatePasswordLinks(ctx context.Context, db bun.IDB, userIDs []int64) (map[int64]string, error) {
	now := s.now()
	tokens := make(map[int64]string, len(userIDs))
	links := make([]PasswordLink, 0, len(userIDs))
	for _, id := range userIDs {
		token, err := NewSecret()
		if err != nil {
			return nil, err
		}
		tokens[id] = token
		links = append(links, PasswordLink{TokenHash: HashSecret(token), UserID: id, CreatedAt: now, ExpiresAt: now.Add(PasswordLinkLifetime)})
	}
	if err := NewStore(db).InsertPasswordLinks(ctx, links); err != nil {
		return nil, err
	}
	return tokens, nil
}

// PasswordLinkValid reports whether a password link can still be used, so
// the page can say so before the user types a password.
func (s *Service) PasswordLinkValid(ctx context.Context, token string) (bool, error) {
	return NewStore(s.db).PasswordLinkValid(ctx, HashSecret(token), s.now())
}

// SetPasswordWithLink sets a user's password through a one-time link and
// returns the user. A used or expired link gives ErrLinkExpired; a weak
// password gives ValidatePassword's error and leaves the link usable.
func (s *Service) SetPasswordWithLink(ctx context.Context, token, password string) (*User, error) {
	var u *User
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		userID, err := store.UsePasswordLink(ctx, HashSecret(token), s.now())
		if errors.Is(err, ErrNotFound) {
			return ErrLinkExpired
		}
		if err != nil {
			return err
		}
		if u, err = store.User(ctx, userID); err != nil {
			return err
		}
		if err := ValidatePassword(password, u.Email, u.Name); err != nil {
			return err // rolls back: the link still works
		}
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return err
		}
		if err := store.UpdateUser(ctx, u, "password_hash"); err != nil {
			return err
		}
		// A new password ends every session opened with the old one.
		return endAccess(ctx, tx, userID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
