package courses

import (
	"context"
	"fmt"
	"time"
)

// moduleOutlineColumns are what lists of modules need: no bodies, which
// can be hundreds of kilobytes each.
var moduleOutlineColumns = []string{"id", "course_id", "position", "title", "estimated_minutes", "archived_at", "created_at", "updated_at"}

// Modules returns a course's modules in order, without their bodies;
// archived ones only when asked.
func (s *Store) Modules(ctx context.Context, courseID int64, archived bool) ([]Module, error) {
	var list []Module
	q := s.db.NewSelect().Model(&list).Column(moduleOutlineColumns...).Where("m.course_id = ?", courseID).Order("m.position")
	if !archived {
		q = q.Where("m.archived_at IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("modules of %d: %w", courseID, err)
	}
	return list, nil
}

// Module returns the module with id of the course with courseID.
func (s *Store) Module(ctx context.Context, courseID, id int64) (*Module, error) {
	m := new(Module)
	if err := s.db.NewSelect().Model(m).Where("m.id = ? AND m.course_id = ?", id, courseID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("module %d of %d: %w", id, courseID, notFound(err))
	}
	return m, nil
}

// CountModules returns how many modules a course has; archived ones only
// when asked.
func (s *Store) CountModules(ctx context.Context, courseID int64, archived bool) (int, error) {
	q := s.db.NewSelect().Model((*Module)(nil)).Where("course_id = ?", courseID)
	if !archived {
		q = q.Where("archived_at IS NULL")
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count modules of %d: %w", courseID, err)
	}
	return n, nil
}

// InsertModule stores a new module at m.Position and fills its id.
func (s *Store) InsertModule(ctx context.Context, m *Module) error {
	if _, err := s.db.NewInsert().Model(m).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert module: %w", err)
	}
	return nil
}

// UpdateModule saves the content of m.
func (s *Store) UpdateModule(ctx context.Context, m *Module) error {
	_, err := s.db.NewUpdate().Model(m).Column("title", "body_markdown", "body_html", "estimated_minutes").
		Set("updated_at = now()").WherePK().Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("update module %d: %w", m.ID, err)
	}
	return nil
}

// ShiftModules adds delta to the position of the course's modules at
// position from or after. One statement: the unique (course, position)
// constraint is deferrable, so it is checked once the statement is done,
// not row by row.
func (s *Store) ShiftModules(ctx context.Context, courseID int64, from, delta int) error {
	_, err := s.db.NewUpdate().Model((*Module)(nil)).Set("position = position + ?", delta).
		Where("course_id = ? AND position >= ?", courseID, from).Exec(ctx)
	if err != nil {
		return fmt.Errorf("shift modules of %d: %w", courseID, err)
	}
	return nil
}

// MoveModule moves module id of a course from position from to position
// to, shifting the modules in between by one. Moving by one swaps two
// modules.
func (s *Store) MoveModule(ctx context.Context, courseID, id int64, from, to int) error {
	lo, hi, step := to, from, 1 // moving up: those in between go down
	if to > from {
		lo, hi, step = from, to, -1
	}
	_, err := s.db.NewUpdate().Model((*Module)(nil)).
		Set("position = CASE WHEN id = ? THEN ? ELSE position + ? END", id, to, step).
		Set("updated_at = now()").
		Where("course_id = ? AND position BETWEEN ? AND ?", courseID, lo, hi).Exec(ctx)
	if err != nil {
		return fmt.Errorf("move module %d to %d: %w", id, to, err)
	}
	return nil
}

// DeleteModule removes a module.
func (s *Store) DeleteModule(ctx context.Context, courseID, id int64) error {
	res, err := s.db.NewDelete().Model((*Module)(nil)).Where("id = ? AND course_id = ?", id, courseID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete module %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete module %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetModuleArchived archives a module (at is when) or brings it back (nil).
func (s *Store) SetModuleArchived(ctx context.Context, m *Module, at *time.Time) error {
	_, err := s.db.NewUpdate().Model(m).Set("archived_at = ?", at).Set("updated_at = now()").
		WherePK().Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive module %d: %w", m.ID, err)
	}
	return nil
}
