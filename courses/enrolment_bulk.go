package courses

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/postgres"
)

// BulkResult says what a bulk enrolment did, or would do on a dry run.
type BulkResult struct {
	DryRun bool `json:"dry_run"`
	// ImportID is the stored report of the import (0 on a dry run).
	ImportID        int64      `json:"import_id,omitempty"`
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

// BulkImport is a CSV file to enrol in a course.
type BulkImport struct {
	// File is the CSV file, in ParseBulkCSV's format.
	File io.Reader
	// FileName is the name the file was uploaded under ("" for an API body).
	FileName string
	// DryRun checks the file and says what would happen, writing nothing.
	DryRun bool
}

// maxImportTries bounds how often an import is tried again after losing a
// deadlock or serialisation race to another writer.
const maxImportTries = 3

// BulkEnrol enrols every learner of a CSV file in a published course,
// creating learner accounts for unknown emails, all in one transaction.
// Admins import anyone; a coordinator imports their own institution's
// staff only: a line naming another institution makes the whole file
// ErrForbidden, a line without one gives a new account the coordinator's
// institution, and an existing person of another institution is a bad
// line. Every bad line is reported at once
// as RowErrors, those the file shows (an email that is not one, a
// duplicate, an unknown locale or a role other than learner) together with
// those only the database shows (an unknown institution, a new person
// without a name), and then nothing is written. Rows already enrolled are
// counted, not errors, so running the same file twice is harmless.
//
// A new account speaks the file's locale for it or, without one, its
// institution's country's language (accounts.LocaleForCountry), or the
// course's when it has no institution. Imports running at the same time
// with the same people both succeed: an account another import (or an
// admin) created meanwhile is used as it is, and the import is tried again
// when PostgreSQL picks it as a deadlock's victim.
//
// An import that writes is kept as a report (Imports, ImportReport) in
// the same transaction, with the new accounts' password links.
//
// The work is a fixed number of queries whatever the file's size.
func (s *Service) BulkEnrol(ctx context.Context, actor Actor, courseID int64, in BulkImport) (*BulkResult, error) {
	file, err := ParseBulkCSV(in.File)
	if err != nil {
		return nil, fmt.Errorf("courses: bulk enrol in %d: %w", courseID, err)
	}
	var result *BulkResult
	for try := 1; ; try++ {
		result = &BulkResult{DryRun: in.DryRun, NewAccounts: []NewLogin{}}
		err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return s.bulkEnrol(ctx, tx, actor, courseID, file, in.FileName, result)
		})
		if err == nil || !postgres.Retryable(err) || try == maxImportTries {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("courses: bulk enrol in %d: %w", courseID, err)
	}
	return result, nil
}

// bulkEnrol is one try of BulkEnrol, in tx.
func (s *Service) bulkEnrol(ctx context.Context, tx bun.Tx, actor Actor, courseID int64, file *BulkFile, fileName string, result *BulkResult) error {
	c, err := s.enrollable(ctx, tx, actor, courseID)
	if err != nil {
		return err
	}
	acronyms := make([]string, 0, len(file.Rows))
	emails := make([]string, 0, len(file.Rows))
	for _, r := range file.Rows {
		if r.InstitutionAcronym != "" {
			acronyms = append(acronyms, r.InstitutionAcronym)
		}
		if r.validEmail {
			emails = append(emails, r.Email)
		}
	}
	institutions, err := accounts.InstitutionsByAcronym(ctx, tx, acronyms)
	if err != nil {
		return err
	}
	existing, err := accounts.UsersByEmail(ctx, tx, emails)
	if err != nil {
		return err
	}

	// A coordinator's new accounts belong to their institution.
	var own *accounts.Institution
	if actor.IsCoordinator() {
		inst, err := accounts.NewStore(tx).Institution(ctx, actor.InstitutionID)
		if err != nil {
			return err
		}
		own = inst
	}
	bad := append(RowErrors(nil), file.Errors...)
	userIDs := make([]int64, 0, len(file.Rows))
	var people []accounts.NewLearner
	for _, r := range file.Rows {
		inst := own
		if r.InstitutionAcronym != "" {
			found, ok := institutions[strings.ToLower(r.InstitutionAcronym)]
			switch {
			case !ok:
				bad = append(bad, RowError{Line: r.Line, Key: "bulk.unknown_institution", Args: []any{r.InstitutionAcronym}})
			case !actor.Oversees(&found.ID):
				return fmt.Errorf("line %d names institution %s: %w", r.Line, found.Acronym, ErrForbidden)
			default:
				inst = &found
			}
		}
		if !r.validEmail {
			continue
		}
		if u, ok := existing[strings.ToLower(r.Email)]; ok {
			if !actor.Oversees(u.InstitutionID) {
				bad = append(bad, RowError{Line: r.Line, Key: "bulk.not_your_staff", Args: []any{r.Email}})
				continue
			}
			userIDs = append(userIDs, u.ID)
			continue
		}
		if r.Name == "" {
			bad = append(bad, RowError{Line: r.Line, Key: "bulk.name_required", Args: []any{r.Email}})
			continue
		}
		p := accounts.NewLearner{Email: r.Email, Name: r.Name, Locale: r.Locale}
		if inst != nil {
			p.InstitutionID = &inst.ID
			if p.Locale == "" {
				p.Locale = accounts.LocaleForCountry(inst.Country)
			}
		}
		if p.Locale == "" {
			p.Locale = c.Language
		}
		people = append(people, p)
	}
	if len(bad) > 0 {
		return bad.sorted()
	}
	store := NewStore(tx)

	if result.DryRun {
		already, err := store.CountEnrolled(ctx, courseID, userIDs)
		if err != nil {
			return err
		}
		result.CreatedUsers = len(people)
		result.AlreadyEnrolled = already
		result.Enrolled = len(userIDs) + len(people) - already
		for _, p := range people {
			result.NewAccounts = append(result.NewAccounts, NewLogin{Email: p.Email, Name: p.Name})
		}
		return nil
	}

	created, err := accounts.CreateLearners(ctx, tx, people)
	if err != nil {
		return err
	}
	if len(created) < len(people) {
		// Someone else created some of these accounts since they were
		// looked up: enrol those as the existing accounts they now are.
		mine := make(map[string]bool, len(created))
		for _, u := range created {
			mine[strings.ToLower(u.Email)] = true
		}
		var theirs []string
		for _, p := range people {
			if !mine[strings.ToLower(p.Email)] {
				theirs = append(theirs, p.Email)
			}
		}
		found, err := accounts.UsersByEmail(ctx, tx, theirs)
		if err != nil {
			return err
		}
		for _, u := range found {
			userIDs = append(userIDs, u.ID)
		}
	}
	if len(created) > 0 {
		ids := make([]int64, len(created))
		for i, u := range created {
			ids[i] = u.ID
		}
		tokens, err := accounts.NewService(s.db, s.now).CreatePasswordLinks(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, u := range created {
			userIDs = append(userIDs, u.ID)
			result.NewAccounts = append(result.NewAccounts, NewLogin{UserID: u.ID, Email: u.Email, Name: u.Name, PasswordToken: tokens[u.ID]})
		}
		if err := s.accountsCreated(ctx, tx, result.NewAccounts); err != nil {
			return err
		}
	}
	result.CreatedUsers = len(created)
	added, err := store.EnrolUsers(ctx, courseID, userIDs, nullableID(actor.UserID), s.now())
	if err != nil {
		return err
	}
	if err := s.enrolled(ctx, tx, courseID, added, actor.UserID); err != nil {
		return err
	}
	n := len(added)
	result.Enrolled = n
	result.AlreadyEnrolled = len(userIDs) - n
	return s.recordImport(ctx, tx, actor, courseID, fileName, len(file.Rows), result)
}

// EnrolInstitution enrols every enabled learner of an institution (a
// cohort) in a published course and returns how many were newly enrolled.
// Admins enrol any institution, coordinators their own (another is
// ErrForbidden); an unknown institution is accounts.ErrNotFound.
func (s *Service) EnrolInstitution(ctx context.Context, actor Actor, courseID, institutionID int64) (int, error) {
	var added int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.enrollable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		if !actor.Oversees(&institutionID) {
			return ErrForbidden
		}
		ids, err := accounts.LearnerIDs(ctx, tx, institutionID)
		if err != nil {
			return err
		}
		ids, err = NewStore(tx).EnrolUsers(ctx, courseID, ids, nullableID(actor.UserID), s.now())
		if err != nil {
			return err
		}
		added = len(ids)
		return s.enrolled(ctx, tx, courseID, ids, actor.UserID)
	})
	if err != nil {
		return 0, fmt.Errorf("courses: enrol institution %d in %d: %w", institutionID, courseID, err)
	}
	return added, nil
}

// enrollable returns the course with id, published, if actor may enrol
// others in it: admins and coordinators (mayEnrolOthers).
func (s *Service) enrollable(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Course, error) {
	c, err := NewStore(db).Course(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayEnrolOthers(ctx, db, actor, c); err != nil {
		return nil, err
	}
	if c.Status != StatusPublished {
		return nil, fmt.Errorf("enrol in %d: %w", id, ErrNotPublished)
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
