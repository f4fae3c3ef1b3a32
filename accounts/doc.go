// Package accounts owns identity: member institutions, users and their roles,
// password hashing, browser sessions, API tokens and one-time password links.
//
// It knows nothing of HTTP. The web layer validates the shape of input and
// calls a Service method; the rules (unique emails whatever their case, one
// error for unknown email and wrong password, sessions rotated at sign-in)
// live here.
package accounts
