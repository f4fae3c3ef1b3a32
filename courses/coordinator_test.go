package courses_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// staffOf creates a learner of an institution.
func staffOf(t *testing.T, inst *accounts.Institution, name string) *accounts.User {
	t.Helper()
	u := &accounts.User{Email: fmt.Sprintf("staff%d@example.org", enrolSeq.Add(1)), Name: name, Role: accounts.RoleLearner,
		Locale: "es", InstitutionID: &inst.ID}
	if err := accounts.NewStore(enrolDB(t)).InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// coordinatorOf creates the coordinator of an institution.
func coordinatorOf(t *testing.T, inst *accounts.Institution) courses.Actor {
	t.Helper()
	u := &accounts.User{Email: fmt.Sprintf("coord%d@example.org", enrolSeq.Add(1)), Name: "Coordinadora Peña", Role: accounts.RoleCoordinator,
		Locale: "es", InstitutionID: &inst.ID}
	if err := accounts.NewStore(enrolDB(t)).InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return courses.ActorFor(u)
}

// TestCoordinatorEnrolsOwnStaffOnly: a coordinator enrols their own
// institution's people by hand, as a cohort and from a file, and sees
// them on the roster; another institution's people they can neither enrol
// nor see, whichever way they try.
func TestCoordinatorEnrolsOwnStaffOnly(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	pub, _ := publishedCourse(t, db, 1)
	draft, _ := publishedCourse(t, db, 1)
	if _, err := db.NewUpdate().Model(draft).Set("status = 'draft'").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	mine := institution(t, db, fmt.Sprintf("MIA%d", enrolSeq.Add(1)))
	theirs := institution(t, db, fmt.Sprintf("OTRA%d", enrolSeq.Add(1)))
	coord := coordinatorOf(t, mine)
	colleague := staffOf(t, mine, "José Núñez")
	stranger := staffOf(t, theirs, "Conceição Araújo")
	admin := administrator(t, db)
	if _, err := svc.EnrolUser(ctx, admin, pub.ID, stranger.ID); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"enrols another institution's person", first(svc.EnrolUser(ctx, coord, pub.ID, stranger.ID)), courses.ErrForbidden},
		{"enrols another institution", first(svc.EnrolInstitution(ctx, coord, pub.ID, theirs.ID)), courses.ErrForbidden},
		{"imports a file naming another institution", first(svc.BulkEnrol(ctx, coord, pub.ID, courses.BulkImport{
			File: strings.NewReader("email,name,institution_acronym\nnuevo@example.org,Íñigo Peña," + theirs.Acronym + "\n")})), courses.ErrForbidden},
		{"reads another institution's roster", first(svc.Roster(ctx, coord, pub.ID, courses.RosterFilter{InstitutionID: theirs.ID, Limit: 10})), courses.ErrForbidden},
		{"enrols in a draft", first(svc.EnrolUser(ctx, coord, draft.ID, colleague.ID)), courses.ErrNotFound},
		{"reads a draft's roster", first(svc.Roster(ctx, coord, draft.ID, courses.RosterFilter{Limit: 10})), courses.ErrNotFound},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("coordinator %s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}

	// A file with another institution's existing person is a bad line,
	// reported with the rest, and nothing is written.
	_, err := svc.BulkEnrol(ctx, coord, pub.ID, courses.BulkImport{File: strings.NewReader(
		"email,name,institution_acronym\n" + stranger.Email + ",,\n")})
	var rows courses.RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Key != "bulk.not_your_staff" {
		t.Fatalf("a file with another institution's person: %v", err)
	}

	if e, err := svc.EnrolUser(ctx, coord, pub.ID, colleague.ID); err != nil || e.EnrolledBy == nil || *e.EnrolledBy != coord.UserID {
		t.Fatalf("coordinator enrols a colleague: %+v %v", e, err)
	}
	newEmail := fmt.Sprintf("ines%d@example.org", enrolSeq.Add(1))
	res, err := svc.BulkEnrol(ctx, coord, pub.ID, courses.BulkImport{File: strings.NewReader(
		"email,name,institution_acronym\n" + newEmail + ",Inês Conceição,\n")})
	if err != nil || res.CreatedUsers != 1 {
		t.Fatalf("coordinator imports a new colleague: %+v %v", res, err)
	}
	created, err := accounts.NewStore(db).UserByEmail(ctx, newEmail)
	if err != nil || created.InstitutionID == nil || *created.InstitutionID != mine.ID {
		t.Fatalf("a coordinator's new account belongs to their institution: %+v %v", created, err)
	}
	if _, err := svc.EnrolInstitution(ctx, coord, pub.ID, mine.ID); err != nil {
		t.Fatalf("coordinator enrols their institution: %v", err)
	}

	roster, err := svc.Roster(ctx, coord, pub.ID, courses.RosterFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range roster.Items {
		names = append(names, it.User.Name)
	}
	if roster.Total != 2 || strings.Join(names, ", ") != "Inês Conceição, José Núñez" || roster.Oversight.InstitutionID != mine.ID {
		t.Fatalf("coordinator's roster: %d %v", roster.Total, names)
	}
	imports, err := svc.Imports(ctx, coord, pub.ID, 10, 0)
	if err != nil || imports.Total != 1 {
		t.Fatalf("coordinator's imports: %+v %v", imports, err)
	}
	if _, err := svc.ImportReport(ctx, coordinatorOf(t, mine), pub.ID, imports.Items[0].ID); !errors.Is(err, courses.ErrNotFound) {
		t.Fatalf("another coordinator opens the import's password links: %v", err)
	}
}

// TestCoordinatorNeedsInstitution: accounts refuses a coordinator who
// would oversee nobody.
func TestCoordinatorNeedsInstitution(t *testing.T) {
	ctx := context.Background()
	people := accounts.NewService(enrolDB(t), nil)
	_, err := people.CreateUser(ctx, accounts.CreateUserParams{Email: fmt.Sprintf("c%d@example.org", enrolSeq.Add(1)), Name: "Sin Institución",
		Role: accounts.RoleCoordinator})
	if !errors.Is(err, accounts.ErrCoordinatorInstitution) {
		t.Fatalf("coordinator without an institution: %v", err)
	}
	u := &accounts.User{Email: fmt.Sprintf("c%d@example.org", enrolSeq.Add(1)), Name: "Sin Institución", Role: accounts.RoleCoordinator, Locale: "es"}
	if err := accounts.NewStore(enrolDB(t)).InsertUser(ctx, u); err == nil {
		t.Fatal("the database stores a coordinator without an institution")
	}
}
