package events

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Limits of sessions.
const (
	MaxLocationLen  = 300
	MaxOnlineURLLen = 1000
	// MaxSessionLength is the longest one session lasts: a longer one is a
	// mistyped date (an event of several days has a session per day).
	MaxSessionLength = 12 * time.Hour
	// MaxEventSpan is how far apart an event's sessions may lie: a session
	// beyond it lies outside the event (a year typed wrong).
	MaxEventSpan = 366 * 24 * time.Hour
)

// SessionParams are the fields of a session.
type SessionParams struct {
	Title     string
	StartsAt  time.Time
	EndsAt    time.Time
	Location  string
	OnlineURL string
}

// validate reports the first field of p that breaks a rule, given the
// event's other sessions.
func (p *SessionParams) validate(others []Session) error {
	p.Title, p.Location, p.OnlineURL = strings.TrimSpace(p.Title), strings.TrimSpace(p.Location), strings.TrimSpace(p.OnlineURL)
	switch {
	case p.Title == "":
		return invalid("title", "required")
	case utf8.RuneCountInString(p.Title) > MaxTitleLen:
		return &InvalidError{Field: "title", Reason: "too_long", Param: MaxTitleLen}
	case p.StartsAt.IsZero():
		return invalid("starts_at", "required")
	case p.EndsAt.IsZero():
		return invalid("ends_at", "required")
	case !p.EndsAt.After(p.StartsAt):
		return invalid("ends_at", "before_start")
	case p.EndsAt.Sub(p.StartsAt) > MaxSessionLength:
		return &InvalidError{Field: "ends_at", Reason: "too_long_session", Param: int(MaxSessionLength / time.Hour)}
	case utf8.RuneCountInString(p.Location) > MaxLocationLen:
		return &InvalidError{Field: "location", Reason: "too_long", Param: MaxLocationLen}
	case len(p.OnlineURL) > MaxOnlineURLLen:
		return &InvalidError{Field: "online_url", Reason: "too_long", Param: MaxOnlineURLLen}
	case p.OnlineURL != "" && !webURL(p.OnlineURL):
		return invalid("online_url", "url")
	}
	for _, o := range others {
		if p.StartsAt.Before(o.EndsAt) && o.StartsAt.Before(p.EndsAt) {
			return invalid("starts_at", "overlap")
		}
		if p.EndsAt.Sub(o.StartsAt) > MaxEventSpan || o.EndsAt.Sub(p.StartsAt) > MaxEventSpan {
			return &InvalidError{Field: "starts_at", Reason: "outside_event", Param: int(MaxEventSpan / (24 * time.Hour))}
		}
	}
	return nil
}

// webURL accepts absolute http and https links, the ones a participant
// can follow.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// AddSession adds a session to an event that is not closed.
func (s *Service) AddSession(ctx context.Context, actor Actor, eventID int64, p SessionParams) (*Session, error) {
	ses := &Session{EventID: eventID, CheckinSecret: make([]byte, 32)}
	if _, err := rand.Read(ses.CheckinSecret); err != nil {
		return nil, fmt.Errorf("events: check-in secret: %w", err)
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.sessionChange(ctx, tx, actor, eventID, 0, &p)
		if err != nil {
			return err
		}
		ses.Title, ses.StartsAt, ses.EndsAt, ses.Location, ses.OnlineURL = p.Title, p.StartsAt.UTC(), p.EndsAt.UTC(), p.Location, p.OnlineURL
		if err := NewStore(tx).InsertSession(ctx, ses); err != nil {
			return err
		}
		return s.remindRegistered(ctx, tx, e, *ses)
	})
	if err != nil {
		return nil, fmt.Errorf("events: add session to %d: %w", eventID, err)
	}
	return ses, nil
}

// UpdateSession changes a session (a new time, a new room); participants
// are reminded of the new time, and a reminder of the old one does
// nothing.
func (s *Service) UpdateSession(ctx context.Context, actor Actor, sessionID int64, p SessionParams) (*Session, error) {
	var ses *Session
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if ses, err = NewStore(tx).Session(ctx, sessionID); err != nil {
			return err
		}
		e, err := s.sessionChange(ctx, tx, actor, ses.EventID, sessionID, &p)
		if err != nil {
			return err
		}
		ses.Title, ses.StartsAt, ses.EndsAt, ses.Location, ses.OnlineURL = p.Title, p.StartsAt.UTC(), p.EndsAt.UTC(), p.Location, p.OnlineURL
		if err := NewStore(tx).UpdateSession(ctx, ses); err != nil {
			return err
		}
		return s.remindRegistered(ctx, tx, e, *ses)
	})
	if err != nil {
		return nil, fmt.Errorf("events: update session %d: %w", sessionID, err)
	}
	return ses, nil
}

// sessionChange locks the event for an organiser's change of its sessions
// and validates p against its other sessions (all but skip).
func (s *Service) sessionChange(ctx context.Context, tx bun.IDB, actor Actor, eventID, skip int64, p *SessionParams) (*Event, error) {
	e, err := s.organising(ctx, tx, actor, eventID)
	if err != nil {
		return nil, err
	}
	if e.Status == StatusClosed {
		return nil, ErrClosed
	}
	all, err := NewStore(tx).Sessions(ctx, eventID)
	if err != nil {
		return nil, err
	}
	others := all[:0:0]
	for _, o := range all {
		if o.ID != skip {
			others = append(others, o)
		}
	}
	if err := p.validate(others); err != nil {
		return nil, err
	}
	return e, nil
}

// SessionEvent returns a session and its event as actor may see them.
func (s *Service) SessionEvent(ctx context.Context, actor Actor, sessionID int64) (*Session, *Access, error) {
	ses, err := NewStore(s.db).Session(ctx, sessionID)
	if err != nil {
		return nil, nil, fmt.Errorf("events: session %d: %w", sessionID, err)
	}
	acc, err := s.Access(ctx, actor, ses.EventID)
	if err != nil {
		return nil, nil, err
	}
	return ses, acc, nil
}
