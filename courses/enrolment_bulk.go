package courses

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/aula-platform/aula/accounts"
)

// BulkResult says what a bulk enrolment did, or would do on a dry run.
type BulkResult struct {
	DryRun          bool       `json:"dry_run"`
	CreatedUsers    int        `json:"created_users"`
	Enrolled        int        `json:"enrolled"`
	AlreadyEnrolled int        `json:"already_enrolled"`
	NewAccounts     []NewLogin `json:"new_accounts"`
}

// NewLogin is an account created by a bulk enrolment, with the one-time
// token its owner uses to choose a password. No mail server is needed: the
// admin hands the links over (a mailer can later send them from here).
type NewLogin struct {
	UserID        int64  `json:"user_id"`
	Email         string `json:"email"`
	Name          string `json:"name"`
	PasswordToken string `json:"-"`
}

// BulkEnrol enrols every row's learner in a published course, creating
// learner accounts for unknown emails, all in one transaction: a bad row
// (unknown institution, a new user without a name) fails the whole file
// with RowErrors and writes nothing. Rows already enrolled are counted, not
// errors, so running the same file twice is harmless. With dryRun nothing
// is written and the result says what would happen.
//
// The work is a fixed number of queries whatever the file's size: one look
// up of institutions, one of users, one batch insert of users, one of
// password links and one of enrolments.
func (s *Service) BulkEnrol(ctx context.Context, actor Actor, courseID int64, rows []BulkRow, dryRun bool) (*BulkResult, error) {
	result := &BulkResult{DryRun: dryRun, NewAccounts: []NewLogin{}}
	by := actor.UserID
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.enrollable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		store := accounts.NewStore(tx)
		acronyms := make([]string, 0, len(rows))
		emails := make([]string, 0, len(rows))
		for _, r := range rows {
			if r.InstitutionAcronym != "" {
				acronyms = append(acronyms, r.InstitutionAcronym)
			}
			emails = append(emails, r.Email)
		}
		institutions, err := store.InstitutionsByAcronym(ctx, acronyms)
		if err != nil {
			return err
		}
		existing, err := store.UsersByEmail(ctx, emails)
		if err != nil {
			return err
		}

		var bad RowErrors
		userIDs := make([]int64, 0, len(rows))
		var newUsers []accounts.User
		for _, r := range rows {
			var instID *int64
			if r.InstitutionAcronym != "" {
				inst, ok := institutions[strings.ToLower(r.InstitutionAcronym)]
				if !ok {
					bad = append(bad, RowError{Line: r.Line, Key: "bulk.unknown_institution", Args: []any{r.InstitutionAcronym}})
					continue
				}
				instID = &inst.ID
			}
			if u, ok := existing[strings.ToLower(r.Email)]; ok {
				userIDs = append(userIDs, u.ID)
				continue
			}
			if r.Name == "" {
				bad = append(bad, RowError{Line: r.Line, Key: "bulk.name_required", Args: []any{r.Email}})
				continue
			}
			newUsers = append(newUsers, accounts.User{Email: r.Email, Name: r.Name, Role: accounts.RoleLearner,
				InstitutionID: instID, Locale: s.defaultLocale(ctx, tx, courseID)})
		}
		if len(bad) > 0 {
			return bad
		}
		result.CreatedUsers = len(newUsers)

		if dryRun {
			var already int
			if len(userIDs) > 0 {
				n, err := tx.NewSelect().Model((*Enrolment)(nil)).
					Where("course_id = ? AND user_id IN (?) AND status IN (?, ?)", courseID, bun.List(userIDs), EnrolmentActive, EnrolmentCompleted).
					Count(ctx)
				if err != nil {
					return err
				}
				already = n
			}
			result.AlreadyEnrolled = already
			result.Enrolled = len(rows) - already
			for _, u := range newUsers {
				result.NewAccounts = append(result.NewAccounts, NewLogin{Email: u.Email, Name: u.Name})
			}
			return nil
		}

		if len(newUsers) > 0 {
			if _, err := tx.NewInsert().Model(&newUsers).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("insert users: %w", err)
			}
			ids := make([]int64, len(newUsers))
			for i, u := range newUsers {
				ids[i] = u.ID
			}
			tokens, err := accounts.NewService(s.db, s.now).CreatePasswordLinks(ctx, tx, ids)
			if err != nil {
				return err
			}
			for _, u := range newUsers {
				userIDs = append(userIDs, u.ID)
				result.NewAccounts = append(result.NewAccounts, NewLogin{UserID: u.ID, Email: u.Email, Name: u.Name, PasswordToken: tokens[u.ID]})
			}
		}

		// Withdrawn learners come back; active and completed ones are left
		// alone and counted as already enrolled.
		res, err := tx.NewRaw(`INSERT INTO enrolments (course_id, user_id, status, enrolled_by, enrolled_at)
			SELECT ?, u, 'active', ?, ? FROM unnest(?::bigint[]) AS u
			ON CONFLICT (course_id, user_id) DO UPDATE
				SET status = 'active', enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at, withdrawn_at = NULL
				WHERE enrolments.status = 'withdrawn'`,
			courseID, nullableID(by), s.now(), pgdialect.Array(userIDs)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("insert enrolments: %w", err)
		}
		n, _ := res.RowsAffected()
		result.Enrolled = int(n)
		result.AlreadyEnrolled = len(userIDs) - int(n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("courses: bulk enrol in %d: %w", courseID, err)
	}
	return result, nil
}

// defaultLocale is the language new accounts get: the course's.
func (s *Service) defaultLocale(ctx context.Context, db bun.IDB, courseID int64) string {
	var lang string
	if err := db.NewSelect().Model((*Course)(nil)).Column("language").Where("id = ?", courseID).Scan(ctx, &lang); err != nil {
		return "en"
	}
	return lang
}

// EnrolInstitution enrols every enabled learner of an institution (a
// cohort) in a published course and returns how many were newly enrolled.
func (s *Service) EnrolInstitution(ctx context.Context, actor Actor, courseID, institutionID int64) (int, error) {
	var added int
	by := actor.UserID
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.enrollable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		if _, err := accounts.NewStore(tx).Institution(ctx, institutionID); err != nil {
			return err
		}
		res, err := tx.NewRaw(`INSERT INTO enrolments (course_id, user_id, status, enrolled_by, enrolled_at)
			SELECT ?, u.id, 'active', ?, ? FROM users AS u
			WHERE u.institution_id = ? AND u.role = 'learner' AND NOT u.disabled
			ON CONFLICT (course_id, user_id) DO UPDATE
				SET status = 'active', enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at, withdrawn_at = NULL
				WHERE enrolments.status = 'withdrawn'`,
			courseID, nullableID(by), s.now(), institutionID).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		added = int(n)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("courses: enrol institution %d in %d: %w", institutionID, courseID, err)
	}
	return added, nil
}

// enrollable returns the course with id, published, if actor may enrol
// others in it: admins only (mayAdminister).
func (s *Service) enrollable(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Course, error) {
	c, err := NewStore(db).Course(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayAdminister(ctx, db, actor, c); err != nil {
		return nil, err
	}
	if c.Status != StatusPublished {
		return nil, fmt.Errorf("courses: enrol in %d: %w", id, ErrNotPublished)
	}
	return c, nil
}

// nullableID turns the zero id (nobody, e.g. a command-line import) into NULL.
func nullableID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
