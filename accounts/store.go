package accounts

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
)

// Store runs identity queries on a database or inside a transaction.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db (a *bun.DB or a bun.Tx).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// Institution returns the institution with id.
func (s *Store) Institution(ctx context.Context, id int64) (*Institution, error) {
	inst := new(Institution)
	if err := s.db.NewSelect().Model(inst).Where("i.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("institution %d: %w", id, notFound(err))
	}
	return inst, nil
}

// InstitutionsByAcronym returns the institutions with the given acronyms,
// keyed by their lower-cased acronym.
func (s *Store) InstitutionsByAcronym(ctx context.Context, acronyms []string) (map[string]Institution, error) {
	lower := make([]string, len(acronyms))
	for i, a := range acronyms {
		lower[i] = strings.ToLower(a)
	}
	var list []Institution
	if err := s.db.NewSelect().Model(&list).Where("lower(i.acronym) IN (?)", bun.List(lower)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("institutions by acronym: %w", err)
	}
	byAcronym := make(map[string]Institution, len(list))
	for _, inst := range list {
		byAcronym[strings.ToLower(inst.Acronym)] = inst
	}
	return byAcronym, nil
}

// AllInstitutions returns every institution by name, for select boxes
// (networks have tens or hundreds of members), and the version of the
// list they are (InstitutionsVersion; -1 when there is none): one
// statement, where a page of Institutions also counts them.
func (s *Store) AllInstitutions(ctx context.Context) ([]Institution, int64, error) {
	var rows []struct {
		Institution `bun:",extend"`
		ListVersion int64 `bun:"list_version"`
	}
	if err := s.db.NewSelect().Model(&rows).
		ColumnExpr("i.*, coalesce((SELECT v.version FROM list_versions AS v WHERE v.name = 'institutions'), 0) AS list_version").
		OrderExpr("i.name, i.id").Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("all institutions: %w", err)
	}
	version := int64(-1)
	list := make([]Institution, len(rows))
	for i := range rows {
		list[i], version = rows[i].Institution, rows[i].ListVersion
	}
	return list, version, nil
}

// institutionsVersionSQL is the version of the list of institutions, which
// every write of institutions moves on in its transaction (migration
// 20261203120000); institutionsVersion reads it as a prepared statement,
// as the pages with an institution filter ask for it on every view.
const institutionsVersionSQL = `coalesce((SELECT v.version FROM list_versions AS v WHERE v.name = 'institutions'), 0)`

const institutionsVersion = `SELECT ` + institutionsVersionSQL

// InstitutionsVersion returns the version of the list of institutions.
func (s *Store) InstitutionsVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := postgres.SelectOne(ctx, s.db, institutionsVersion, nil, &v); err != nil {
		return 0, fmt.Errorf("institutions version: %w", err)
	}
	return v, nil
}

// Institutions returns a page of institutions by name, and how many there are.
func (s *Store) Institutions(ctx context.Context, limit, offset int) ([]Institution, int, error) {
	var list []Institution
	total, err := s.db.NewSelect().Model(&list).OrderExpr("i.name, i.id").Limit(limit).Offset(offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list institutions: %w", err)
	}
	return list, total, nil
}

// InsertInstitution stores a new institution and fills its id.
func (s *Store) InsertInstitution(ctx context.Context, inst *Institution) error {
	if _, err := s.db.NewInsert().Model(inst).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert institution: %w", institutionConflict(err))
	}
	return nil
}

// UpdateInstitution saves name, acronym and country of inst.
func (s *Store) UpdateInstitution(ctx context.Context, inst *Institution) error {
	res, err := s.db.NewUpdate().Model(inst).Column("name", "acronym", "country").
		Set("updated_at = now()").WherePK().Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("update institution %d: %w", inst.ID, institutionConflict(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update institution %d: %w", inst.ID, ErrNotFound)
	}
	return nil
}

func institutionConflict(err error) error {
	if postgres.Code(err) == postgres.UniqueViolation {
		return ErrAcronymTaken
	}
	return err
}

// User returns the user with id.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("u.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("user %d: %w", id, notFound(err))
	}
	return u, nil
}

// UserByEmail returns the user with email, compared without case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("lower(u.email) = lower(?)", email).Scan(ctx); err != nil {
		return nil, fmt.Errorf("user by email: %w", notFound(err))
	}
	return u, nil
}

// UsersByEmail returns the users with the given emails, keyed by lower-cased email.
func (s *Store) UsersByEmail(ctx context.Context, emails []string) (map[string]User, error) {
	lower := make([]string, len(emails))
	for i, e := range emails {
		lower[i] = strings.ToLower(e)
	}
	var list []User
	if err := s.db.NewSelect().Model(&list).Where("lower(u.email) IN (?)", bun.List(lower)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("users by email: %w", err)
	}
	byEmail := make(map[string]User, len(list))
	for _, u := range list {
		byEmail[strings.ToLower(u.Email)] = u
	}
	return byEmail, nil
}

// UserFilter narrows a user list.
type UserFilter struct {
	InstitutionID int64  // 0: any
	Role          Role   // "": any
	Query         string // part of the name or email, without accents or case
	Limit, Offset int
}

// CountCap bounds the counts of user lists: Users counts at most
// CountCap+1 matches, so a list's count costs what CountCap rows cost
// however many users match; CountCap+1 means "more than CountCap".
const CountCap = 1000

// Users returns a page of users by name, how many match, up to
// CountCap+1 (more than CountCap), and the version of the list of
// institutions (InstitutionsVersion) read with the page.
//
// The matches are read once: the ids of the first CountCap+1 (or as many
// as the page needs) in the page's order, which give the count and the
// page's ids, then the page's users by id. A search's trigram index scan
// and recheck are most of its cost, which a page query and a count query
// paid twice.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]User, int, int64, error) {
	return s.users(ctx, f, usersPageSQL)
}

// UsersListed is Users with only what the admins' list shows of each
// user: id, name, email, role, institution and whether it is disabled.
// The other columns (two timestamps among them) were most of the cost of
// scanning the page's rows.
func (s *Store) UsersListed(ctx context.Context, f UserFilter) ([]User, int, int64, error) {
	return s.users(ctx, f, usersListedSQL)
}

func (s *Store) users(ctx context.Context, f UserFilter, pageSQL *postgres.Text) ([]User, int, int64, error) {
	q := s.db.NewSelect().Model((*User)(nil)).Column("u.id")
	if f.InstitutionID != 0 {
		q = q.Where("u.institution_id = ?", f.InstitutionID)
	}
	if f.Role != "" {
		q = q.Where("u.role = ?", f.Role)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		// Without accents or case, on the folded text users keep
		// (users.search): users_search_text_idx finds the candidates by
		// some of the query's trigrams, strpos keeps those that hold it
		// (migration 20261202130000).
		q = q.Where("u.search LIKE accounts_search_pattern(accounts_fold(?)) AND strpos(u.search, accounts_fold(?)) > 0", query, query)
	}
	page, total, err := postgres.CountedPage(ctx, s.db, q.OrderExpr("u.name, u.id"), CountCap, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("list users: %w", err)
	}
	var rows []usersPageRow
	if err := postgres.Select(ctx, s.db, &rows, pageSQL.SQL(s.db), postgres.Int64Array(page)); err != nil {
		return nil, 0, 0, fmt.Errorf("list users: %w", err)
	}
	if len(rows) == 0 {
		return nil, 0, 0, errors.New("list users: no version")
	}
	list := make([]User, 0, len(rows))
	for i := range rows {
		if rows[i].ID != 0 {
			list = append(list, rows[i].User)
		}
	}
	return list, total, rows[0].InstitutionsVersion, nil
}

// usersPageRow is a row of usersPageSQL: a user of the page, or none (ID
// 0), with the version of the list of institutions.
type usersPageRow struct {
	User                `bun:",extend"`
	InstitutionsVersion int64 `bun:"institutions_version,scanonly"`
}

// usersPageSQL reads the users $1 (ids) in their order, and the version of
// the list of institutions in the same statement (one row with it when
// there is no user): the user list's filter is kept by that version, and
// reading it here saves the page a statement. Prepared: the same text for
// every page.
var usersPageSQL = postgres.NewText(func(db bun.IDB) string { return usersPage(db, "?TableColumns") })

// usersListedSQL is usersPageSQL for UsersListed's columns.
var usersListedSQL = postgres.NewText(func(db bun.IDB) string {
	return usersPage(db, "u.id, u.email, u.name, u.role, u.institution_id, u.disabled")
})

func usersPage(db bun.IDB, columns string) string {
	return postgres.ByIDsWithVersion(db.NewSelect().Model((*usersPageRow)(nil)), "u", columns,
		institutionsVersionSQL, "institutions_version")
}

// InsertUser stores a new user and fills its id.
func (s *Store) InsertUser(ctx context.Context, u *User) error {
	if _, err := s.db.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert user: %w", userConflict(err))
	}
	return nil
}

// UpdateUser saves the given columns of u.
func (s *Store) UpdateUser(ctx context.Context, u *User, columns ...string) error {
	res, err := s.db.NewUpdate().Model(u).Column(columns...).Set("updated_at = now()").WherePK().Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, userConflict(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update user %d: %w", u.ID, ErrNotFound)
	}
	return nil
}

// LockActiveAdmins returns the ids of the enabled admins, locking their
// rows (in id order, so two callers cannot deadlock) until the
// transaction ends.
func (s *Store) LockActiveAdmins(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*User)(nil)).Column("u.id").
		Where("u.role = ? AND NOT u.disabled", RoleAdmin).OrderExpr("u.id").For("UPDATE").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	return ids, nil
}

func userConflict(err error) error {
	switch postgres.Code(err) {
	case postgres.UniqueViolation:
		return ErrEmailTaken
	case postgres.ForeignKeyViolation:
		return ErrUnknownInstitution
	}
	return err
}

// InsertSession stores a new browser session.
func (s *Store) InsertSession(ctx context.Context, sess *Session) error {
	if _, err := s.db.NewInsert().Model(sess).Exec(ctx); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// DeleteSession removes the session with the given token hash.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions and password links past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*Session)(nil)).Where("expires_at < ?", now).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// UserBySessionHash returns the enabled user of an unexpired session.
// Every page runs it, so it is a prepared statement (postgres.SelectOne):
// sessions stay in PostgreSQL, so signing out or a disabled account takes
// effect at the next request, and what is saved is only the planning.
func (s *Store) UserBySessionHash(ctx context.Context, hash []byte, now time.Time, unread UnreadQuery) (*User, error) {
	u := new(User)
	if err := postgres.SelectOne(ctx, s.db, s.sessionUserSQL(unread), []any{hash, now}, u); err != nil {
		return nil, fmt.Errorf("session: %w", notFound(err))
	}
	return u, nil
}

// signedInWith narrows q over users "u" to the user signed in with the
// session whose token hashes to hash: an unexpired session of an enabled
// user. Every way of reading a session (UserBySessionHash, and the pages
// that read it in their own statement through SessionUserQuery) states
// the rule here, once.
func signedInWith(q *bun.SelectQuery, hash, now any) *bun.SelectQuery {
	return q.Join("JOIN sessions AS s ON s.user_id = u.id").
		Where("s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled", hash, now)
}

// sessionUserSQL is UserBySessionHash's statement ($1 the token's hash, $2
// now), built once for each unread query (one in a process, wired once).
func (s *Store) sessionUserSQL(unread UnreadQuery) string {
	var key uintptr
	if unread != nil {
		key = reflect.ValueOf(unread).Pointer()
	}
	if q, ok := sessionUserSQL.Load(key); ok {
		return q.(string)
	}
	q := s.db.NewSelect().Model((*User)(nil))
	if unread != nil {
		q = q.ColumnExpr("u.*").ColumnExpr("(?) AS unread", unread(s.db))
	}
	text := signedInWith(q, bun.Safe("$1"), bun.Safe("$2")).String()
	sessionUserSQL.Store(key, text)
	return text
}

var sessionUserSQL sync.Map // uintptr of the UnreadQuery (0: none) → SQL

// InsertAPIToken stores a new API token.
func (s *Store) InsertAPIToken(ctx context.Context, t *APIToken) error {
	if _, err := s.db.NewInsert().Model(t).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	return nil
}

// UserByAPITokenHash returns the enabled user of an unrevoked, unexpired
// token. Every API request runs it: a prepared statement, as for sessions.
func (s *Store) UserByAPITokenHash(ctx context.Context, hash []byte, now time.Time) (*User, error) {
	u := new(User)
	if err := postgres.SelectOne(ctx, s.db, apiTokenUserSQL.SQL(s.db), []any{hash, now}, u); err != nil {
		return nil, fmt.Errorf("api token: %w", notFound(err))
	}
	return u, nil
}

var apiTokenUserSQL = postgres.NewText(func(db bun.IDB) string {
	return actingWith(db.NewSelect().Model((*User)(nil)), bun.Safe("$1"), bun.Safe("$2")).String()
})

// actingWith is the API token rule, UserByAPITokenHash's and that of the
// statements that read the token's user in their own (TokenUserQuery): an
// unrevoked, unexpired token of an enabled user, looked up in PostgreSQL
// on every request, so revoking a token or disabling its user takes
// effect at the next one.
func actingWith(q *bun.SelectQuery, hash, now any) *bun.SelectQuery {
	return q.Join("JOIN api_tokens AS t ON t.user_id = u.id").
		Where("t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND NOT u.disabled", hash, now)
}

// RevokeAPIToken marks the token with hash revoked.
func (s *Store) RevokeAPIToken(ctx context.Context, hash []byte, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", now).
		Where("token_hash = ? AND revoked_at IS NULL", hash).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke api token: %w", ErrNotFound)
	}
	return nil
}

// APITokens returns a user's tokens that still work, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64, now time.Time) ([]APIToken, error) {
	var list []APIToken
	err := s.db.NewSelect().Model(&list).
		Where("t.user_id = ? AND t.revoked_at IS NULL AND t.expires_at > ?", userID, now).
		OrderExpr("t.created_at DESC, t.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("api tokens of %d: %w", userID, err)
	}
	return list, nil
}

// RevokeAPITokenOf marks the token id of a user revoked; another user's
// token, or one revoked already, is ErrNotFound.
func (s *Store) RevokeAPITokenOf(ctx context.Context, userID, id int64, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", now).
		Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke api token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke api token %d: %w", id, ErrNotFound)
	}
	return nil
}

// InsertPasswordLinks stores one-time password links.
func (s *Store) InsertPasswordLinks(ctx context.Context, links []PasswordLink) error {
	if len(links) == 0 {
		return nil
	}
	if _, err := s.db.NewInsert().Model(&links).Exec(ctx); err != nil {
		return fmt.Errorf("insert password links: %w", err)
	}
	return nil
}

// UsePasswordLink marks an unused, unexpired link used and returns its user id.
func (s *Store) UsePasswordLink(ctx context.Context, hash []byte, now time.Time) (int64, error) {
	var userID int64
	err := s.db.NewUpdate().Model((*PasswordLink)(nil)).Set("used_at = ?", now).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).
		Returning("user_id").Scan(ctx, &userID)
	if err != nil {
		return 0, fmt.Errorf("use password link: %w", notFound(err))
	}
	return userID, nil
}

// PasswordLinkValid reports whether a link can still be used.
func (s *Store) PasswordLinkValid(ctx context.Context, hash []byte, now time.Time) (bool, error) {
	ok, err := s.db.NewSelect().Model((*PasswordLink)(nil)).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("check password link: %w", err)
	}
	return ok, nil
}
