package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Import is the stored report of one CSV import into a course: who ran
// it, when, and what it did. It is written in the import's transaction, so
// an import that happened has its report, even when the answer never
// reached the admin (a dropped connection, a closed tab).
type Import struct {
	bun.BaseModel `bun:"table:enrolment_imports,alias:ei"`

	ID              int64     `bun:"id,pk,autoincrement" json:"id"`
	CourseID        int64     `bun:"course_id" json:"course_id"`
	ImportedBy      *int64    `bun:"imported_by" json:"imported_by"`
	ImportedByName  string    `bun:"imported_by_name" json:"imported_by_name"`
	ImportedAt      time.Time `bun:"imported_at" json:"imported_at"`
	FileName        string    `bun:"file_name" json:"file_name"`
	Rows            int       `bun:"row_count" json:"rows"`
	CreatedUsers    int       `bun:"created_users" json:"created_users"`
	Enrolled        int       `bun:"enrolled" json:"enrolled"`
	AlreadyEnrolled int       `bun:"already_enrolled" json:"already_enrolled"`
}

// ImportAccount is an account an import created, with its password link
// while the link can still be used.
type ImportAccount struct {
	bun.BaseModel `bun:"table:enrolment_import_accounts,alias:eia"`

	ImportID int64  `bun:"import_id,pk" json:"-"`
	UserID   int64  `bun:"user_id,pk" json:"user_id"`
	Email    string `bun:"email" json:"email"`
	Name     string `bun:"name" json:"name"`
	// PasswordToken is nil once the link was used or has expired.
	PasswordToken  *string    `bun:"password_token" json:"-"`
	TokenExpiresAt *time.Time `bun:"token_expires_at" json:"-"`
}

// ImportReport is an import with the accounts it created.
type ImportReport struct {
	Import
	Course   *Course
	Accounts []ImportAccount
}

// ImportList is a page of a course's imports.
type ImportList struct {
	Course *Course
	Items  []Import
	// Total is how many imports the course has.
	Total int
}

// maxFileNameLen bounds the file name kept in a report.
const maxFileNameLen = 255

// recordImport stores the report of a finished import in its transaction
// and fills result.ImportID. Expired links of older reports are dropped on
// the way: a stored token is worth keeping only while it opens something.
func (s *Service) recordImport(ctx context.Context, tx bun.IDB, actor Actor, courseID int64, fileName string, rows int, result *BulkResult) error {
	now := s.now()
	imp := &Import{CourseID: courseID, ImportedBy: nullableID(actor.UserID), ImportedAt: now, FileName: cutRunes(fileName, maxFileNameLen),
		Rows: rows, CreatedUsers: result.CreatedUsers, Enrolled: result.Enrolled, AlreadyEnrolled: result.AlreadyEnrolled}
	if actor.SignedIn() {
		u, err := accounts.NewStore(tx).User(ctx, actor.UserID)
		if err != nil {
			return err
		}
		imp.ImportedByName = u.Name
	}
	expires := now.Add(accounts.PasswordLinkLifetime)
	list := make([]ImportAccount, len(result.NewAccounts))
	for i, a := range result.NewAccounts {
		token := a.PasswordToken
		list[i] = ImportAccount{UserID: a.UserID, Email: a.Email, Name: a.Name, PasswordToken: &token, TokenExpiresAt: &expires}
	}
	store := NewStore(tx)
	if err := store.InsertImport(ctx, imp, list); err != nil {
		return err
	}
	if err := store.ForgetExpiredImportTokens(ctx, now); err != nil {
		return err
	}
	result.ImportID = imp.ID
	return nil
}

// Imports returns a page of a course's import reports, newest first, and
// how many there are. They list password links: admins see every import,
// coordinators their own.
func (s *Service) Imports(ctx context.Context, actor Actor, courseID int64, limit, offset int) (*ImportList, error) {
	store := NewStore(s.db)
	c, err := store.Course(ctx, courseID)
	if err != nil {
		return nil, err
	}
	if err := s.mayEnrolOthers(ctx, s.db, actor, c); err != nil {
		return nil, err
	}
	items, total, err := store.Imports(ctx, courseID, importsBy(actor), limit, offset)
	if err != nil {
		return nil, err
	}
	return &ImportList{Course: c, Items: items, Total: total}, nil
}

// ImportReport returns one import of a course with the accounts it created.
// A password link is given while it can still be used; once its owner has
// chosen a password, or it expired, the stored token is forgotten and the
// account is listed without one (an admin makes a new link from the
// user's page). Admins see every import, coordinators their own (another's
// is ErrNotFound).
func (s *Service) ImportReport(ctx context.Context, actor Actor, courseID, importID int64) (*ImportReport, error) {
	var report *ImportReport
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		c, err := store.Course(ctx, courseID)
		if err != nil {
			return err
		}
		if err := s.mayEnrolOthers(ctx, tx, actor, c); err != nil {
			return err
		}
		if report, err = store.ImportReport(ctx, courseID, importID, importsBy(actor)); err != nil {
			return err
		}
		report.Course = c
		var tokens []string
		for _, a := range report.Accounts {
			if a.PasswordToken != nil {
				tokens = append(tokens, *a.PasswordToken)
			}
		}
		usable, err := accounts.UnusedPasswordLinks(ctx, tx, tokens, s.now())
		if err != nil {
			return err
		}
		var spent []int64
		for i, a := range report.Accounts {
			if a.PasswordToken != nil && !usable[*a.PasswordToken] {
				report.Accounts[i].PasswordToken, report.Accounts[i].TokenExpiresAt = nil, nil
				spent = append(spent, a.UserID)
			}
		}
		return store.ForgetImportTokens(ctx, importID, spent)
	})
	if err != nil {
		return nil, fmt.Errorf("courses: import %d of %d: %w", importID, courseID, err)
	}
	return report, nil
}

// cutRunes shortens s to at most n runes.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// importsBy is whose import reports actor may open (0: everyone's): a
// coordinator only their own, since a report lists the new accounts'
// password links.
func importsBy(actor Actor) int64 {
	if actor.IsAdmin() {
		return 0
	}
	return actor.UserID
}
