package app

import (
	"net/url"
	"strings"
)

// maxNextLength bounds a redirect target; a longer one is not a link Aula made.
const maxNextLength = 2048

// safeNext returns next when it is a path on this site, and "/" otherwise.
// It is the one check for every redirect target that comes from the
// request (?next= after sign-in, the language switch, "complete and go
// on").
//
// Browsers are lenient where it hurts: they drop tabs and newlines from a
// URL, read "\" as "/", and take "//host" or "https:host" as another site.
// So the target is refused unless it is printable ASCII without "\" (a
// link Aula makes is always percent-encoded) and parses as a path with no
// scheme, host or user, whose raw and decoded forms both start with one
// "/" only: "/%2F/evil" or "/%09/evil" would become "//evil" for a server
// or proxy that decodes before it redirects again.
func safeNext(next string) string {
	if next == "" || len(next) > maxNextLength || !printableASCII(next) || strings.Contains(next, `\`) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	for _, p := range []string{next, u.Path} {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) || !printableASCII(p) {
			return "/"
		}
	}
	return next
}

// printableASCII reports whether s has only the characters '!' to '~':
// no space, control character or byte of a multi-byte rune.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return false
		}
	}
	return true
}
