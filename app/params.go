package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Helpers every handler shares to read a request and shape an answer.

// pagination reads ?limit=&offset= (limit 1..100, default 20).
func pagination(c *fiber.Ctx) (limit, offset int) {
	limit = c.QueryInt("limit", 20)
	if limit < 1 || limit > 100 {
		limit = 20
	}
	offset = c.QueryInt("offset", 0)
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// paramID reads a positive integer route parameter; anything else is a 404,
// as no such resource can exist.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// paramIDs reads two id parameters, as in /courses/:id/modules/:mid.
func paramIDs(c *fiber.Ctx, first, second string) (int64, int64, error) {
	a, err := paramID(c, first)
	if err != nil {
		return 0, 0, err
	}
	b, err := paramID(c, second)
	if err != nil {
		return 0, 0, err
	}
	return a, b, nil
}

// utcTime returns a copy of t in UTC, for JSON answers (nil stays nil).
func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// listOf is a whole list in the API's list shape, all in one page.
func listOf[T any](items []T) list[T] { return list[T]{Items: items, Total: len(items)} }
