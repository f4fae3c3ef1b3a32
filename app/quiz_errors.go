package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/assessment"
)

// assessmentHTTPError maps assessment's typed errors, whose fields carry
// message keys: a quiz that breaks a rule is 422 with a message per field;
// answers that cannot be read at all are 400, answers that do not fit their
// questions 422, each with its field ("answers.12").
func assessmentHTTPError(err error) (*httpError, bool) {
	var ve *assessment.ValidationError
	if errors.As(err, &ve) {
		return validationError(fieldMessages(ve.Fields)), true
	}
	var ae *assessment.AnswerError
	if errors.As(err, &ae) {
		if ae.Fields["answers"] == "answers.malformed" {
			he := newHTTPError(fiber.StatusBadRequest, "malformed", "answers.malformed")
			he.Fields = fieldMessages(ae.Fields)
			return he, true
		}
		he := newHTTPError(fiber.StatusUnprocessableEntity, "validation_failed", "quiz.error.invalid_answers")
		he.Fields = fieldMessages(ae.Fields)
		return he, true
	}
	return nil, false
}

func fieldMessages(keys map[string]string) map[string]message {
	out := make(map[string]message, len(keys))
	for field, key := range keys {
		out[field] = message{Key: key}
	}
	return out
}
