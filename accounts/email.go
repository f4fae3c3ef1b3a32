package accounts

import (
	"errors"
	"net/mail"
	"strings"
)

// ErrInvalidEmail: an address that is not an email ("ana", "ana@", "Ana
// <ana@example.org>"), refused wherever one is stored: mail to it could
// never arrive.
var ErrInvalidEmail = errors.New("accounts: not an email address")

// ValidEmail reports whether s is one bare address with a dotted domain,
// as a mail relay accepts it: local@domain.tld, at most 254 characters.
func ValidEmail(s string) bool {
	if len(s) < 3 || len(s) > 254 || strings.ContainsAny(s, " <>\r\n\t,;") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return false
	}
	domain := s[strings.LastIndex(s, "@")+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
