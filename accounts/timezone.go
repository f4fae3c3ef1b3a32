package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LoadTimeZone returns the location a user's time zone setting names, or
// nil for "" (the installation's zone). "Local" is refused although Go
// knows it: it is the server's zone, which says nothing about the user
// and changes with the machine Aula runs on. Names are IANA's, as written
// there ("America/Sao_Paulo"; "america/sao_paulo" is unknown).
func LoadTimeZone(name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	if name == "Local" || len(name) > 64 {
		return nil, fmt.Errorf("%w: %q", ErrInvalidTimeZone, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrInvalidTimeZone, name)
	}
	return loc, nil
}

// checkTimeZone returns the setting as stored (spaces trimmed), or
// ErrInvalidTimeZone.
func checkTimeZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if _, err := LoadTimeZone(name); err != nil {
		return "", err
	}
	return name, nil
}

// Preferences are the settings a user changes for themselves.
type Preferences struct {
	Locale   string // an interface locale (or the legacy "pt")
	TimeZone string // an IANA zone name; "" for the installation's
}

// SetPreferences records a user's own language and time zone, both at
// once, and returns the user as saved.
func (s *Service) SetPreferences(ctx context.Context, userID int64, p Preferences) (*User, error) {
	tz, err := checkTimeZone(p.TimeZone)
	if err != nil {
		return nil, err
	}
	u := &User{ID: userID, Locale: canonicalLocale(p.Locale), TimeZone: tz}
	if err := NewStore(s.db).UpdateUser(ctx, u, "locale", "time_zone"); err != nil {
		return nil, err
	}
	return u, nil
}
