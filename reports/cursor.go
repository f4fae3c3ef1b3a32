package reports

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// cursor is where a keyset-paginated page starts: after the row whose sort
// key and id it holds. It travels in URLs as opaque base64.
type cursor struct {
	Key string `json:"k"`
	ID  int64  `json:"id"`
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseCursor reads a cursor from a URL; "" is the first page.
func parseCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("cursor %q: %w", s, ErrBadCursor)
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 {
		return nil, fmt.Errorf("cursor %q: %w", s, ErrBadCursor)
	}
	return &c, nil
}
