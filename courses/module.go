package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Limits of a module's fields; the database checks them too.
const (
	MaxModuleBodyLen    = 200000 // characters of Markdown
	MaxEstimatedMinutes = 6000
)

// ModuleParams are the editable fields of a module.
type ModuleParams struct {
	Title        string
	BodyMarkdown string
	// EstimatedMinutes is how long a learner needs for the module.
	EstimatedMinutes int
	// Position is where CreateModule puts the module: 1 is first; 0 or
	// past the end is last. UpdateModule ignores it (see MoveModule).
	Position int
}

func (p *ModuleParams) tidy() {
	p.Title = strings.TrimSpace(p.Title)
	// Line endings from browsers are CRLF; keep one kind so diffs and
	// lengths do not depend on where the text was typed.
	p.BodyMarkdown = strings.ReplaceAll(p.BodyMarkdown, "\r\n", "\n")
}

func (p *ModuleParams) check() error {
	switch {
	case p.Title == "" || utf8.RuneCountInString(p.Title) > MaxTitleLen:
		return fmt.Errorf("%w: title", ErrInvalidModule)
	case utf8.RuneCountInString(p.BodyMarkdown) > MaxModuleBodyLen:
		return fmt.Errorf("%w: body too long", ErrInvalidModule)
	case p.EstimatedMinutes < 0 || p.EstimatedMinutes > MaxEstimatedMinutes:
		return fmt.Errorf("%w: estimated minutes %d", ErrInvalidModule, p.EstimatedMinutes)
	}
	return nil
}

// CreateModule adds a module to a course. Its Markdown is rendered and
// sanitised now, once, not at every view.
func (s *Service) CreateModule(ctx context.Context, actor Actor, courseID int64, p ModuleParams) (*Module, error) {
	p.tidy()
	if err := p.check(); err != nil {
		return nil, err
	}
	html, err := RenderMarkdown(p.BodyMarkdown)
	if err != nil {
		return nil, err
	}
	m := &Module{CourseID: courseID, Title: p.Title, BodyMarkdown: p.BodyMarkdown, BodyHTML: html, EstimatedMinutes: p.EstimatedMinutes}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.editable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		store := NewStore(tx)
		n, err := store.CountModules(ctx, courseID, true)
		if err != nil {
			return err
		}
		m.Position = p.Position
		if m.Position < 1 || m.Position > n {
			m.Position = n + 1
		} else if err := store.ShiftModules(ctx, courseID, m.Position, 1); err != nil {
			return err
		}
		return store.InsertModule(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateModule changes a module's title, body and estimate.
func (s *Service) UpdateModule(ctx context.Context, actor Actor, courseID, id int64, p ModuleParams) (*Module, error) {
	p.tidy()
	if err := p.check(); err != nil {
		return nil, err
	}
	html, err := RenderMarkdown(p.BodyMarkdown)
	if err != nil {
		return nil, err
	}
	var m *Module
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.editable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		store := NewStore(tx)
		if m, err = store.Module(ctx, courseID, id); err != nil {
			return err
		}
		m.Title, m.BodyMarkdown, m.BodyHTML, m.EstimatedMinutes = p.Title, p.BodyMarkdown, html, p.EstimatedMinutes
		return store.UpdateModule(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// MoveModule puts a module at position to (1 is first; clamped to the
// course's modules), moving the ones in between by one.
func (s *Service) MoveModule(ctx context.Context, actor Actor, courseID, id int64, to int) (*Module, error) {
	return s.moveModule(ctx, actor, courseID, id, func(int) int { return to })
}

// ShiftModule moves a module by delta places: -1 is "move up", swapping it
// with the one before; +1 is "move down". At either end it stays put.
func (s *Service) ShiftModule(ctx context.Context, actor Actor, courseID, id int64, delta int) (*Module, error) {
	return s.moveModule(ctx, actor, courseID, id, func(from int) int { return from + delta })
}

func (s *Service) moveModule(ctx context.Context, actor Actor, courseID, id int64, target func(from int) int) (*Module, error) {
	var m *Module
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.editable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		store := NewStore(tx)
		var err error
		if m, err = store.Module(ctx, courseID, id); err != nil {
			return err
		}
		n, err := store.CountModules(ctx, courseID, true)
		if err != nil {
			return err
		}
		to := min(max(target(m.Position), 1), n)
		if to == m.Position {
			return nil
		}
		if err := store.MoveModule(ctx, courseID, id, m.Position, to); err != nil {
			return err
		}
		m.Position = to
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteModule removes a module for good. Once anyone has enrolled in the
// course its modules are archived instead (ErrHasEnrolments): learners'
// progress refers to them. The last module of a course in the catalogue
// stays (ErrLastModule).
func (s *Service) DeleteModule(ctx context.Context, actor Actor, courseID, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.editable(ctx, tx, actor, courseID)
		if err != nil {
			return err
		}
		store := NewStore(tx)
		m, err := store.Module(ctx, courseID, id)
		if err != nil {
			return err
		}
		enrolled, err := store.HasEnrolments(ctx, courseID)
		if err != nil {
			return err
		}
		if enrolled {
			return fmt.Errorf("courses: delete module %d: %w", id, ErrHasEnrolments)
		}
		if err := s.keepOne(ctx, store, c, m); err != nil {
			return err
		}
		if err := store.DeleteModule(ctx, courseID, id); err != nil {
			return err
		}
		return store.ShiftModules(ctx, courseID, m.Position+1, -1)
	})
}

// keepOne refuses to take away m when it is the last module learners can
// read in a course that is not a draft.
func (s *Service) keepOne(ctx context.Context, store *Store, c *Course, m *Module) error {
	if c.Status == StatusDraft || m.ArchivedAt != nil {
		return nil
	}
	n, err := store.CountModules(ctx, c.ID, false)
	if err != nil {
		return err
	}
	if n <= 1 {
		return fmt.Errorf("module %d: %w", m.ID, ErrLastModule)
	}
	return nil
}

// ArchiveModule hides a module from learners without deleting it, so the
// progress of those who completed it stays as it was.
func (s *Service) ArchiveModule(ctx context.Context, actor Actor, courseID, id int64) (*Module, error) {
	return s.setModuleArchived(ctx, actor, courseID, id, true)
}

// RestoreModule shows an archived module to learners again.
func (s *Service) RestoreModule(ctx context.Context, actor Actor, courseID, id int64) (*Module, error) {
	return s.setModuleArchived(ctx, actor, courseID, id, false)
}

func (s *Service) setModuleArchived(ctx context.Context, actor Actor, courseID, id int64, archive bool) (*Module, error) {
	var m *Module
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.editable(ctx, tx, actor, courseID)
		if err != nil {
			return err
		}
		store := NewStore(tx)
		if m, err = store.Module(ctx, courseID, id); err != nil {
			return err
		}
		if (m.ArchivedAt != nil) == archive {
			return nil
		}
		if !archive {
			return store.SetModuleArchived(ctx, m, nil)
		}
		if err := s.keepOne(ctx, store, c, m); err != nil {
			return err
		}
		now := s.now()
		return store.SetModuleArchived(ctx, m, &now)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Outline returns the modules learners see in a course (not archived), in
// order and without their bodies. acc comes from Access, which has
// checked the course is visible.
func (s *Service) Outline(ctx context.Context, acc *Access) ([]Module, error) {
	return NewStore(s.db).Modules(ctx, acc.Course.ID, false)
}

// EditModules returns every module of a course, archived ones included,
// for its editors.
func (s *Service) EditModules(ctx context.Context, actor Actor, courseID int64) ([]Module, error) {
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if err := acc.mayEdit(); err != nil {
		return nil, fmt.Errorf("courses: edit modules of %d: %w", courseID, err)
	}
	return NewStore(s.db).Modules(ctx, courseID, true)
}

// EditModule returns one module, with its Markdown, for its editors.
func (s *Service) EditModule(ctx context.Context, actor Actor, courseID, id int64) (*Module, error) {
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if err := acc.mayEdit(); err != nil {
		return nil, fmt.Errorf("courses: edit module %d: %w", id, err)
	}
	return NewStore(s.db).Module(ctx, courseID, id)
}

// Reading is a module as a reader sees it, with its neighbours for the
// previous/next links.
type Reading struct {
	Access *Access
	Module *Module
	// Prev and Next are the neighbouring modules learners see, nil at
	// either end: their id, course, position and title only.
	Prev, Next *Module
	// Position is the module's place among those learners see (1 is
	// first) and Count how many there are; Position is 0 for an archived
	// module an editor opens.
	Position, Count int
	// Done: the reader completed this module (a live one).
	Done bool
	// BodyVersion changes whenever the module does: a body kept with it
	// may be shown again while a later read says the same version
	// (Service.ReadModuleBody).
	BodyVersion string
	// SameBody: the module is still the version the caller knew, and its
	// body was not read (Module.BodyHTML is empty).
	SameBody bool
	// Attachments is what the SQL given to Service.AttachToModules read
	// with the module (ReadModuleBody only; nil otherwise).
	Attachments json.RawMessage
}
