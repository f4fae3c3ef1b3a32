// Package notify tells people what happened: mail (an outbox in PostgreSQL
// sent by jobs over SMTP), in-app notifications, each user's preferences
// per kind of notice, daily digests and one-click unsubscribe.
//
// Every message is written in the transaction of the write that causes it
// (Send takes that transaction): the outbox row and the job that sends it
// commit together with the enrolment, the certificate or the password link,
// or not at all. A job of kind MailKind then hands the message to the SMTP
// relay, at least once (see docs/mail.md): a process killed after the relay
// accepted a message and before the row says so sends it again, with the
// same Message-ID. With no relay configured the message is held in the
// outbox, which admins read at /admin/mail.
//
// Messages are rendered when written, in the recipient's language, from the
// catalogs (notify.json) and the layouts in templates/: plain text and HTML,
// links built from the installation's base URL.
//
// The package knows nothing of HTTP; other domains reach it through hooks
// wiring registers, and it reads accounts' users only through accounts'
// functions.
package notify
