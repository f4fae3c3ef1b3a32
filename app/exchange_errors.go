package app

import (
	"errors"

	"github.com/aula-platform/aula/exchange"
)

// exchangeHTTPError turns the exchange package's field errors into a 422
// naming the field.
func exchangeHTTPError(err error) (*httpError, bool) {
	var inv *exchange.InvalidError
	if !errors.As(err, &inv) {
		return nil, false
	}
	m := message{Key: "exchange.invalid." + inv.Reason}
	if inv.Param != 0 {
		m.Args = []any{inv.Param}
	}
	return validationError(map[string]message{inv.Field: m}), true
}
