package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Permission is a right an admin grants a user on top of their role; a
// permission does not change what the role allows (a librarian may be a
// learner, an instructor or an admin).
type Permission string

// PermissionLibrarian lets a user catalogue the knowledge library and
// review members' submissions (package library decides what it allows).
const PermissionLibrarian Permission = "librarian"

// Valid reports whether p is a known permission.
func (p Permission) Valid() bool { return p == PermissionLibrarian }

// Grant is one permission held by one user.
type Grant struct {
	bun.BaseModel `bun:"table:user_permissions,alias:up"`

	UserID     int64      `bun:"user_id,pk"`
	Permission Permission `bun:"permission,pk"`
	GrantedBy  *int64     `bun:"granted_by"`
	GrantedAt  time.Time  `bun:"granted_at,nullzero,default:current_timestamp"`
}

// GrantPermission gives user p; granting it again changes nothing. by is
// who grants it (nil for the system). The caller decides who may grant.
func (s *Service) GrantPermission(ctx context.Context, userID int64, p Permission, by *int64) error {
	if !p.Valid() {
		return fmt.Errorf("accounts: grant %q: unknown permission", p)
	}
	if _, err := s.User(ctx, userID); err != nil {
		return err
	}
	return NewStore(s.db).InsertGrant(ctx, &Grant{UserID: userID, Permission: p, GrantedBy: by, GrantedAt: s.now()})
}

// RevokePermission takes p from user; revoking one they lack changes nothing.
func (s *Service) RevokePermission(ctx context.Context, userID int64, p Permission) error {
	return NewStore(s.db).DeleteGrant(ctx, userID, p)
}

// HasPermission reports whether the user holds p. A disabled user holds
// nothing.
func (s *Service) HasPermission(ctx context.Context, userID int64, p Permission) (bool, error) {
	return NewStore(s.db).HasGrant(ctx, userID, p)
}

// UsersWithPermission lists the users who hold p, by name.
func (s *Service) UsersWithPermission(ctx context.Context, p Permission) ([]User, error) {
	return NewStore(s.db).UsersWithGrant(ctx, p)
}

// InsertGrant stores g unless the user holds that permission already.
func (s *Store) InsertGrant(ctx context.Context, g *Grant) error {
	if _, err := s.db.NewInsert().Model(g).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("accounts: grant %s to %d: %w", g.Permission, g.UserID, err)
	}
	return nil
}

// DeleteGrant removes a user's permission.
func (s *Store) DeleteGrant(ctx context.Context, userID int64, p Permission) error {
	if _, err := s.db.NewDelete().Model((*Grant)(nil)).
		Where("user_id = ? AND permission = ?", userID, p).Exec(ctx); err != nil {
		return fmt.Errorf("accounts: revoke %s from %d: %w", p, userID, err)
	}
	return nil
}

// HasGrant reports whether an enabled user holds p.
func (s *Store) HasGrant(ctx context.Context, userID int64, p Permission) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Grant)(nil)).
		Join("JOIN users AS u ON u.id = up.user_id").
		Where("up.user_id = ? AND up.permission = ? AND NOT u.disabled", userID, p).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("accounts: does %d hold %s: %w", userID, p, err)
	}
	return ok, nil
}

// UsersWithGrant returns the users holding p, by name.
func (s *Store) UsersWithGrant(ctx context.Context, p Permission) ([]User, error) {
	var list []User
	if err := s.db.NewSelect().Model(&list).
		Where("u.id IN (SELECT user_id FROM user_permissions WHERE permission = ?)", p).
		OrderExpr("u.name, u.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts: users with %s: %w", p, err)
	}
	return list, nil
}
