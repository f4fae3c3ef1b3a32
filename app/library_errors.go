package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/library"
)

// libraryErrors maps the library's errors to answers. A field error
// (library.FieldError) names its field; the message is its rule's.
var libraryErrors = []domainError{
	{library.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{library.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{library.ErrInvalidTransition, fiber.StatusConflict, "invalid_state", "library.error.transition", ""},
	{library.ErrNoInstitution, fiber.StatusUnprocessableEntity, "no_institution", "library.error.no_institution", ""},
	{library.ErrInvalidType, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.type", ""},
	{library.ErrInvalidTitle, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.title", ""},
	{library.ErrTooLong, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.too_long", ""},
	{library.ErrInvalidLanguage, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.language", ""},
	{library.ErrInvalidTranslation, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.translation", ""},
	{library.ErrInvalidCountry, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.country", ""},
	{library.ErrUnknownTheme, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.theme", ""},
	{library.ErrNoYear, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.no_year", ""},
	{library.ErrInvalidDate, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.date", ""},
	{library.ErrInvalidAuthors, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.authors", ""},
	{library.ErrInvalidURL, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.url", ""},
	{library.ErrURLRequired, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.url_required", ""},
	{library.ErrUnknownInstitution, fiber.StatusUnprocessableEntity, "validation_failed", "error.unknown_institution", ""},
	{library.ErrUnknownCourse, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.course", ""},
	{library.ErrUnknownUser, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.user", ""},
	{library.ErrNoteRequired, fiber.StatusUnprocessableEntity, "validation_failed", "library.error.note_required", ""},
	{library.ErrBadCursor, fiber.StatusBadRequest, "bad_cursor", "library.error.cursor", ""},
}

// libraryHTTPError finds what to tell the user about one of the
// library's errors.
func libraryHTTPError(err error) (*httpError, bool) {
	field := ""
	var fe *library.FieldError
	if errors.As(err, &fe) {
		field = fe.Field
	}
	for _, d := range libraryErrors {
		if errors.Is(err, d.err) {
			he := newHTTPError(d.status, d.code, d.key)
			if field != "" {
				he.Fields = map[string]message{field: {Key: d.key}}
			}
			return he, true
		}
	}
	return nil, false
}
