package events

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// EventIn returns the event with id and its sessions in order, read in db
// (the caller's transaction), for the packages that tell participants
// about it.
func EventIn(ctx context.Context, db bun.IDB, id int64) (*Event, []Session, error) {
	st := NewStore(db)
	e, err := st.Event(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("events: event %d: %w", id, err)
	}
	sessions, err := st.Sessions(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("events: sessions of %d: %w", id, err)
	}
	return e, sessions, nil
}

// TimeRange writes "2027-03-10 10:00–12:00", or both dates when the
// range passes midnight, in the zone from and to are in. Pages and mail
// write a session's times alike.
func TimeRange(from, to time.Time) string {
	if from.Format(time.DateOnly) == to.Format(time.DateOnly) {
		return from.Format("2006-01-02 15:04") + "–" + to.Format("15:04")
	}
	return from.Format("2006-01-02 15:04") + " – " + to.Format("2006-01-02 15:04")
}

// ZonePlace names an IANA zone by its city: "America/Mexico_City" →
// "Mexico City".
func ZonePlace(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}
