package exchange

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
)

// Store holds every query of exchanges, on the database or in a
// transaction.
type Store struct{ db bun.IDB }

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// InsertExchange stores a new exchange.
func (s *Store) InsertExchange(ctx context.Context, e *Exchange) error {
	_, err := s.db.NewInsert().Model(e).Returning("id, created_at, updated_at").Exec(ctx)
	return err
}

// Exchange returns the exchange with id, locked for the rest of the
// transaction when lock is set, or ErrNotFound.
func (s *Store) Exchange(ctx context.Context, id int64, lock bool) (*Exchange, error) {
	e := new(Exchange)
	q := s.db.NewSelect().Model(e).Where("ex.id = ?", id)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return e, nil
}

// Exchanges lists the exchanges the user takes part in (all of them for
// an admin), the latest first.
func (s *Store) Exchanges(ctx context.Context, userID int64, all bool) ([]Exchange, error) {
	var list []Exchange
	q := s.db.NewSelect().Model(&list).OrderExpr("ex.starts_on DESC, ex.id DESC")
	if !all {
		q = q.Where("EXISTS (SELECT 1 FROM exchange_delegates d WHERE d.exchange_id = ex.id AND d.user_id = ?) OR "+
			"EXISTS (SELECT 1 FROM exchange_committee c WHERE c.exchange_id = ex.id AND c.user_id = ?)", userID, userID)
	}
	return list, q.Scan(ctx)
}

// IsMember reports whether the user is on the exchange's committee.
func (s *Store) IsMember(ctx context.Context, exchangeID, userID int64) (bool, error) {
	return s.db.NewSelect().Model((*member)(nil)).Where("exchange_id = ? AND user_id = ?", exchangeID, userID).Exists(ctx)
}

// DelegateOf returns the institution the user is a delegate of in the
// exchange, 0 for none.
func (s *Store) DelegateOf(ctx context.Context, exchangeID, userID int64) (int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*delegate)(nil)).Column("institution_id").
		Where("exchange_id = ? AND user_id = ?", exchangeID, userID).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// IsParticipant reports whether the institution takes part in the exchange.
func (s *Store) IsParticipant(ctx context.Context, exchangeID, institutionID int64) (bool, error) {
	return s.db.NewSelect().Model((*participant)(nil)).Where("exchange_id = ? AND institution_id = ?", exchangeID, institutionID).Exists(ctx)
}

// Participants returns the ids of the exchange's institutions.
func (s *Store) Participants(ctx context.Context, exchangeID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*participant)(nil)).Column("institution_id").Where("exchange_id = ?", exchangeID).
		Order("institution_id").Scan(ctx, &ids)
	return ids, err
}

// Delegates returns the exchange's delegates.
func (s *Store) Delegates(ctx context.Context, exchangeID int64) ([]delegate, error) {
	var list []delegate
	err := s.db.NewSelect().Model(&list).Where("exchange_id = ?", exchangeID).Order("institution_id", "user_id").Scan(ctx)
	return list, err
}

// ReplaceParticipants makes institutions the exchange's participants and
// dels its delegates. Removing an institution with offers or interests
// is ErrParticipantInUse.
func (s *Store) ReplaceParticipants(ctx context.Context, exchangeID int64, institutions []int64, dels []delegate) error {
	if _, err := s.db.NewDelete().Model((*delegate)(nil)).Where("exchange_id = ?", exchangeID).Exec(ctx); err != nil {
		return err
	}
	q := s.db.NewDelete().Model((*participant)(nil)).Where("exchange_id = ?", exchangeID)
	if len(institutions) > 0 {
		q = q.Where("institution_id NOT IN (?)", bun.List(institutions))
	}
	if _, err := q.Exec(ctx); err != nil {
		if postgres.Code(err) == postgres.ForeignKeyViolation {
			return ErrParticipantInUse
		}
		return err
	}
	if len(institutions) > 0 {
		rows := make([]participant, len(institutions))
		for i, id := range institutions {
			rows[i] = participant{ExchangeID: exchangeID, InstitutionID: id}
		}
		if _, err := s.db.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return err
		}
	}
	if len(dels) > 0 {
		if _, err := s.db.NewInsert().Model(&dels).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Committee returns the user ids of the exchange's committee.
func (s *Store) Committee(ctx context.Context, exchangeID int64) ([]int64, error) {
	ids := []int64{}
	err := s.db.NewSelect().Model((*member)(nil)).Column("user_id").Where("exchange_id = ?", exchangeID).Order("user_id").Scan(ctx, &ids)
	return ids, err
}

// ReplaceCommittee makes the users the exchange's committee.
func (s *Store) ReplaceCommittee(ctx context.Context, exchangeID int64, userIDs []int64) error {
	if _, err := s.db.NewDelete().Model((*member)(nil)).Where("exchange_id = ?", exchangeID).Exec(ctx); err != nil {
		return err
	}
	if len(userIDs) == 0 {
		return nil
	}
	rows := make([]member, len(userIDs))
	for i, id := range userIDs {
		rows[i] = member{ExchangeID: exchangeID, UserID: id}
	}
	_, err := s.db.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// InsertOffer stores a new offer.
func (s *Store) InsertOffer(ctx context.Context, o *Offer) error {
	_, err := s.db.NewInsert().Model(o).Returning("id, created_at").Exec(ctx)
	return err
}

// Offer returns the offer with id, or ErrNotFound.
func (s *Store) Offer(ctx context.Context, id int64) (*Offer, error) {
	o := new(Offer)
	if err := s.db.NewSelect().Model(o).Where("off.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return o, nil
}

// Offers returns the exchange's offers in the order they were entered.
func (s *Store) Offers(ctx context.Context, exchangeID int64) ([]Offer, error) {
	var list []Offer
	err := s.db.NewSelect().Model(&list).Where("off.exchange_id = ?", exchangeID).Order("off.id").Scan(ctx)
	return list, err
}

// InsertInterest stores an interest; a second one of the institution in
// the offer is ErrAlreadyInterested.
func (s *Store) InsertInterest(ctx context.Context, in *Interest) error {
	_, err := s.db.NewInsert().Model(in).Returning("id, created_at").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation {
		return ErrAlreadyInterested
	}
	return err
}

// Interests returns the exchange's interests by offer and institution.
func (s *Store) Interests(ctx context.Context, exchangeID int64) ([]Interest, error) {
	var list []Interest
	err := s.db.NewSelect().Model(&list).Where("int.exchange_id = ?", exchangeID).Order("int.offer_id", "int.institution_id").Scan(ctx)
	return list, err
}

// Interested reports whether the institution stated interest in the offer.
func (s *Store) Interested(ctx context.Context, offerID, institutionID int64) (bool, error) {
	return s.db.NewSelect().Model((*Interest)(nil)).Where("offer_id = ? AND institution_id = ?", offerID, institutionID).Exists(ctx)
}

// InsertSlot stores a slot; one overlapping another of the exchange is a
// 422 on starts_at.
func (s *Store) InsertSlot(ctx context.Context, sl *Slot) error {
	_, err := s.db.NewInsert().Model(sl).Returning("id").Exec(ctx)
	if postgres.Code(err) == postgres.ExclusionViolation {
		return invalid("starts_at", "overlap")
	}
	return err
}

// Slots returns the exchange's slots in time order.
func (s *Store) Slots(ctx context.Context, exchangeID int64) ([]Slot, error) {
	var list []Slot
	err := s.db.NewSelect().Model(&list).Where("slot.exchange_id = ?", exchangeID).Order("slot.starts_at", "slot.id").Scan(ctx)
	return list, err
}

// Slot returns the exchange's slot with id, or ErrNotFound.
func (s *Store) Slot(ctx context.Context, exchangeID, id int64) (*Slot, error) {
	sl := new(Slot)
	if err := s.db.NewSelect().Model(sl).Where("slot.id = ? AND slot.exchange_id = ?", id, exchangeID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return sl, nil
}

// InsertRoom stores a room; a name the exchange has already is a 422.
func (s *Store) InsertRoom(ctx context.Context, r *Room) error {
	_, err := s.db.NewInsert().Model(r).Returning("id").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation {
		return invalid("name", "taken")
	}
	return err
}

// Rooms returns the exchange's rooms in the order they were added.
func (s *Store) Rooms(ctx context.Context, exchangeID int64) ([]Room, error) {
	var list []Room
	err := s.db.NewSelect().Model(&list).Where("room.exchange_id = ?", exchangeID).Order("room.id").Scan(ctx)
	return list, err
}

// Room returns the exchange's room with id, or ErrNotFound.
func (s *Store) Room(ctx context.Context, exchangeID, id int64) (*Room, error) {
	r := new(Room)
	if err := s.db.NewSelect().Model(r).Where("room.id = ? AND room.exchange_id = ?", id, exchangeID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// served fills the rounds' Institutions: those they serve, presenters
// left out.
func (s *Store) served(ctx context.Context, rounds []Round) error {
	if len(rounds) == 0 {
		return nil
	}
	ids := make([]int64, len(rounds))
	for i, r := range rounds {
		ids[i] = r.ID
	}
	var rows []roundDelegation
	if err := s.db.NewSelect().Model(&rows).Where("rd.round_id IN (?) AND NOT rd.presenting", bun.List(ids)).
		Order("rd.round_id", "rd.institution_id").Scan(ctx); err != nil {
		return err
	}
	for i := range rounds {
		rounds[i].Institutions = []int64{}
	}
	for _, row := range rows {
		i := slices.IndexFunc(rounds, func(r Round) bool { return r.ID == row.RoundID })
		rounds[i].Institutions = append(rounds[i].Institutions, row.InstitutionID)
	}
	return nil
}

// Rounds returns the exchange's rounds in slot then room order, with the
// institutions they serve.
func (s *Store) Rounds(ctx context.Context, exchangeID int64) ([]Round, error) {
	var list []Round
	err := s.db.NewSelect().Model(&list).Join("JOIN exchange_slots AS slot ON slot.id = rnd.slot_id").
		Where("rnd.exchange_id = ?", exchangeID).OrderExpr("slot.starts_at, rnd.room_id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	return list, s.served(ctx, list)
}

// Round returns the round with id and the institutions it serves, or
// ErrNotFound.
func (s *Store) Round(ctx context.Context, id int64) (*Round, error) {
	r := new(Round)
	if err := s.db.NewSelect().Model(r).Where("rnd.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	list := []Round{*r}
	if err := s.served(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// DeleteMovableRounds deletes the exchange's rounds that scheduling
// replaces: those neither locked nor the origin of an action.
func (s *Store) DeleteMovableRounds(ctx context.Context, exchangeID int64) error {
	_, err := s.db.NewDelete().Model((*Round)(nil)).Where("exchange_id = ? AND NOT locked", exchangeID).
		Where("NOT EXISTS (SELECT 1 FROM exchange_actions a WHERE a.round_id = rnd.id)").Exec(ctx)
	return err
}

// InsertRound stores a round with its delegations: the presenter and the
// institutions it serves.
func (s *Store) InsertRound(ctx context.Context, r *Round, presenter int64) error {
	if _, err := s.db.NewInsert().Model(r).Returning("id, created_at").Exec(ctx); err != nil {
		return bookingConflict(err)
	}
	rows := []roundDelegation{{RoundID: r.ID, SlotID: r.SlotID, InstitutionID: presenter, Presenting: true}}
	for _, id := range r.Institutions {
		rows = append(rows, roundDelegation{RoundID: r.ID, SlotID: r.SlotID, InstitutionID: id})
	}
	_, err := s.db.NewInsert().Model(&rows).Exec(ctx)
	return bookingConflict(err)
}

// UpdateRound writes a round's slot, room and lock; the delegations
// follow it to the new slot. A room or delegation booked twice in the
// slot is ErrDoubleBooked.
func (s *Store) UpdateRound(ctx context.Context, r *Round) error {
	_, err := s.db.NewUpdate().Model(r).Column("slot_id", "room_id", "locked").WherePK().Exec(ctx)
	return bookingConflict(err)
}

func bookingConflict(err error) error {
	if postgres.Code(err) == postgres.UniqueViolation {
		switch postgres.Constraint(err) {
		case "exchange_rounds_room_key", "exchange_round_delegations_busy_key":
			return fmt.Errorf("%w (%s)", ErrDoubleBooked, postgres.Constraint(err))
		}
	}
	return err
}

// ReplaceUnserved stores the interests the last scheduling left unserved.
func (s *Store) ReplaceUnserved(ctx context.Context, exchangeID int64, list []Unserved) error {
	if _, err := s.db.NewDelete().Model((*unservedRow)(nil)).Where("exchange_id = ?", exchangeID).Exec(ctx); err != nil {
		return err
	}
	if len(list) == 0 {
		return nil
	}
	rows := make([]unservedRow, len(list))
	for i, u := range list {
		rows[i] = unservedRow{ExchangeID: exchangeID, OfferID: u.OfferID, InstitutionID: u.Institution, Reason: u.Reason}
	}
	_, err := s.db.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// Unserved returns the interests the last scheduling left unserved.
func (s *Store) Unserved(ctx context.Context, exchangeID int64) ([]Unserved, error) {
	var rows []unservedRow
	if err := s.db.NewSelect().Model(&rows).Where("exchange_id = ?", exchangeID).Order("offer_id", "institution_id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Unserved, len(rows))
	for i, r := range rows {
		out[i] = Unserved{OfferID: r.OfferID, Institution: r.InstitutionID, Reason: r.Reason}
	}
	return out, nil
}

// Criteria returns the exchange's rubric in order.
func (s *Store) Criteria(ctx context.Context, exchangeID int64) ([]Criterion, error) {
	var list []Criterion
	err := s.db.NewSelect().Model(&list).Where("crit.exchange_id = ?", exchangeID).Order("crit.position").Scan(ctx)
	return list, err
}

// ReplaceCriteria makes list the exchange's rubric.
func (s *Store) ReplaceCriteria(ctx context.Context, exchangeID int64, list []Criterion) error {
	if _, err := s.db.NewDelete().Model((*Criterion)(nil)).Where("exchange_id = ?", exchangeID).Exec(ctx); err != nil {
		return err
	}
	_, err := s.db.NewInsert().Model(&list).Returning("id").Exec(ctx)
	return err
}

// ReviewCount counts the reviews of the exchange's actions.
func (s *Store) ReviewCount(ctx context.Context, exchangeID int64) (int, error) {
	return s.db.NewSelect().Model((*Review)(nil)).
		Where("rev.action_id IN (SELECT id FROM exchange_actions WHERE exchange_id = ?)", exchangeID).Count(ctx)
}

// InsertAction stores a new action.
func (s *Store) InsertAction(ctx context.Context, a *Action) error {
	_, err := s.db.NewInsert().Model(a).Returning("id, created_at, updated_at").Exec(ctx)
	return err
}

// Action returns the action with id (locked for the transaction when
// lock is set), or ErrNotFound.
func (s *Store) Action(ctx context.Context, id int64, lock bool) (*Action, error) {
	a := new(Action)
	q := s.db.NewSelect().Model(a).Where("act.id = ?", id)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// UpdateAction writes the given columns of a.
func (s *Store) UpdateAction(ctx context.Context, a *Action, columns ...string) error {
	_, err := s.db.NewUpdate().Model(a).Column(columns...).WherePK().Exec(ctx)
	return err
}

// Actions returns the exchange's actions in the order they were proposed.
func (s *Store) Actions(ctx context.Context, exchangeID int64) ([]Action, error) {
	var list []Action
	err := s.db.NewSelect().Model(&list).Where("act.exchange_id = ?", exchangeID).Order("act.id").Scan(ctx)
	return list, err
}

// InsertReview stores a review; a second one of the member is
// ErrAlreadyReviewed.
func (s *Store) InsertReview(ctx context.Context, r *Review) error {
	_, err := s.db.NewInsert().Model(r).Returning("id, created_at").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation {
		return ErrAlreadyReviewed
	}
	return err
}

// Reviews returns the reviews of the exchange's actions.
func (s *Store) Reviews(ctx context.Context, exchangeID int64) ([]Review, error) {
	var list []Review
	err := s.db.NewSelect().Model(&list).
		Where("rev.action_id IN (SELECT id FROM exchange_actions WHERE exchange_id = ?)", exchangeID).
		Order("rev.action_id", "rev.id").Scan(ctx)
	return list, err
}

// InsertMilestone stores a milestone.
func (s *Store) InsertMilestone(ctx context.Context, m *Milestone) error {
	_, err := s.db.NewInsert().Model(m).Returning("id, created_at").Exec(ctx)
	return err
}

// Milestone returns the milestone with id, or ErrNotFound.
func (s *Store) Milestone(ctx context.Context, id int64) (*Milestone, error) {
	m := new(Milestone)
	if err := s.db.NewSelect().Model(m).Where("ms.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return m, nil
}

// UpdateMilestone writes when m was done.
func (s *Store) UpdateMilestone(ctx context.Context, m *Milestone) error {
	_, err := s.db.NewUpdate().Model(m).Column("done_at").WherePK().Exec(ctx)
	return err
}

// Milestones returns an action's milestones, those due first first.
func (s *Store) Milestones(ctx context.Context, actionID int64) ([]Milestone, error) {
	var list []Milestone
	err := s.db.NewSelect().Model(&list).Where("ms.action_id = ?", actionID).OrderExpr("ms.due_on NULLS LAST, ms.id").Scan(ctx)
	return list, err
}

// InsertProgress stores a progress note.
func (s *Store) InsertProgress(ctx context.Context, p *Progress) error {
	_, err := s.db.NewInsert().Model(p).Returning("id").Exec(ctx)
	return err
}

// Progress returns an action's progress notes, oldest first.
func (s *Store) Progress(ctx context.Context, actionID int64) ([]Progress, error) {
	var list []Progress
	err := s.db.NewSelect().Model(&list).Where("prg.action_id = ?", actionID).Order("prg.created_at", "prg.id").Scan(ctx)
	return list, err
}

// InsertOfferFile stores a file of an offer, or, when the offer has a
// file with the same content already, fills f with that one instead.
func (s *Store) InsertOfferFile(ctx context.Context, f *OfferFile) error {
	res, err := s.db.NewInsert().Model(f).On("CONFLICT (offer_id, sha256) DO NOTHING").Returning("id, created_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("insert file of offer %d: %w", f.OfferID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if err := s.db.NewSelect().Model(f).Where("offer_id = ? AND sha256 = ?", f.OfferID, f.SHA256).Scan(ctx); err != nil {
		return fmt.Errorf("file of offer %d with %s: %w", f.OfferID, f.SHA256, err)
	}
	return nil
}

// OfferFiles returns the files of the offers, by offer and then oldest
// first, in one query (the matrix lists every row's files).
func (s *Store) OfferFiles(ctx context.Context, offerIDs []int64) ([]OfferFile, error) {
	var list []OfferFile
	if len(offerIDs) == 0 {
		return list, nil
	}
	err := s.db.NewSelect().Model(&list).Where("ofl.offer_id IN (?)", bun.List(offerIDs)).Order("ofl.offer_id", "ofl.id").Scan(ctx)
	return list, err
}

// OfferFile returns the file with id of the offer, or ErrNotFound.
func (s *Store) OfferFile(ctx context.Context, offerID, id int64) (*OfferFile, error) {
	f := new(OfferFile)
	if err := s.db.NewSelect().Model(f).Where("ofl.id = ? AND ofl.offer_id = ?", id, offerID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// DeleteOfferFile deletes the file with id of the offer, or says
// ErrNotFound.
func (s *Store) DeleteOfferFile(ctx context.Context, offerID, id int64) error {
	res, err := s.db.NewDelete().Model((*OfferFile)(nil)).Where("id = ? AND offer_id = ?", id, offerID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// FilesInUse returns which of sums an offer's file refers to.
func (s *Store) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	return courses.BlobsReferencedBy(ctx, s.db.NewSelect().Model((*OfferFile)(nil)), "sha256", sums)
}

// ExchangeIDByTitle returns the id of the oldest exchange titled title,
// 0 if none.
func (s *Store) ExchangeIDByTitle(ctx context.Context, title string) (int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*Exchange)(nil)).Column("ex.id").Where("ex.title = ?", title).
		OrderExpr("ex.id").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
