// Package e2e drives a real Chromium through Aula as people use it: the
// real binary (`aula serve`, with its own migrations and wiring) on its own
// PostgreSQL database, a browser clicking through pages. It has no code of
// its own besides tests.
package e2e
