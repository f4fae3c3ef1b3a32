package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// eventsHTTPError turns the events package's typed errors into answers: a
// field that breaks a rule (422 naming the field), and the bad lines of an
// attendance report (422 listing every line).
func eventsHTTPError(err error) (*httpError, bool) {
	var inv *events.InvalidError
	if errors.As(err, &inv) {
		m := message{Key: "events.invalid." + inv.Reason}
		if inv.Param != 0 {
			m.Args = []any{inv.Param}
		}
		return validationError(map[string]message{inv.Field: m}), true
	}
	var rows events.RowErrors
	if errors.As(err, &rows) {
		he := &httpError{Status: fiber.StatusUnprocessableEntity, Code: "validation_failed", Msg: message{Key: "events.report.invalid", Args: []any{len(rows)}}}
		for _, r := range rows {
			he.Rows = append(he.Rows, rowError{Line: r.Line, Msg: message{Key: "events.report." + r.Reason}})
		}
		return he, true
	}
	return nil, false
}
