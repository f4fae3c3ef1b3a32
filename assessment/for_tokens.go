package assessment

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Tokens is how a statement of assessment finds the user an API token
// acts for itself, one round trip instead of two (accounts.Service): the
// subquery of the token's user, over two placeholders, and their values
// for a token. The rule stays accounts': assessment only puts it first
// in its statement, so it is checked in PostgreSQL on every request, and
// a revoked token or a disabled user finds nobody at the next one.
type Tokens interface {
	TokenUserQuery(db bun.IDB, hash, now bun.Safe) *bun.SelectQuery
	TokenArgs(token string) (hash []byte, now time.Time)
}

// ReadTokensWith lets StartForToken and SubmitForToken find the caller of an API token in
// its statement through t. Call it while wiring, before serving.
func (s *Service) ReadTokensWith(t Tokens) {
	s.tokens = t
	s.tokenAttemptSQL = NewStore(s.db).tokenAttemptSQL(t)
	s.tokenStartSQL = NewStore(s.db).quizToStartForTokenSQL(t)
}

// SubmitForToken is Submit for the caller of an API token, found in the
// statement that reads the attempt: one round trip fewer than looking the
// token up first. It returns the caller, with Submit's result and error
// for them; a nil caller, with a nil error, when the statement read no
// row (nobody acts with token, or there is no such attempt), so the
// caller looks the token up on its own and gets what every request gets.
// An error with a nil caller is a failure there is no falling back on.
func (s *Service) SubmitForToken(ctx context.Context, token string, attemptID int64, body []byte) (*accounts.User, Result, error) {
	if s.tokens == nil {
		return nil, Result{}, errors.New("assessment: SubmitForToken before ReadTokensWith")
	}
	hash, now := s.tokens.TokenArgs(token)
	u, a, quiz, byID, err := NewStore(s.db).AttemptWithQuizForToken(ctx, s.tokenAttemptSQL, hash, now, attemptID)
	if u == nil {
		return nil, Result{}, err
	}
	a, quiz, qs, err := s.openOwn(ctx, u.ID, a, quiz, byID)
	if err != nil {
		return u, Result{}, err
	}
	res, err := s.submitOpen(ctx, a, quiz, qs, body, false)
	return u, res, err
}

// StartForToken is Start for the caller of an API token, found in the
// statement that reads the quiz, the caller's standing, the pool and
// their access to the course (courses.AccessQuery): two round trips
// fewer than looking the token up first and the access apart. It returns the
// caller, with Start's attempt and error for them; a nil caller, with a
// nil error, when the statement read no row (nobody acts with token, or
// there is no such quiz), so the caller looks the token up on its own
// and gets what every request gets. An error with a nil caller is a
// failure there is no falling back on.
func (s *Service) StartForToken(ctx context.Context, token string, quizID int64) (*accounts.User, *AttemptDetail, bool, error) {
	if s.tokens == nil {
		return nil, nil, false, errors.New("assessment: StartForToken before ReadTokensWith")
	}
	hash, now := s.tokens.TokenArgs(token)
	u, first, err := NewStore(s.db).QuizToStartForToken(ctx, s.tokenStartSQL, hash, now, quizID)
	if u == nil {
		return nil, nil, false, err
	}
	d, created, err := s.startFrom(ctx, courses.ActorFor(u), quizID, first)
	return u, d, created, err
}
