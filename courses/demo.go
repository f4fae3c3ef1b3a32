package courses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/aula-platform/aula/accounts"
)

// DemoAccount is a demo user SeedDemo created, with the password to show
// once: only its hash is kept.
type DemoAccount struct {
	Email    string
	Name     string
	Role     accounts.Role
	Password string
}

// DemoReport says what SeedDemo created. Things that existed already are
// left as they are and not counted.
type DemoReport struct {
	Institutions int
	Accounts     []DemoAccount
	Courses      []string // titles
}

// Empty reports whether SeedDemo found everything in place.
func (r *DemoReport) Empty() bool {
	return r.Institutions == 0 && len(r.Accounts) == 0 && len(r.Courses) == 0
}

// demoInstitutions and demoPeople are the made-up institutions and users
// of the demo. Their emails end in aula.localhost, which cannot receive mail.
var demoInstitutions = []accounts.InstitutionParams{
	{Name: "Caja Andina de Previsión Social", Acronym: "CAPS", Country: "BO"},
	{Name: "Instituto Lusófono de Segurança Social", Acronym: "ILSS", Country: "MZ"},
}

// DemoTeacherEmail is the demo instructor, who teaches every demo course.
const DemoTeacherEmail = "docente@aula.localhost"

// DemoLearnerEmail is the demo learner, enrolled in every demo course.
const DemoLearnerEmail = "formando@aula.localhost"

var demoPeople = []struct {
	Email, Name, Institution, Locale string
	Role                             accounts.Role
}{
	{DemoTeacherEmail, "Lucía Fernández Peña", "CAPS", "es", accounts.RoleInstructor},
	{DemoLearnerEmail, "João Conceição", "ILSS", "pt-PT", accounts.RoleLearner},
}

// SeedDemo loads the demo content: two institutions, an instructor and a
// learner, and one published course per language on social protection,
// taught by the demo instructor, each with its modules and a cover image
// from images ("<slug>.png"; nil for none). The demo learner is enrolled
// in them. It can run again: what exists already (same acronym, email or
// slug) is kept, so a second run creates nothing.
func (s *Service) SeedDemo(ctx context.Context, people *accounts.Service, images fs.FS) (*DemoReport, error) {
	report := &DemoReport{}
	institutions, err := s.demoInstitutions(ctx, people, report)
	if err != nil {
		return nil, err
	}
	users := map[accounts.Role]*accounts.User{}
	for _, p := range demoPeople {
		u, err := s.demoUser(ctx, people, p.Email, p.Name, p.Role, p.Locale, institutions[p.Institution], report)
		if err != nil {
			return nil, err
		}
		users[p.Role] = u
	}
	teacher := ActorFor(users[accounts.RoleInstructor])
	for _, dc := range demoCourses {
		c, err := NewStore(s.db).CourseBySlug(ctx, dc.Slug)
		if errors.Is(err, ErrNotFound) {
			if c, err = s.demoCourse(ctx, teacher, dc, images); err == nil {
				report.Courses = append(report.Courses, c.Title)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("courses: demo course %s: %w", dc.Slug, err)
		}
		if c.Status != StatusPublished {
			continue
		}
		if _, err := s.Enrol(ctx, users[accounts.RoleLearner].ID, c.ID, nil); err != nil && !errors.Is(err, ErrAlreadyEnrolled) {
			return nil, fmt.Errorf("courses: demo enrolment in %s: %w", dc.Slug, err)
		}
	}
	return report, nil
}

// demoInstitutions returns the ids of the demo institutions by acronym,
// creating those missing.
func (s *Service) demoInstitutions(ctx context.Context, people *accounts.Service, report *DemoReport) (map[string]*int64, error) {
	acronyms := make([]string, len(demoInstitutions))
	for i, in := range demoInstitutions {
		acronyms[i] = in.Acronym
	}
	existing, err := accounts.NewStore(s.db).InstitutionsByAcronym(ctx, acronyms)
	if err != nil {
		return nil, err
	}
	ids := map[string]*int64{}
	for _, in := range demoInstitutions {
		if inst, ok := existing[strings.ToLower(in.Acronym)]; ok {
			ids[in.Acronym] = &inst.ID
			continue
		}
		inst, err := people.CreateInstitution(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("demo institution %s: %w", in.Acronym, err)
		}
		ids[in.Acronym] = &inst.ID
		report.Institutions++
	}
	return ids, nil
}

// demoUser returns the user with email, creating them with a new random
// password (reported once) when missing.
func (s *Service) demoUser(ctx context.Context, people *accounts.Service, email, name string, role accounts.Role,
	locale string, institution *int64, report *DemoReport) (*accounts.User, error) {
	u, err := accounts.NewStore(s.db).UserByEmail(ctx, email)
	if err == nil {
		return u, nil
	}
	if !errors.Is(err, accounts.ErrNotFound) {
		return nil, err
	}
	secret, err := accounts.NewSecret()
	if err != nil {
		return nil, err
	}
	password := secret[:16]
	u, err = people.CreateUser(ctx, accounts.CreateUserParams{Email: email, Name: name, Password: password, Role: role,
		InstitutionID: institution, Locale: locale})
	if err != nil {
		return nil, fmt.Errorf("demo user %s: %w", email, err)
	}
	report.Accounts = append(report.Accounts, DemoAccount{Email: email, Name: name, Role: role, Password: password})
	return u, nil
}

// demoCourse creates one demo course the way an instructor would: the
// course, its cover, its modules, then publishing.
func (s *Service) demoCourse(ctx context.Context, teacher Actor, dc demoCourse, images fs.FS) (*Course, error) {
	c, err := s.CreateCourse(ctx, teacher, CourseParams{Title: dc.Title, Slug: dc.Slug, Summary: dc.Summary,
		Language: dc.Language, WorkloadHours: dc.WorkloadHours})
	if err != nil {
		return nil, err
	}
	for _, m := range dc.Modules {
		if _, err := s.CreateModule(ctx, teacher, c.ID, ModuleParams{Title: m.Title, BodyMarkdown: m.Body, EstimatedMinutes: m.Minutes}); err != nil {
			return nil, err
		}
	}
	if images != nil && dc.Image != "" && s.blobs != nil {
		img, err := fs.ReadFile(images, dc.Image)
		if err != nil {
			return nil, fmt.Errorf("cover: %w", err)
		}
		a, err := s.UploadAsset(ctx, teacher, c.ID, dc.Image, bytes.NewReader(img))
		if err != nil {
			return nil, fmt.Errorf("cover: %w", err)
		}
		if c, err = s.UpdateCourse(ctx, teacher, c.ID, CourseParams{Title: c.Title, Slug: c.Slug, Summary: c.Summary,
			Language: c.Language, WorkloadHours: c.WorkloadHours, CoverAssetID: &a.ID}); err != nil {
			return nil, err
		}
	}
	return s.Publish(ctx, teacher, c.ID)
}
