// Package jobs is Aula's one queue of background work, kept in
// PostgreSQL: mail, digests, certificate ZIPs, housekeeping, and the
// schedules of features to come.
//
// A job is enqueued with Enqueue inside the transaction of the write that
// causes it, so a rolled-back enrolment sends no notice and a committed one
// always has its job. Any `aula serve` process works jobs: a worker takes
// the next due job with FOR UPDATE SKIP LOCKED, holds it under a lease
// (locked_until), and marks it completed, retryable (with exponential
// backoff) or discarded (attempts spent, or a Permanent error) with its
// last error. A process killed mid-job leaves it running with a lease that
// runs out; another worker then takes it again. Handlers therefore run at
// least once and must be idempotent (a mail handler records what it sent).
//
// Committing a job notifies the channel aula_jobs (NOTIFY is delivered on
// commit only), which wakes idle workers in every process; they also poll,
// so a lost notification only delays a job.
package jobs
