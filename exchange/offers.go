package exchange

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// OfferParams are the fields of a new offer.
type OfferParams struct {
	InstitutionID    int64
	Title            string
	Summary          string
	Themes           []string
	TargetPopulation string
	Results          string
	Contact          string
}

// text is a field's value and the most characters it may have.
type text struct {
	name, value string
	max         int
}

// checkText reports the first of fields that is longer than its limit.
func checkText(fields ...text) error {
	for _, f := range fields {
		if utf8.RuneCountInString(f.value) > f.max {
			return &InvalidError{Field: f.name, Reason: "too_long", Param: f.max}
		}
	}
	return nil
}

// CreateOffer records a programme or project a participating institution
// can share; its delegates (and admins) enter it.
func (s *Service) CreateOffer(ctx context.Context, actor Actor, exchangeID int64, p OfferParams) (*Offer, error) {
	var o *Offer
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		acc, err := s.viewing(ctx, tx, actor, exchangeID, false)
		if err != nil {
			return err
		}
		if err := s.mayActFor(ctx, tx, acc, p.InstitutionID); err != nil {
			return err
		}
		if o, err = s.newOffer(ctx, actor, exchangeID, p); err != nil {
			return err
		}
		return NewStore(tx).InsertOffer(ctx, o)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: offer in %d: %w", exchangeID, err)
	}
	return o, nil
}

// newOffer checks p's fields, once the actor may enter it (outsiders
// learn nothing from a 422), and returns the offer to store.
func (s *Service) newOffer(ctx context.Context, actor Actor, exchangeID int64, p OfferParams) (*Offer, error) {
	p.Title, p.Summary = strings.TrimSpace(p.Title), strings.TrimSpace(p.Summary)
	p.TargetPopulation, p.Results, p.Contact = strings.TrimSpace(p.TargetPopulation), strings.TrimSpace(p.Results), strings.TrimSpace(p.Contact)
	if p.Title == "" {
		return nil, invalid("title", "required")
	}
	if err := checkText(text{"title", p.Title, MaxTitleLen}, text{"summary", p.Summary, MaxTextLen},
		text{"target_population", p.TargetPopulation, maxPartLength}, text{"results", p.Results, MaxTextLen},
		text{"contact", p.Contact, 300}); err != nil {
		return nil, err
	}
	themes, err := s.checkThemes(ctx, p.Themes)
	if err != nil {
		return nil, err
	}
	return &Offer{ExchangeID: exchangeID, InstitutionID: p.InstitutionID, Title: p.Title, Summary: p.Summary, Themes: themes,
		TargetPopulation: p.TargetPopulation, Results: p.Results, Contact: p.Contact, CreatedBy: &actor.UserID}, nil
}

// mayActFor checks that institution takes part in the exchange (422
// naming institution_id) and that the actor may act for it (403).
func (s *Service) mayActFor(ctx context.Context, db bun.IDB, acc *Access, institution int64) error {
	ok, err := NewStore(db).IsParticipant(ctx, acc.Exchange.ID, institution)
	if err != nil {
		return err
	}
	if !ok {
		return invalid("institution_id", "not_participant")
	}
	if !acc.Delegates(institution) {
		return ErrForbidden
	}
	return nil
}

// checkThemes keeps the themes once each, and refuses any the vocabulary
// does not have.
func (s *Service) checkThemes(ctx context.Context, themes []string) ([]string, error) {
	known, err := s.themes.Themes(ctx)
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	ids := make([]string, len(known))
	for i, t := range known {
		ids[i] = t.ID
	}
	out := []string{}
	for _, t := range themes {
		t = strings.TrimSpace(t)
		if !slices.Contains(ids, t) {
			return nil, invalid("themes", "unknown_theme")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxThemes {
		return nil, &InvalidError{Field: "themes", Reason: "too_many", Param: MaxThemes}
	}
	return out, nil
}

// Offers lists the exchange's offers in the order they were entered.
func (s *Service) Offers(ctx context.Context, actor Actor, exchangeID int64) ([]Offer, error) {
	if _, err := s.Access(ctx, actor, exchangeID); err != nil {
		return nil, err
	}
	return NewStore(s.db).Offers(ctx, exchangeID)
}

// OfferDetail is an offer as its page shows it.
type OfferDetail struct {
	Offer       *Offer
	Exchange    *Exchange
	Institution accounts.Institution
	Files       []OfferFile
	// Manage: the reader may attach and delete files (a delegate of the
	// offering institution, or an admin).
	Manage bool
}

// Offer returns an offer with its institution and files, for those who
// see its exchange.
func (s *Service) Offer(ctx context.Context, actor Actor, offerID int64) (*OfferDetail, error) {
	o, acc, err := s.offerFor(ctx, s.db, actor, offerID)
	if err != nil {
		return nil, fmt.Errorf("exchange: offer %d: %w", offerID, err)
	}
	insts, err := institutions(ctx, s.db, []int64{o.InstitutionID})
	if err != nil {
		return nil, fmt.Errorf("exchange: offer %d: %w", offerID, err)
	}
	files, err := NewStore(s.db).OfferFiles(ctx, []int64{o.ID})
	if err != nil {
		return nil, fmt.Errorf("exchange: offer %d: %w", offerID, err)
	}
	return &OfferDetail{Offer: o, Exchange: acc.Exchange, Institution: insts[o.InstitutionID], Files: files,
		Manage: acc.Delegates(o.InstitutionID)}, nil
}

// InterestParams are the fields of an interest in an offer.
type InterestParams struct {
	InstitutionID int64
	Priority      int
	Note          string
}

// StateInterest records institution's interest in an offer; a delegate of
// another participating institution states it, never one of the
// offering institution (422), and only once (ErrAlreadyInterested).
func (s *Service) StateInterest(ctx context.Context, actor Actor, offerID int64, p InterestParams) (*Interest, error) {
	p.Note = strings.TrimSpace(p.Note)
	var in *Interest
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		o, err := st.Offer(ctx, offerID)
		if err != nil {
			return err
		}
		acc, err := s.viewing(ctx, tx, actor, o.ExchangeID, false)
		if err != nil {
			return err
		}
		if p.InstitutionID == o.InstitutionID {
			return invalid("institution_id", "own_offer")
		}
		if err := s.mayActFor(ctx, tx, acc, p.InstitutionID); err != nil {
			return err
		}
		if p.Priority < 1 || p.Priority > 3 {
			return &InvalidError{Field: "priority", Reason: "priority", Param: 3}
		}
		if err := checkText(text{"note", p.Note, MaxNoteLen}); err != nil {
			return err
		}
		in = &Interest{ExchangeID: o.ExchangeID, OfferID: o.ID, InstitutionID: p.InstitutionID, Priority: p.Priority,
			Note: p.Note, CreatedBy: &actor.UserID}
		return st.InsertInterest(ctx, in)
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: interest in offer %d: %w", offerID, err)
	}
	return in, nil
}

// MatrixFilter narrows the matrix to the offers of one theme and of one
// country's institutions ("" for all).
type MatrixFilter struct {
	Theme   string
	Country string
}

// Matrix is the supply–demand matrix: offers (rows) × interested
// institutions (columns), with the counts per row and column and the
// interest by theme.
type Matrix struct {
	Exchange     *Exchange
	Offers       []MatrixOffer
	Institutions []MatrixInstitution
	Cells        []Cell
	ByTheme      []ThemeCount
	// Themes is the vocabulary, labelled, for the filter and the labels
	// of the offers' themes.
	Themes []Theme
	// Countries are the participants' countries, for the filter.
	Countries []string
}

// MatrixOffer is a row of the matrix.
type MatrixOffer struct {
	Offer       Offer
	Institution accounts.Institution
	Interests   int
	// Files are the offer's attachments, oldest first.
	Files []OfferFile
}

// MatrixInstitution is a column of the matrix: a participant, with the
// number of interests it stated in the offers shown.
type MatrixInstitution struct {
	Institution accounts.Institution
	Interests   int
}

// Cell is one interest: an institution in an offer, with its priority.
type Cell struct {
	OfferID       int64
	InstitutionID int64
	Priority      int
}

// ThemeCount is how many offers name a theme and how many interests those
// offers drew.
type ThemeCount struct {
	Theme     Theme
	Offers    int
	Interests int
}

// Matrix returns the exchange's supply–demand matrix, for its delegates,
// committee and admins.
func (s *Service) Matrix(ctx context.Context, actor Actor, exchangeID int64, f MatrixFilter) (*Matrix, error) {
	acc, err := s.Access(ctx, actor, exchangeID)
	if err != nil {
		return nil, err
	}
	st := NewStore(s.db)
	offers, err := st.Offers(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: matrix %d: %w", exchangeID, err)
	}
	interests, err := st.Interests(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: matrix %d: %w", exchangeID, err)
	}
	instIDs, err := st.Participants(ctx, exchangeID)
	if err != nil {
		return nil, fmt.Errorf("exchange: matrix %d: %w", exchangeID, err)
	}
	insts, err := institutions(ctx, s.db, instIDs)
	if err != nil {
		return nil, err
	}
	themes, err := s.Themes(ctx)
	if err != nil {
		return nil, err
	}
	m := &Matrix{Exchange: acc.Exchange, Themes: themes}
	countries := map[string]bool{}
	for _, inst := range insts {
		if inst.Country != "" && !countries[inst.Country] {
			countries[inst.Country] = true
			m.Countries = append(m.Countries, inst.Country)
		}
	}
	slices.Sort(m.Countries)
	shown := map[int64]int{} // offer id → row
	for _, o := range offers {
		inst := insts[o.InstitutionID]
		if (f.Theme != "" && !slices.Contains(o.Themes, f.Theme)) || (f.Country != "" && inst.Country != f.Country) {
			continue
		}
		shown[o.ID] = len(m.Offers)
		m.Offers = append(m.Offers, MatrixOffer{Offer: o, Institution: inst})
	}
	ids := make([]int64, len(m.Offers))
	for i, row := range m.Offers {
		ids[i] = row.Offer.ID
	}
	files, err := st.OfferFiles(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("exchange: matrix %d: %w", exchangeID, err)
	}
	for _, f := range files {
		row := &m.Offers[shown[f.OfferID]]
		row.Files = append(row.Files, f)
	}
	cols := map[int64]int{}
	for _, iid := range instIDs {
		cols[iid] = 0
	}
	for _, in := range interests {
		row, ok := shown[in.OfferID]
		if !ok {
			continue
		}
		m.Cells = append(m.Cells, Cell{OfferID: in.OfferID, InstitutionID: in.InstitutionID, Priority: in.Priority})
		m.Offers[row].Interests++
		cols[in.InstitutionID]++
	}
	for _, iid := range instIDs {
		m.Institutions = append(m.Institutions, MatrixInstitution{Institution: insts[iid], Interests: cols[iid]})
	}
	slices.SortFunc(m.Institutions, func(a, b MatrixInstitution) int {
		return cmp.Or(strings.Compare(a.Institution.Country, b.Institution.Country), strings.Compare(a.Institution.Name, b.Institution.Name))
	})
	for _, t := range themes {
		tc := ThemeCount{Theme: t}
		for _, row := range m.Offers {
			if slices.Contains(row.Offer.Themes, t.ID) {
				tc.Offers++
				tc.Interests += row.Interests
			}
		}
		m.ByTheme = append(m.ByTheme, tc)
	}
	return m, nil
}
