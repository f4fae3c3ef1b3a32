package accounts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/locales"
)

// This file holds what other domains need of accounts to enrol people in
// bulk (courses' CSV imports and cohorts), so that they never read or
// write the users table themselves. The functions take the caller's
// transaction: the accounts they create are part of the caller's import.

// UserByEmail returns the user with email, compared without case, for
// enrolling a known person by hand.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return NewStore(s.db).UserByEmail(ctx, strings.TrimSpace(email))
}

// NewLearner is an account a bulk enrolment asks for.
type NewLearner struct {
	Email         string
	Name          string
	InstitutionID *int64
	Locale        string
}

// CreateLearners creates learner accounts, without passwords, for the given
// people in db, and returns the users it created. A person whose email an
// account already has (whatever its case), because another import or an
// admin created it meanwhile, is skipped, not an error: the caller reads
// it back with UsersByEmail and treats it as existing. Concurrent callers
// wait for each other's rows instead of failing on the unique email, and
// rows are written in email order, so two imports sharing emails cannot
// deadlock. An institution deleted meanwhile is ErrUnknownInstitution.
func CreateLearners(ctx context.Context, db bun.IDB, people []NewLearner) ([]User, error) {
	if len(people) == 0 {
		return nil, nil
	}
	users := make([]User, len(people))
	for i, p := range people {
		if !ValidEmail(strings.TrimSpace(p.Email)) {
			return nil, fmt.Errorf("accounts: create learner %q: %w", p.Email, ErrInvalidEmail)
		}
		users[i] = User{Email: strings.TrimSpace(p.Email), Name: strings.TrimSpace(p.Name), Role: RoleLearner,
			InstitutionID: p.InstitutionID, Locale: p.Locale}
		if users[i].Locale == "" {
			users[i].Locale = locales.Fallback
		}
	}
	slices.SortFunc(users, func(a, b User) int { return strings.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email)) })
	var created []User
	err := db.NewInsert().Model(&users).
		On("CONFLICT ((lower(email))) DO NOTHING").
		Returning("*").Scan(ctx, &created)
	if err != nil {
		return nil, fmt.Errorf("accounts: create %d learners: %w", len(users), userConflict(err))
	}
	return created, nil
}

// UsersByEmail returns the users of db with the given emails, keyed by
// lower-cased email (inside the caller's transaction).
func UsersByEmail(ctx context.Context, db bun.IDB, emails []string) (map[string]User, error) {
	return NewStore(db).UsersByEmail(ctx, emails)
}

// InstitutionsByAcronym returns the institutions of db with the given
// acronyms, keyed by lower-cased acronym.
func InstitutionsByAcronym(ctx context.Context, db bun.IDB, acronyms []string) (map[string]Institution, error) {
	return NewStore(db).InstitutionsByAcronym(ctx, acronyms)
}

// LearnerIDs returns the ids of the enabled learners of an institution (a
// cohort), in id order; an unknown institution is ErrNotFound.
func LearnerIDs(ctx context.Context, db bun.IDB, institutionID int64) ([]int64, error) {
	if _, err := NewStore(db).Institution(ctx, institutionID); err != nil {
		return nil, err
	}
	var ids []int64
	err := db.NewSelect().Model((*User)(nil)).Column("id").
		Where("institution_id = ? AND role = ? AND NOT disabled", institutionID, RoleLearner).
		OrderExpr("id").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("accounts: learners of institution %d: %w", institutionID, err)
	}
	return ids, nil
}

// UnusedPasswordLinks reports which of the given one-time tokens can still
// be used (not used, not expired) at now, in one query.
func UnusedPasswordLinks(ctx context.Context, db bun.IDB, tokens []string, now time.Time) (map[string]bool, error) {
	out := make(map[string]bool, len(tokens))
	if len(tokens) == 0 {
		return out, nil
	}
	byHash := make(map[string]string, len(tokens))
	hashes := make([][]byte, len(tokens))
	for i, t := range tokens {
		hashes[i] = HashSecret(t)
		byHash[string(hashes[i])] = t
	}
	var valid [][]byte
	err := db.NewSelect().Model((*PasswordLink)(nil)).Column("token_hash").
		Where("token_hash IN (?) AND used_at IS NULL AND expires_at > ?", bun.List(hashes), now).Scan(ctx, &valid)
	if err != nil {
		return nil, fmt.Errorf("accounts: unused password links: %w", err)
	}
	for _, h := range valid {
		out[byHash[string(h)]] = true
	}
	return out, nil
}

// LocaleForCountry is the language Aula speaks by default to people of an
// institution in country (ISO 3166-1 alpha-2): Portuguese for the
// Portuguese-speaking countries, Spanish for Spain and Spanish-speaking
// America (and Equatorial Guinea), English otherwise.
func LocaleForCountry(country string) string {
	switch strings.ToUpper(strings.TrimSpace(country)) {
	case "BR":
		return "pt-BR"
	case "PT", "AO", "MZ", "CV", "GW", "ST", "TL", "MO":
		return "pt-PT"
	case "ES", "AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GT", "HN", "MX", "NI", "PA", "PY", "PE", "PR", "UY", "VE", "GQ":
		return "es"
	}
	return locales.Fallback
}

// KnownLocale returns the interface locale Aula speaks that s names
// ("pt-BR", "PT-pt", the older "pt", "es-AR" → "es", "pt-AO" → "pt-PT"),
// and false when it speaks none of it.
func KnownLocale(s string) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if l := locales.Canonical(strings.ToLower(s)); l != "" {
		return l, true
	}
	if l := locales.Match(s); l != "" {
		return l, true
	}
	return "", false
}
