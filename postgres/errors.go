package postgres

import (
	"errors"

	"github.com/uptrace/bun/driver/pgdriver"
)

// SQLSTATE codes the domain packages map to their own errors.
const (
	UniqueViolation      = "23505"
	ForeignKeyViolation  = "23503"
	CheckViolation       = "23514"
	ExclusionViolation   = "23P01"
	Deadlock             = "40P01"
	SerializationFailure = "40001"
)

// Code returns the SQLSTATE of a PostgreSQL error anywhere in err's chain,
// or "" for any other error.
func Code(err error) string {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C')
	}
	return ""
}

// Constraint returns the name of the constraint a PostgreSQL error is
// about (a unique index, a foreign key), or "".
func Constraint(err error) string {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('n')
	}
	return ""
}

// Retryable reports whether PostgreSQL gave up a transaction to let a
// concurrent one through (a deadlock victim, a serialisation failure):
// the same work tried again normally succeeds.
func Retryable(err error) bool {
	code := Code(err)
	return code == Deadlock || code == SerializationFailure
}
