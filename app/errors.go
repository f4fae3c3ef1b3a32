package app

import (
	"errors"
	"log/slog"
	"strconv"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/reports"
)

// message is a translatable text: a catalog key and its arguments.
type message struct {
	Key  string
	Args []any
}

// httpError is an error the user is told about: a status, a stable code for
// API clients, a translated message and, for validation, a message per field.
type httpError struct {
	Status     int
	Code       string
	Msg        message
	Fields     map[string]message
	Rows       []rowError
	RetryAfter time.Duration
}

// rowError is a problem on one line of an uploaded file.
type rowError struct {
	Line int
	Msg  message
}

func (e *httpError) Error() string { return e.Code }

func newHTTPError(status int, code, key string) *httpError {
	return &httpError{Status: status, Code: code, Msg: message{Key: key}}
}

// The errors handlers and middleware return directly.
var (
	errMalformed    = newHTTPError(fiber.StatusBadRequest, "malformed", "error.malformed")
	errUnauthorized = newHTTPError(fiber.StatusUnauthorized, "unauthorized", "error.unauthorized")
	errForbidden    = newHTTPError(fiber.StatusForbidden, "forbidden", "error.forbidden")
	errCSRF         = newHTTPError(fiber.StatusForbidden, "csrf_failed", "error.csrf")
	errNotFound     = newHTTPError(fiber.StatusNotFound, "not_found", "error.not_found")
	// errUnavailable: PostgreSQL is down, restarting or too busy to give
	// a connection in time; the same request may work in a few seconds.
	errUnavailable = &httpError{Status: fiber.StatusServiceUnavailable, Code: "unavailable",
		Msg: message{Key: "error.unavailable"}, RetryAfter: 4 * time.Second}
)

// validationError is the 422 answer with a message per field.
func validationError(fields map[string]message) *httpError {
	return &httpError{Status: fiber.StatusUnprocessableEntity, Code: "validation_failed", Msg: message{Key: "error.validation"}, Fields: fields}
}

func rateLimited(retry time.Duration) *httpError {
	e := newHTTPError(fiber.StatusTooManyRequests, "rate_limited", "error.rate_limited")
	e.RetryAfter = retry
	return e
}

// domainError maps a domain package's error to what the user is told.
// Field names the form field the message belongs to, if any.
type domainError struct {
	err    error
	status int
	code   string
	key    string
	field  string
}

// domainErrors is the one table from domain errors to HTTP answers.
var domainErrors = []domainError{
	{accounts.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{accounts.ErrInvalidEmail, fiber.StatusUnprocessableEntity, "validation_failed", "validation.email", "email"},
	{accounts.ErrEmailTaken, fiber.StatusConflict, "email_taken", "error.email_taken", "email"},
	{accounts.ErrAcronymTaken, fiber.StatusConflict, "acronym_taken", "error.acronym_taken", "acronym"},
	{accounts.ErrInvalidCredentials, fiber.StatusUnauthorized, "invalid_credentials", "error.invalid_credentials", ""},
	{accounts.ErrUnknownInstitution, fiber.StatusUnprocessableEntity, "validation_failed", "error.unknown_institution", "institution_id"},
	{accounts.ErrLinkExpired, fiber.StatusGone, "link_expired", "error.link_expired", ""},
	{accounts.ErrSelfDemotion, fiber.StatusUnprocessableEntity, "validation_failed", "validation.self_demotion", "role"},
	{accounts.ErrLastAdmin, fiber.StatusConflict, "last_admin", "security.last_admin", "role"},
	{accounts.ErrCoordinatorInstitution, fiber.StatusUnprocessableEntity, "validation_failed", "reports.coordinator_needs_institution", "institution_id"},
	{accounts.ErrPasswordTooShort, fiber.StatusUnprocessableEntity, "validation_failed", "security.password.too_short", "password"},
	{accounts.ErrPasswordCommon, fiber.StatusUnprocessableEntity, "validation_failed", "security.password.common", "password"},
	{accounts.ErrPasswordPersonal, fiber.StatusUnprocessableEntity, "validation_failed", "security.password.personal", "password"},
	{accounts.ErrInvalidTimeZone, fiber.StatusUnprocessableEntity, "validation_failed", "times.error.time_zone", "time_zone"},
	// courses and enrolment
	{courses.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{courses.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{courses.ErrAlreadyEnrolled, fiber.StatusConflict, "already_enrolled", "enrol.already", ""},
	{courses.ErrNotEnrolled, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{courses.ErrNotPublished, fiber.StatusUnprocessableEntity, "not_published", "enrol.not_published", ""},
	{courses.ErrSlugTaken, fiber.StatusConflict, "slug_taken", "courses.error.slug_taken", "slug"},
	{courses.ErrInvalidSlug, fiber.StatusUnprocessableEntity, "validation_failed", "courses.error.slug_invalid", "slug"},
	{courses.ErrInvalidInstructor, fiber.StatusUnprocessableEntity, "validation_failed", "courses.error.instructor_invalid", "instructor_ids"},
	{courses.ErrInvalidCover, fiber.StatusUnprocessableEntity, "validation_failed", "courses.error.cover_invalid", "cover_asset_id"},
	{courses.ErrInvalidCourse, fiber.StatusUnprocessableEntity, "validation_failed", "error.validation", ""},
	{courses.ErrInvalidModule, fiber.StatusUnprocessableEntity, "validation_failed", "error.validation", ""},
	{courses.ErrInvalidAnnouncement, fiber.StatusUnprocessableEntity, "validation_failed", "error.validation", "title"},
	{courses.ErrNoModules, fiber.StatusUnprocessableEntity, "no_modules", "courses.error.no_modules", ""},
	{courses.ErrLastModule, fiber.StatusConflict, "last_module", "courses.error.last_module", ""},
	{courses.ErrHasEnrolments, fiber.StatusConflict, "has_enrolments", "courses.error.has_enrolments", ""},
	{courses.ErrInvalidTransition, fiber.StatusConflict, "invalid_state", "courses.error.invalid_transition", ""},
	{courses.ErrFileType, fiber.StatusUnprocessableEntity, "file_type", "courses.error.file_type", "file"},
	{courses.ErrTooLarge, fiber.StatusRequestEntityTooLarge, "too_large", "courses.error.too_large", "file"},
	// assessment
	{assessment.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{assessment.ErrNotEnrolled, fiber.StatusForbidden, "not_enrolled", "quiz.error.not_enrolled", ""},
	{assessment.ErrNoAttemptsLeft, fiber.StatusConflict, "no_attempts_left", "quiz.error.no_attempts_left", ""},
	{assessment.ErrAlreadySubmitted, fiber.StatusConflict, "already_submitted", "quiz.error.already_submitted", ""},
	{assessment.ErrDeadlinePassed, fiber.StatusUnprocessableEntity, "deadline_passed", "quiz.error.deadline_passed", ""},
	{assessment.ErrConcurrentStart, fiber.StatusConflict, "conflict", "quiz.error.concurrent_start", ""},
	// certificates
	{certificates.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{certificates.ErrExists, fiber.StatusConflict, "certificate_exists", "certificates.error.exists", ""},
	{certificates.ErrRevoked, fiber.StatusConflict, "certificate_revoked", "certificates.error.revoked", ""},
	{certificates.ErrNoChange, fiber.StatusUnprocessableEntity, "validation_failed", "certificates.error.no_change", ""},
	{certificates.ErrInvalidReason, fiber.StatusUnprocessableEntity, "validation_failed", "certificates.error.reason", "reason"},
	{certificates.ErrInvalidSnapshot, fiber.StatusUnprocessableEntity, "validation_failed", "certificates.error.snapshot", ""},
	{certificates.ErrInvalidIssuer, fiber.StatusUnprocessableEntity, "validation_failed", "certificates.error.issuer", ""},
	{certificates.ErrNotReady, fiber.StatusConflict, "not_ready", "certificates.error.zip_not_ready", ""},
	// events
	{events.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{events.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{events.ErrAlreadyRegistered, fiber.StatusConflict, "already_registered", "events.error.already_registered", ""},
	{events.ErrClosed, fiber.StatusConflict, "event_closed", "events.error.closed", ""},
	{events.ErrNotPublished, fiber.StatusUnprocessableEntity, "not_published", "events.error.not_published", ""},
	{events.ErrNoSessions, fiber.StatusUnprocessableEntity, "no_sessions", "events.error.no_sessions", ""},
	{events.ErrTooEarly, fiber.StatusUnprocessableEntity, "too_early", "events.error.too_early", ""},
	{events.ErrNotPending, fiber.StatusConflict, "not_pending", "events.error.not_pending", ""},
	{events.ErrCheckinCode, fiber.StatusUnprocessableEntity, "checkin_code", "events.error.checkin_code", "code"},
	{events.ErrCheckinClosed, fiber.StatusUnprocessableEntity, "checkin_closed", "events.error.checkin_closed", "code"},
	{events.ErrAlreadyOrganiser, fiber.StatusConflict, "already_organiser", "events.error.already_organiser", "email"},
	// reports
	{reports.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{reports.ErrInvalidFilter, fiber.StatusUnprocessableEntity, "validation_failed", "reports.error.filter", ""},
	{reports.ErrBadCursor, fiber.StatusBadRequest, "malformed", "reports.error.cursor", ""},
	{reports.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{reports.ErrNotReady, fiber.StatusConflict, "not_ready", "reports2.error.not_ready", ""},
	{reports.ErrExpired, fiber.StatusGone, "expired", "reports2.error.expired", ""},
	// background jobs and mail
	{jobs.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{notify.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{notify.ErrInvalidPreference, fiber.StatusUnprocessableEntity, "validation_failed", "error.validation", ""},
	// community: forums, topics, posts, consultations, moderation
	{community.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{community.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{community.ErrLocked, fiber.StatusConflict, "topic_locked", "community.error.locked", ""},
	{community.ErrAlreadyAnswered, fiber.StatusConflict, "already_answered", "community.error.already_answered", ""},
	{community.ErrAlreadyReported, fiber.StatusConflict, "already_reported", "community.error.already_reported", ""},
	{community.ErrClosed, fiber.StatusUnprocessableEntity, "consultation_closed", "community.error.closed", ""},
	{community.ErrNotClosed, fiber.StatusUnprocessableEntity, "consultation_open", "community.error.not_closed", ""},
	{community.ErrInvalidTitle, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.title", "title"},
	{community.ErrInvalidBody, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.body", "body_markdown"},
	{community.ErrInvalidKind, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.kind", "kind"},
	{community.ErrInvalidClosesAt, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.closes_at", "closes_at"},
	{community.ErrInvalidOptions, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.options", "options"},
	{community.ErrInvalidOption, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.option", "option_id"},
	{community.ErrInvalidParent, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.parent", "parent_id"},
	{community.ErrNotAcceptable, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.not_acceptable", "post_id"},
	{community.ErrInvalidReason, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.reason", "reason"},
	{community.ErrInvalidMove, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.move", "forum_id"},
	{community.ErrFileType, fiber.StatusUnprocessableEntity, "file_type", "community.error.file_type", "file"},
	{community.ErrInvalidSettings, fiber.StatusUnprocessableEntity, "validation_failed", "community.error.settings", "hold_new_accounts_days"},
	// exchange of experiences
	{exchange.ErrNotFound, fiber.StatusNotFound, "not_found", "error.not_found", ""},
	{exchange.ErrForbidden, fiber.StatusForbidden, "forbidden", "error.forbidden", ""},
	{exchange.ErrConflictOfInterest, fiber.StatusForbidden, "conflict_of_interest", "exchange.error.conflict_of_interest", ""},
	{exchange.ErrOwnProposal, fiber.StatusForbidden, "own_proposal", "exchange.error.own_proposal", ""},
	{exchange.ErrAlreadyInterested, fiber.StatusConflict, "already_interested", "exchange.error.already_interested", "institution_id"},
	{exchange.ErrAlreadyReviewed, fiber.StatusConflict, "already_reviewed", "exchange.error.already_reviewed", ""},
	{exchange.ErrDoubleBooked, fiber.StatusConflict, "double_booked", "exchange.error.double_booked", ""},
	{exchange.ErrState, fiber.StatusConflict, "invalid_state", "exchange.error.state", ""},
	{exchange.ErrRubricInUse, fiber.StatusConflict, "rubric_in_use", "exchange.error.rubric_in_use", ""},
	{exchange.ErrNoRubric, fiber.StatusConflict, "no_rubric", "exchange.error.no_rubric", ""},
	{exchange.ErrParticipantInUse, fiber.StatusConflict, "participant_in_use", "exchange.error.participant_in_use", "institutions"},
	// file storage (course files, issuer images): the disk, not the user
	{syscall.ENOSPC, fiber.StatusInsufficientStorage, "storage_full", "error.storage_full", ""},
	{syscall.EDQUOT, fiber.StatusInsufficientStorage, "storage_full", "error.storage_full", ""},
	{syscall.EROFS, fiber.StatusServiceUnavailable, "storage_unavailable", "error.storage_unavailable", ""},
	{syscall.EACCES, fiber.StatusServiceUnavailable, "storage_unavailable", "error.storage_unavailable", ""},
}

// asHTTPError finds what to tell the user about err; ok is false for
// unexpected errors, which are logged and shown as a generic 500.
func asHTTPError(err error) (*httpError, bool) {
	var he *httpError
	if errors.As(err, &he) {
		return he, true
	}
	// Typed domain errors carry a message per field (assessment's quiz
	// validation and answers), which the table of sentinels cannot.
	if he, ok := assessmentHTTPError(err); ok {
		return he, true
	}
	if he, ok := eventsHTTPError(err); ok {
		return he, true
	}
	if he, ok := exchangeHTTPError(err); ok {
		return he, true
	}
	if he, ok := libraryHTTPError(err); ok {
		return he, true
	}
	// A bulk file with bad lines: every line is reported.
	var rowErrs courses.RowErrors
	if errors.As(err, &rowErrs) {
		he := &httpError{Status: fiber.StatusUnprocessableEntity, Code: "validation_failed", Msg: message{Key: "bulk.invalid", Args: []any{len(rowErrs)}}}
		for _, r := range rowErrs {
			he.Rows = append(he.Rows, rowError{Line: r.Line, Msg: message{Key: r.Key, Args: r.Args}})
		}
		return he, true
	}
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			he := newHTTPError(d.status, d.code, d.key)
			if d.field != "" {
				he.Fields = map[string]message{d.field: {Key: d.key}}
			}
			return he, true
		}
	}
	if postgres.Unavailable(err) {
		return errUnavailable, true
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return statusError(fe.Code), true
	}
	return nil, false
}

func statusError(status int) *httpError {
	switch status {
	case fiber.StatusNotFound:
		return errNotFound
	case fiber.StatusRequestEntityTooLarge:
		return newHTTPError(status, "too_large", "error.too_large")
	case fiber.StatusMethodNotAllowed:
		return newHTTPError(status, "method_not_allowed", "error.method_not_allowed")
	case fiber.StatusBadRequest, fiber.StatusUnprocessableEntity, fiber.StatusUnsupportedMediaType:
		return errMalformed
	case fiber.StatusRequestTimeout:
		return newHTTPError(status, "timeout", "error.timeout")
	}
	if status >= 400 && status < 500 {
		return newHTTPError(status, "bad_request", "error.malformed")
	}
	return newHTTPError(fiber.StatusInternalServerError, "internal", "error.internal")
}

// errorBody is the JSON error shape of the API contract.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Rows    []rowDetail       `json:"rows,omitempty"`
	// RequestID is the id the server's log line of this request carries,
	// for the caller to quote when reporting a problem.
	RequestID string `json:"request_id,omitempty"`
}

type rowDetail struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// handleError is the one place errors become answers: JSON for the API, an
// HTML page otherwise. Unexpected errors are logged with the request id and
// the user sees only a generic message, never SQL or a stack.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	he, ok := asHTTPError(err)
	if !ok {
		id, _ := c.Locals(localRequestID).(string)
		s.log.ErrorContext(c.UserContext(), "request failed", slog.String("request_id", id),
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("error", err))
		he = statusError(fiber.StatusInternalServerError)
	} else if he.Status == fiber.StatusServiceUnavailable || he.Status == fiber.StatusInsufficientStorage {
		// The user is told to come back; the operator needs the cause.
		id, _ := c.Locals(localRequestID).(string)
		s.log.WarnContext(c.UserContext(), "request failed: unavailable", slog.String("request_id", id),
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("error", err))
	}
	tr := s.i18n.Printer(lang(c))
	if he.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(he.RetryAfter.Seconds())+1))
	}
	if isAPI(c) || c.Locals(localJSONErrors) == true {
		detail := errorDetail{Code: he.Code, Message: tr.T(he.Msg.Key, he.Msg.Args...), RequestID: requestID(c)}
		if len(he.Fields) > 0 {
			detail.Fields = make(map[string]string, len(he.Fields))
			for f, m := range he.Fields {
				detail.Fields[f] = tr.T(m.Key, m.Args...)
			}
		}
		for _, r := range he.Rows {
			detail.Rows = append(detail.Rows, rowDetail{Line: r.Line, Message: tr.T(r.Msg.Key, r.Msg.Args...)})
		}
		return c.Status(he.Status).JSON(errorBody{Error: detail})
	}
	title := "error.title"
	if he.Status == fiber.StatusServiceUnavailable || he.Status == fiber.StatusInsufficientStorage {
		title = "error.unavailable_title" // not "something went wrong": nothing the user did
	}
	page := errorPage{Page: s.page(c, title), Status: he.Status, Message: tr.T(he.Msg.Key, he.Msg.Args...), RequestID: requestID(c)}
	for _, r := range he.Rows {
		page.Rows = append(page.Rows, rowDetail{Line: r.Line, Message: tr.T(r.Msg.Key, r.Msg.Args...)})
	}
	if he.Status == fiber.StatusUnauthorized {
		page.SignIn = true
	}
	c.Status(he.Status)
	if rerr := s.render(c, "pages/error", page); rerr != nil {
		s.log.ErrorContext(c.UserContext(), "render error page", slog.Any("error", rerr))
		return c.Status(he.Status).SendString(page.Message)
	}
	return nil
}

// localJSONErrors marks a page's background request (a script's fetch)
// whose errors are answered in the API's JSON shape.
const localJSONErrors = "json_errors"

// answerErrorsInJSON makes the error handler answer this request's errors
// as the API does, for a page route that a script calls.
func answerErrorsInJSON(c *fiber.Ctx) { c.Locals(localJSONErrors, true) }

type errorPage struct {
	Page
	Status  int
	Message string
	Rows    []rowDetail
	SignIn  bool
	// RequestID lets a user quote the line of the log that says what
	// happened, which the page itself never shows.
	RequestID string
}

// requestID is the id logRequests gave the request.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// statusOf is the HTTP status the error handler gives err, for pages that
// render a form again with its errors.
func statusOf(err error) int {
	if he, ok := asHTTPError(err); ok {
		return he.Status
	}
	return fiber.StatusInternalServerError
}

// fieldError reports whether err is one a form shows next to its fields
// (validation or a conflict on a field); other errors go to the error page.
func fieldError(err error) bool {
	he, ok := asHTTPError(err)
	return ok && len(he.Fields) > 0
}
