package app

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/locales"
)

// validate is the one validator; it is safe for concurrent use and caches
// struct metadata, so it is built once.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Errors name fields as the client sent them (the json tag).
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		return name
	})
	// An interface locale (locales.UI), or the legacy "pt" accounts stores
	// as the locale it stands for.
	must(v.RegisterValidation("locale", func(fl validator.FieldLevel) bool {
		return locales.Canonical(fl.Field().String()) != ""
	}))
	// A language course content is written in (locales.Courses).
	must(v.RegisterValidation("course_language", func(fl validator.FieldLevel) bool {
		return slices.Contains(locales.Courses, fl.Field().String())
	}))
	return v
}

func must(err error) {
	if err != nil {
		panic(err) // only when a tag above is malformed
	}
}

// validateStruct checks v's validate tags and returns a 422 error with one
// translatable message per bad field, or nil.
func validateStruct(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make(map[string]message, len(verrs))
	for _, fe := range verrs {
		fields[fieldPath(fe)] = fieldMessage(fe)
	}
	return validationError(fields)
}

// fieldPath names a field as the client knows it: "email", or
// "questions[2].prompt" inside lists.
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func fieldMessage(fe validator.FieldError) message {
	switch fe.Tag() {
	case "required", "required_if", "required_unless", "required_with":
		return message{Key: "validation.required"}
	case "email":
		return message{Key: "validation.email"}
	case "max":
		if fe.Kind() == reflect.String {
			return message{Key: "validation.max_length", Args: []any{fe.Param()}}
		}
		return message{Key: "validation.max", Args: []any{fe.Param()}}
	case "min":
		if fe.Kind() == reflect.String {
			return message{Key: "validation.min_length", Args: []any{fe.Param()}}
		}
		return message{Key: "validation.min", Args: []any{fe.Param()}}
	case "gte":
		return message{Key: "validation.min", Args: []any{fe.Param()}}
	case "lte":
		return message{Key: "validation.max", Args: []any{fe.Param()}}
	case "oneof":
		return message{Key: "validation.oneof", Args: []any{strings.ReplaceAll(fe.Param(), " ", ", ")}}
	case "locale":
		return message{Key: "validation.oneof", Args: []any{strings.Join(locales.UI, ", ")}}
	case "course_language":
		return message{Key: "validation.oneof", Args: []any{strings.Join(locales.Courses, ", ")}}
	case "iso3166_1_alpha2":
		return message{Key: "validation.country"}
	}
	return message{Key: "validation.invalid"}
}

// normalizer is a request struct that tidies its input (trims spaces,
// upper-cases codes) before validation, so "pt " is as good as "PT".
type normalizer interface{ normalize() }

// parseBody decodes the request body into v (JSON for the API, form fields
// for pages) and validates it. A body that cannot be decoded is 400; one
// that decodes but breaks a rule is 422.
func parseBody(c *fiber.Ctx, v any) error {
	if isAPI(c) {
		if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
			return errMalformed
		}
		if err := json.Unmarshal(c.Body(), v); err != nil {
			// Well-formed JSON with a value of the wrong type is a field
			// the client can fix, not a broken request.
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) && typeErr.Field != "" {
				return validationError(map[string]message{typeErr.Field: {Key: "validation.invalid"}})
			}
			return errMalformed
		}
	} else if err := c.BodyParser(v); err != nil {
		return errMalformed
	}
	if n, ok := v.(normalizer); ok {
		n.normalize()
	}
	return validateStruct(v)
}
