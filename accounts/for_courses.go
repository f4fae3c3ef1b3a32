package accounts

import (
	"time"

	"github.com/uptrace/bun"
)

// What a page that reads the browser session in its own statement (the
// module page, courses.Service.ReadModuleBodyForSession) takes from
// accounts: one round trip instead of the session's and the page's. The
// rule is SessionUser's, stated once here: an unexpired session of an
// enabled user, looked up in PostgreSQL on every request, so signing out
// or a disabled account takes effect at the next one.

// SessionUserQuery returns a query of the user signed in with a session,
// to join as a subquery in another package's statement: User's columns
// but the password hash, and the unread count as
// "unread" when CountWithSession was called. hash and now are the
// statement's placeholders for SessionArgs' values.
func (s *Service) SessionUserQuery(db bun.IDB, hash, now bun.Safe) *bun.SelectQuery {
	q := db.NewSelect().Model((*User)(nil)).ExcludeColumn("password_hash")
	if s.unread != nil {
		q = q.ColumnExpr("(?) AS unread", s.unread(db))
	} else {
		q = q.ColumnExpr("0 AS unread")
	}
	return signedInWith(q, hash, now)
}

// SessionArgs are the values of SessionUserQuery's placeholders for the
// session token: its hash and the time now.
func (s *Service) SessionArgs(token string) (hash []byte, now time.Time) {
	return HashSecret(token), s.now()
}

// What an API handler that reads the bearer token's user in its own
// statement (a quiz submit, assessment.Service.SubmitForToken) takes from
// accounts, as pages take SessionUserQuery: the rule is TokenUser's,
// stated once (actingWith), checked in PostgreSQL on every request.

// TokenUserQuery returns a query of the user an API token acts for, to
// join as a subquery in another package's statement: User's columns but
// the password hash. hash and now are the statement's placeholders for
// TokenArgs' values.
func (s *Service) TokenUserQuery(db bun.IDB, hash, now bun.Safe) *bun.SelectQuery {
	return actingWith(db.NewSelect().Model((*User)(nil)).ExcludeColumn("password_hash"), hash, now)
}

// TokenArgs are the values of TokenUserQuery's placeholders for an API
// token: its hash and the time now.
func (s *Service) TokenArgs(token string) (hash []byte, now time.Time) {
	return HashSecret(token), s.now()
}
