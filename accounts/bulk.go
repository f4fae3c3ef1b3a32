package accounts

import (
	"context"
	"strings"
)

// This file holds what other domains need of accounts to enrol people in
// bulk (courses' CSV imports and cohorts), so that they never touch the
// users table themselves.

// UserByEmail returns the user with email, compared without case, for
// enrolling a known person by hand.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return NewStore(s.db).UserByEmail(ctx, strings.TrimSpace(email))
}
