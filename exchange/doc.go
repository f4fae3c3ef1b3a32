// Package exchange holds the exchange of experiences, the network's own
// method: an edition (Exchange) with its participating institutions, their
// delegates and a committee; offers of programmes and the interest other
// institutions state in them, read as a supply–demand matrix; time slots
// and rooms in which business rounds are scheduled (schedule.go, pure
// code: no database, no clock); cooperation actions proposed after a
// round by one side and confirmed by the other; the committee's reviews on
// a weighted rubric, with conflicts of interest refused, the ranking and
// the decisions; and the follow-up of the selected actions.
//
// Like the other domain packages it has models (models.go), a Store with
// every query (store.go) and a Service with the rules; it never imports
// Fiber or templates. Who may do what is decided here, once (Access).
//
// Races are settled by PostgreSQL: scheduling and moving rounds lock the
// exchange's row first, so two admins scheduling at once make one schedule
// after the other; and the schema refuses a room or a delegation booked
// twice in one slot (unique keys on exchange_rounds and
// exchange_round_delegations), which a move that double-books meets as a
// unique violation, ErrDoubleBooked.
//
// What exchanges cause elsewhere goes through seams the wiring sets:
// Themes (the library's vocabulary), a Notifier (agendas, decisions),
// a Publisher (a completed action's report to the library) and Events
// (the workshop an exchange is linked to).
package exchange
