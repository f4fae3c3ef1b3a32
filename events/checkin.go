package events

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// CheckinPeriod is how often the code on the organiser's screen changes.
const CheckinPeriod = 30 * time.Second

// CheckinGrace is how long a code keeps working after the screen stopped
// showing it: time to sign in on a phone after scanning. A code forwarded
// to someone outside the room stops working within this.
const CheckinGrace = 2 * time.Minute

// CheckinCode is the code a session's QR code carries now.
type CheckinCode struct {
	Code string
	// RotatesAt is when the screen shows the next code.
	RotatesAt time.Time
	// ExpiresAt is when this code stops working.
	ExpiresAt time.Time
}

// window is the number of the CheckinPeriod that t falls in.
func window(t time.Time) int64 { return t.Unix() / int64(CheckinPeriod/time.Second) }

// windowEnd is when window w ends.
func windowEnd(w int64) time.Time {
	return time.Unix((w+1)*int64(CheckinPeriod/time.Second), 0).UTC()
}

// codeFor is the code of session id in window w: the window's number, so
// that its age is known, and an HMAC of both under the session's secret,
// so that nobody can make one for another window or session.
func codeFor(secret []byte, id, w int64) string {
	m := hmac.New(sha256.New, secret)
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(w))
	m.Write(b[:])
	mac := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil))
	return strconv.FormatInt(w, 36) + "-" + mac[:10]
}

// checkCode reports whether code is session id's and still works at now.
func checkCode(secret []byte, id int64, code string, now time.Time) bool {
	ws, _, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(code)), "-")
	if !ok {
		return false
	}
	w, err := strconv.ParseInt(strings.ToLower(ws), 36, 64)
	if err != nil || w > window(now) || now.After(windowEnd(w).Add(CheckinGrace)) {
		return false
	}
	return hmac.Equal([]byte(strings.ToUpper(codeFor(secret, id, w))), []byte(strings.ToUpper(strings.TrimSpace(code))))
}

// Code returns the session's current check-in code, for its organisers.
func (s *Service) Code(ctx context.Context, actor Actor, sessionID int64) (*Session, *CheckinCode, error) {
	ses, acc, err := s.SessionEvent(ctx, actor, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if !acc.Organiser {
		return nil, nil, fmt.Errorf("events: check-in code of session %d: %w", sessionID, ErrForbidden)
	}
	now := s.now()
	w := window(now)
	return ses, &CheckinCode{Code: codeFor(ses.CheckinSecret, ses.ID, w), RotatesAt: windowEnd(w),
		ExpiresAt: windowEnd(w).Add(CheckinGrace)}, nil
}

// CheckIn records actor as present at a session with a code from its
// screen. Only registered participants check in (ErrForbidden for anyone
// else, whatever the code); the code must be the session's and still
// work (ErrCheckinCode), and the session must be running, give or take
// the event's margin (ErrCheckinClosed). Checking in twice is harmless;
// it never lowers what an organiser marked.
func (s *Service) CheckIn(ctx context.Context, actor Actor, sessionID int64, code string) (*Attendance, error) {
	var a *Attendance
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		ses, err := st.Session(ctx, sessionID)
		if err != nil {
			return err
		}
		e, err := st.Event(ctx, ses.EventID)
		if err != nil {
			return err
		}
		acc, err := s.access(ctx, tx, actor, e)
		if err != nil {
			return err
		}
		if !acc.CanView() {
			return ErrNotFound
		}
		if acc.Registration == nil || acc.Registration.Status != Registered {
			return ErrForbidden
		}
		now := s.now()
		if !checkCode(ses.CheckinSecret, ses.ID, code, now) {
			return ErrCheckinCode
		}
		margin := e.CheckinMargin()
		if e.Status != StatusPublished || now.Before(ses.StartsAt.Add(-margin)) || now.After(ses.EndsAt.Add(margin)) {
			return ErrCheckinClosed
		}
		old, err := st.Attendance(ctx, ses.ID)
		if err != nil {
			return err
		}
		for _, o := range old {
			if o.UserID == actor.UserID && o.Status.Attended() {
				a = &o
				return nil
			}
		}
		a = &Attendance{SessionID: ses.ID, UserID: actor.UserID, Status: Present, Source: SourceCheckin, MarkedBy: &actor.UserID, MarkedAt: now}
		return st.UpsertAttendance(ctx, []Attendance{*a})
	})
	if err != nil {
		return nil, fmt.Errorf("events: check in %d at session %d: %w", actor.UserID, sessionID, err)
	}
	return a, nil
}
