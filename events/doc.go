// Package events holds Aula's seminars, workshops and webinars: an event in
// a language and a time zone, with sessions; registration with a capacity,
// a waitlist promoted in order and, when the organiser asks for it,
// approval; attendance per session, marked by hand, imported from a
// video-conference report or taken by participants scanning a rotating
// check-in code; closing, which issues certificates of participation; and
// calendars (.ics) of one event or of everything a person registered for.
//
// Like the other domain packages it has models (models.go), a Store with
// every query (store*.go) and a Service with the rules; it never imports
// Fiber or templates. Who may do what is decided here, once (Access).
//
// Races are settled by PostgreSQL: every change to an event's
// registrations locks the event's row first (Store.LockEvent), so capacity
// is counted by one writer at a time and the hundredth registration for
// the last place sees the ninety-nine before it; closing locks the same
// row, so it happens once; sessions cannot overlap by an exclusion
// constraint.
//
// What events cause elsewhere goes through seams the wiring sets: a
// Notifier, told inside the transaction of each change (registered,
// waitlisted, promoted, approved, reminder, certificate issued), and a
// ClosingHook that issues the certificates in the closing transaction.
// Reminders the day before each session are jobs (package jobs) enqueued
// with the change that schedules them; ReminderKind is their handler.
package events
