package library

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// What the exchange of experiences hands the library: a completed
// cooperation action's final report, which becomes a country experience.

// Experience is a completed cooperation action's report as the exchange
// sends it.
type Experience struct {
	// Origin names the action ("exchange-action:12"): one origin is one
	// item, however often it is sent.
	Origin   string
	Title    string
	Abstract string
	// Language is the ISO 639-1 code the report is written in.
	Language string
	// Countries are those of the two institutions (ISO 3166-1 alpha-2);
	// codes the library cannot place are left out.
	Countries []string
	// Themes are slugs of the vocabulary (those of the offer).
	Themes []string
	// Institutions are credited as the item's authors, the first one
	// (the offering institution) also as its institution.
	Institutions []Credit
	Year         int
}

// Credit is an institution an experience is credited to.
type Credit struct {
	ID   int64
	Name string
}

// ExperienceFromExchange catalogues e as a country experience inside tx,
// the exchange's publishing transaction, and returns the item. It is a
// draft: a librarian reviews and publishes it (the report was written in
// a follow-up form, not catalogued: no licence, translations or date),
// as with members' submissions. Sending the same Origin again returns the
// item made the first time. A field the library refuses is a
// *FieldError ("language", "title"), and nothing is written.
func (s *Service) ExperienceFromExchange(ctx context.Context, tx bun.IDB, e Experience) (*Item, error) {
	store := NewStore(tx)
	id, err := store.ItemIDByOrigin(ctx, e.Origin)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		return store.Item(ctx, id)
	}
	themes, err := store.Themes(ctx)
	if err != nil {
		return nil, err
	}
	p := ItemParams{Type: TypeExperience, Title: e.Title, Abstract: shorten(e.Abstract, maxAbstract),
		Language: e.Language, Year: e.Year, Countries: []string{}, Themes: []int64{}, Authors: []string{}}
	for _, c := range e.Countries {
		if c = strings.ToUpper(strings.TrimSpace(c)); ValidCountry(c) {
			p.Countries = append(p.Countries, c)
		}
	}
	for _, slug := range e.Themes {
		if i := slices.IndexFunc(themes, func(t Theme) bool { return t.Slug == slug }); i >= 0 {
			p.Themes = append(p.Themes, themes[i].ID)
		} else {
			return nil, fieldError("themes", ErrUnknownTheme)
		}
	}
	for i, c := range e.Institutions {
		if i == 0 {
			p.InstitutionID = &c.ID
		}
		p.Authors = append(p.Authors, c.Name)
	}
	origin := e.Origin
	it, err := s.writeItem(ctx, tx, &Item{Status: StatusDraft, Origin: &origin}, p, true)
	if err != nil {
		return nil, fmt.Errorf("library: experience from %s: %w", e.Origin, err)
	}
	return it, nil
}

// shorten cuts text to at most max characters, at a space when one is
// near, marking the cut with an ellipsis.
func shorten(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	r := []rune(text)[:max-1]
	if i := strings.LastIndexFunc(string(r), func(c rune) bool { return c == ' ' || c == '\n' }); i > len(string(r))-200 && i > 0 {
		return strings.TrimSpace(string(r)[:i]) + "…"
	}
	return string(r) + "…"
}
