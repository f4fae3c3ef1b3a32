package exchange

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Limits of the exchange's fields; the database checks them too.
const (
	MaxTitleLen   = 200
	MaxTextLen    = 5000
	MaxDays       = 366
	MaxDelegates  = 50
	MaxCommittee  = 50
	MaxCriteria   = 20
	MaxThemes     = 10
	MaxNoteLen    = 2000
	MaxReportLen  = 20000
	MaxMoney      = 1e11
	MaxDuration   = 3650
	MaxCriterion  = 100
	maxPartLength = 1000
)

// ExchangeParams are the fields of a new exchange.
type ExchangeParams struct {
	Title string
	// StartsOn and EndsOn are days ("2027-03-10") in TimeZone.
	StartsOn, EndsOn string
	TimeZone         string
	EventID          *int64
}

// day reads a "2006-01-02" date as midnight UTC, which stands for the day.
func day(field, v string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, invalid(field, "date")
	}
	return t, nil
}

// validZone accepts the IANA names accounts accepts for people's zones.
func validZone(name string) bool {
	loc, err := accounts.LoadTimeZone(name)
	return err == nil && loc != nil
}

// CreateExchange opens an exchange; admins do.
func (s *Service) CreateExchange(ctx context.Context, actor Actor, p ExchangeParams) (*Exchange, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("exchange: create: %w", ErrForbidden)
	}
	p.Title, p.TimeZone = strings.TrimSpace(p.Title), strings.TrimSpace(p.TimeZone)
	switch {
	case p.Title == "":
		return nil, invalid("title", "required")
	case utf8.RuneCountInString(p.Title) > MaxTitleLen:
		return nil, &InvalidError{Field: "title", Reason: "too_long", Param: MaxTitleLen}
	case !validZone(p.TimeZone):
		return nil, invalid("time_zone", "time_zone")
	}
	from, err := day("starts_on", p.StartsOn)
	if err != nil {
		return nil, err
	}
	to, err := day("ends_on", p.EndsOn)
	if err != nil {
		return nil, err
	}
	switch {
	case to.Before(from):
		return nil, invalid("ends_on", "before_start")
	case to.Sub(from) > MaxDays*24*time.Hour:
		return nil, &InvalidError{Field: "ends_on", Reason: "too_long_span", Param: MaxDays}
	}
	if p.EventID != nil {
		if _, err := s.events.EventTitle(ctx, *p.EventID); err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, invalid("event_id", "unknown")
			}
			return nil, fmt.Errorf("exchange: event %d: %w", *p.EventID, err)
		}
	}
	e := &Exchange{Title: p.Title, StartsOn: from, EndsOn: to, TimeZone: p.TimeZone, EventID: p.EventID, CreatedBy: &actor.UserID}
	if err := NewStore(s.db).InsertExchange(ctx, e); err != nil {
		return nil, fmt.Errorf("exchange: create %q: %w", p.Title, err)
	}
	return e, nil
}

// ParticipantParams name one participating institution and its delegates.
type ParticipantParams struct {
	InstitutionID int64
	DelegateIDs   []int64
}

// Participant is a participating institution with its delegates.
type Participant struct {
	Institution accounts.Institution
	Delegates   []accounts.User
}

// SetParticipants makes institutions the exchange's participants, with
// their delegates, replacing the previous list. A delegate is an enabled
// user of the institution they represent, and of one institution only.
// An institution that has offers or interests stays (ErrParticipantInUse).
func (s *Service) SetParticipants(ctx context.Context, actor Actor, id int64, list []ParticipantParams) ([]Participant, error) {
	var out []Participant
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.administering(ctx, tx, actor, id); err != nil {
			return err
		}
		var instIDs, userIDs []int64
		for _, p := range list {
			instIDs = append(instIDs, p.InstitutionID)
			userIDs = append(userIDs, p.DelegateIDs...)
		}
		insts, err := institutions(ctx, tx, instIDs)
		if err != nil {
			return err
		}
		users, err := accounts.UsersByID(ctx, tx, userIDs)
		if err != nil {
			return fmt.Errorf("exchange: delegates: %w", err)
		}
		seenInst, seenUser := map[int64]bool{}, map[int64]bool{}
		var dels []delegate
		for i, p := range list {
			field := fmt.Sprintf("institutions[%d]", i)
			if _, ok := insts[p.InstitutionID]; !ok {
				return invalid(field+".institution_id", "unknown")
			}
			if seenInst[p.InstitutionID] {
				return invalid(field+".institution_id", "twice")
			}
			seenInst[p.InstitutionID] = true
			if len(p.DelegateIDs) > MaxDelegates {
				return &InvalidError{Field: field + ".delegate_ids", Reason: "too_many", Param: MaxDelegates}
			}
			for _, uid := range p.DelegateIDs {
				u, ok := users[uid]
				switch {
				case !ok || u.Disabled:
					return invalid(field+".delegate_ids", "unknown_user")
				case u.InstitutionID == nil || *u.InstitutionID != p.InstitutionID:
					return invalid(field+".delegate_ids", "not_of_institution")
				case seenUser[uid]:
					return invalid(field+".delegate_ids", "twice")
				}
				seenUser[uid] = true
				dels = append(dels, delegate{ExchangeID: id, UserID: uid, InstitutionID: p.InstitutionID})
			}
		}
		if err := NewStore(tx).ReplaceParticipants(ctx, id, instIDs, dels); err != nil {
			return err
		}
		out, err = participants(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: participants of %d: %w", id, err)
	}
	return out, nil
}

// participants reads the exchange's institutions and delegates, by name.
func participants(ctx context.Context, db bun.IDB, id int64) ([]Participant, error) {
	st := NewStore(db)
	instIDs, err := st.Participants(ctx, id)
	if err != nil {
		return nil, err
	}
	dels, err := st.Delegates(ctx, id)
	if err != nil {
		return nil, err
	}
	insts, err := institutions(ctx, db, instIDs)
	if err != nil {
		return nil, err
	}
	userIDs := make([]int64, len(dels))
	for i, d := range dels {
		userIDs[i] = d.UserID
	}
	users, err := accounts.UsersByID(ctx, db, userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Participant, 0, len(instIDs))
	for _, iid := range instIDs {
		p := Participant{Institution: insts[iid]}
		for _, d := range dels {
			if d.InstitutionID == iid {
				p.Delegates = append(p.Delegates, users[d.UserID])
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Participant) int { return strings.Compare(a.Institution.Name, b.Institution.Name) })
	return out, nil
}

// Participants lists the exchange's institutions with their delegates,
// for those who take part.
func (s *Service) Participants(ctx context.Context, actor Actor, id int64) ([]Participant, error) {
	if _, err := s.Access(ctx, actor, id); err != nil {
		return nil, err
	}
	out, err := participants(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("exchange: participants of %d: %w", id, err)
	}
	return out, nil
}

// SetCommittee makes users the exchange's committee, replacing the
// previous one: any enabled users, secretariat staff or external members.
func (s *Service) SetCommittee(ctx context.Context, actor Actor, id int64, userIDs []int64) ([]int64, error) {
	if len(userIDs) > MaxCommittee {
		return nil, &InvalidError{Field: "user_ids", Reason: "too_many", Param: MaxCommittee}
	}
	ids := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.administering(ctx, tx, actor, id); err != nil {
			return err
		}
		users, err := accounts.UsersByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, uid := range ids {
			if u, ok := users[uid]; !ok || u.Disabled {
				return invalid("user_ids", "unknown_user")
			}
		}
		return NewStore(tx).ReplaceCommittee(ctx, id, ids)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: committee of %d: %w", id, err)
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}

// Committee lists the user ids of the exchange's committee.
func (s *Service) Committee(ctx context.Context, actor Actor, id int64) ([]int64, error) {
	if _, err := s.Access(ctx, actor, id); err != nil {
		return nil, err
	}
	return NewStore(s.db).Committee(ctx, id)
}
