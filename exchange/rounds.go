package exchange

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// MaxSlotLength is the longest a slot may last.
const MaxSlotLength = 12 * time.Hour

// SlotParams are the times of a new slot.
type SlotParams struct {
	StartsAt, EndsAt time.Time
}

// within refuses a time range that falls outside the exchange's days,
// naming the field of the end that does.
func within(e *Exchange, from, to time.Time, fromField, toField string) error {
	if from.Before(e.Opens()) || !from.Before(e.Closes()) {
		return invalid(fromField, "outside_dates")
	}
	if to.After(e.Closes()) {
		return invalid(toField, "outside_dates")
	}
	return nil
}

// AddSlot adds a time slot to the exchange: within its days, not
// overlapping another slot.
func (s *Service) AddSlot(ctx context.Context, actor Actor, exchangeID int64, p SlotParams) (*Slot, error) {
	switch {
	case !p.EndsAt.After(p.StartsAt):
		return nil, invalid("ends_at", "before_start")
	case p.EndsAt.Sub(p.StartsAt) > MaxSlotLength:
		return nil, &InvalidError{Field: "ends_at", Reason: "too_long_slot", Param: int(MaxSlotLength.Hours())}
	}
	sl := &Slot{ExchangeID: exchangeID, StartsAt: p.StartsAt.UTC(), EndsAt: p.EndsAt.UTC()}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.administering(ctx, tx, actor, exchangeID)
		if err != nil {
			return err
		}
		if err := within(e, p.StartsAt, p.EndsAt, "starts_at", "ends_at"); err != nil {
			return err
		}
		return NewStore(tx).InsertSlot(ctx, sl)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: slot in %d: %w", exchangeID, err)
	}
	return sl, nil
}

// RoomParams are the fields of a new room.
type RoomParams struct {
	Name   string
	Online bool
	// AvailableFrom and AvailableUntil, when set, limit when the room can
	// be used, within the exchange's days.
	AvailableFrom, AvailableUntil *time.Time
}

// AddRoom adds a room (or an online room) to the exchange.
func (s *Service) AddRoom(ctx context.Context, actor Actor, exchangeID int64, p RoomParams) (*Room, error) {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		return nil, invalid("name", "required")
	case utf8.RuneCountInString(p.Name) > MaxTitleLen:
		return nil, &InvalidError{Field: "name", Reason: "too_long", Param: MaxTitleLen}
	case p.AvailableFrom != nil && p.AvailableUntil != nil && !p.AvailableUntil.After(*p.AvailableFrom):
		return nil, invalid("available_until", "before_start")
	}
	r := &Room{ExchangeID: exchangeID, Name: p.Name, Online: p.Online, AvailableFrom: utc(p.AvailableFrom), AvailableUntil: utc(p.AvailableUntil)}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.administering(ctx, tx, actor, exchangeID)
		if err != nil {
			return err
		}
		if p.AvailableFrom != nil {
			if err := within(e, *p.AvailableFrom, *p.AvailableFrom, "available_from", "available_from"); err != nil {
				return err
			}
		}
		if p.AvailableUntil != nil {
			if err := within(e, p.AvailableUntil.Add(-time.Microsecond), *p.AvailableUntil, "available_until", "available_until"); err != nil {
				return err
			}
		}
		return NewStore(tx).InsertRoom(ctx, r)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: room in %d: %w", exchangeID, err)
	}
	return r, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Timetable is an exchange's slots, rooms, rounds and the interests its
// last scheduling could not serve.
type Timetable struct {
	Exchange *Exchange
	Slots    []Slot
	Rooms    []Room
	Rounds   []Round
	Unserved []Unserved
	Offers   []Offer
}

// Timetable returns the exchange's rounds as they stand, for those who
// take part.
func (s *Service) Timetable(ctx context.Context, actor Actor, exchangeID int64) (*Timetable, error) {
	acc, err := s.Access(ctx, actor, exchangeID)
	if err != nil {
		return nil, err
	}
	return timetable(ctx, s.db, acc.Exchange)
}

func timetable(ctx context.Context, db bun.IDB, e *Exchange) (*Timetable, error) {
	st := NewStore(db)
	t := &Timetable{Exchange: e}
	var err error
	if t.Slots, err = st.Slots(ctx, e.ID); err != nil {
		return nil, fmt.Errorf("slots of %d: %w", e.ID, err)
	}
	if t.Rooms, err = st.Rooms(ctx, e.ID); err != nil {
		return nil, fmt.Errorf("rooms of %d: %w", e.ID, err)
	}
	if t.Rounds, err = st.Rounds(ctx, e.ID); err != nil {
		return nil, fmt.Errorf("rounds of %d: %w", e.ID, err)
	}
	if t.Unserved, err = st.Unserved(ctx, e.ID); err != nil {
		return nil, fmt.Errorf("unserved of %d: %w", e.ID, err)
	}
	if t.Offers, err = st.Offers(ctx, e.ID); err != nil {
		return nil, fmt.Errorf("offers of %d: %w", e.ID, err)
	}
	return t, nil
}

// Schedule assigns the offers' presentations to slots and rooms (see
// Schedule, the function), keeping locked rounds and rounds that have
// actions, and replacing the rest. It locks the exchange first, so two
// admins scheduling at once make one schedule after the other, the same
// both times. Every delegate is told their agenda is ready.
func (s *Service) Schedule(ctx context.Context, actor Actor, exchangeID int64) (*Timetable, error) {
	var t *Timetable
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.administering(ctx, tx, actor, exchangeID)
		if err != nil {
			return err
		}
		st := NewStore(tx)
		if err := st.DeleteMovableRounds(ctx, exchangeID); err != nil {
			return err
		}
		if t, err = timetable(ctx, tx, e); err != nil {
			return err
		}
		interests, err := st.Interests(ctx, exchangeID)
		if err != nil {
			return err
		}
		plan := Schedule(problem(t, interests))
		for _, pl := range plan.Rounds {
			if pl.Locked {
				continue
			}
			presenter := slices.IndexFunc(t.Offers, func(o Offer) bool { return o.ID == pl.OfferID })
			r := &Round{ExchangeID: exchangeID, OfferID: pl.OfferID, SlotID: pl.SlotID, RoomID: pl.RoomID, Institutions: pl.Institutions}
			if err := st.InsertRound(ctx, r, t.Offers[presenter].InstitutionID); err != nil {
				return err
			}
		}
		if err := st.ReplaceUnserved(ctx, exchangeID, plan.Unserved); err != nil {
			return err
		}
		dels, err := st.Delegates(ctx, exchangeID)
		if err != nil {
			return err
		}
		for _, d := range dels {
			if err := s.notifier.Notify(ctx, tx, Notice{Kind: NoticeAgenda, UserID: d.UserID, ExchangeID: exchangeID}); err != nil {
				return err
			}
		}
		t, err = timetable(ctx, tx, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: schedule %d: %w", exchangeID, err)
	}
	return t, nil
}

// problem is what the scheduler is given for the exchange as it stands:
// the rounds left in t are locked.
func problem(t *Timetable, interests []Interest) Problem {
	p := Problem{Usable: make([][]bool, len(t.Slots))}
	for i := range t.Slots {
		p.Slots = append(p.Slots, t.Slots[i].ID)
		p.Usable[i] = make([]bool, len(t.Rooms))
		for k := range t.Rooms {
			p.Usable[i][k] = t.Rooms[k].Holds(&t.Slots[i])
		}
	}
	for _, r := range t.Rooms {
		p.Rooms = append(p.Rooms, r.ID)
	}
	byOffer := map[int64][]Demand{}
	for _, in := range interests {
		byOffer[in.OfferID] = append(byOffer[in.OfferID], Demand{Institution: in.InstitutionID, Priority: in.Priority})
	}
	for _, o := range t.Offers {
		p.Offers = append(p.Offers, ProblemOffer{ID: o.ID, Institution: o.InstitutionID, Interests: byOffer[o.ID]})
	}
	for _, r := range t.Rounds {
		p.Locked = append(p.Locked, Placement{OfferID: r.OfferID, SlotID: r.SlotID, RoomID: r.RoomID, Institutions: r.Institutions, Locked: true})
	}
	return p
}

// MoveParams change a round: another slot, another room, locked or not.
type MoveParams struct {
	SlotID *int64
	RoomID *int64
	Locked *bool
}

// MoveRound moves a round to another slot or room, or locks or unlocks
// it. A moved round is locked unless Locked says otherwise, so that the
// next scheduling keeps it where the admin put it. A move that puts the
// room or a delegation in two rounds at once is ErrDoubleBooked: the
// schema refuses it (see the package doc), also when two moves race.
func (s *Service) MoveRound(ctx context.Context, actor Actor, roundID int64, p MoveParams) (*Round, error) {
	var r *Round
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		var err error
		if r, err = st.Round(ctx, roundID); err != nil {
			return err
		}
		if _, err := s.administering(ctx, tx, actor, r.ExchangeID); err != nil {
			return err
		}
		moved := false
		if p.SlotID != nil && *p.SlotID != r.SlotID {
			r.SlotID, moved = *p.SlotID, true
		}
		if p.RoomID != nil && *p.RoomID != r.RoomID {
			r.RoomID, moved = *p.RoomID, true
		}
		slot, err := st.Slot(ctx, r.ExchangeID, r.SlotID)
		if err != nil {
			return invalid("slot_id", "unknown")
		}
		room, err := st.Room(ctx, r.ExchangeID, r.RoomID)
		if err != nil {
			return invalid("room_id", "unknown")
		}
		if !room.Holds(slot) {
			return invalid("room_id", "room_unavailable")
		}
		switch {
		case p.Locked != nil:
			r.Locked = *p.Locked
		case moved:
			r.Locked = true
		}
		return st.UpdateRound(ctx, r)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: move round %d: %w", roundID, err)
	}
	return r, nil
}

// AgendaItem is one round in a delegation's agenda.
type AgendaItem struct {
	Round      Round
	Offer      Offer
	Slot       Slot
	Room       Room
	Presenting bool
}

// Agenda returns the rounds the actor's institution presents or attends,
// in time order.
func (s *Service) Agenda(ctx context.Context, actor Actor, exchangeID int64) (*Exchange, []AgendaItem, error) {
	acc, err := s.Access(ctx, actor, exchangeID)
	if err != nil {
		return nil, nil, err
	}
	if acc.Institution == 0 {
		return acc.Exchange, nil, nil
	}
	t, err := timetable(ctx, s.db, acc.Exchange)
	if err != nil {
		return nil, nil, err
	}
	var out []AgendaItem
	for _, r := range t.Rounds {
		offer := t.Offers[slices.IndexFunc(t.Offers, func(o Offer) bool { return o.ID == r.OfferID })]
		presenting := offer.InstitutionID == acc.Institution
		if !presenting && !slices.Contains(r.Institutions, acc.Institution) {
			continue
		}
		out = append(out, AgendaItem{Round: r, Offer: offer, Presenting: presenting,
			Slot: t.Slots[slices.IndexFunc(t.Slots, func(x Slot) bool { return x.ID == r.SlotID })],
			Room: t.Rooms[slices.IndexFunc(t.Rooms, func(x Room) bool { return x.ID == r.RoomID })]})
	}
	slices.SortStableFunc(out, func(a, b AgendaItem) int { return a.Slot.StartsAt.Compare(b.Slot.StartsAt) })
	return acc.Exchange, out, nil
}
