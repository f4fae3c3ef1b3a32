-- The outbox: every mail Aula sends, written in the transaction of the
-- write that causes it (with the job that sends it), so a message exists
-- exactly when its cause committed. Kept after sending: admins read it at
-- /admin/mail, and with no SMTP relay configured it is the only delivery.
CREATE TABLE mail_messages (
    id               bigserial PRIMARY KEY,
    -- The recipient's account, when it has one; the address is kept as sent.
    user_id          bigint REFERENCES users (id) ON DELETE SET NULL,
    to_address       text NOT NULL CHECK (to_address ~ '^[^@\s]+@[^@\s]+$' AND length(to_address) <= 254),
    to_name          text NOT NULL DEFAULT '',
    -- What it says: account.password_reset, account.invitation, notice.enrolled, digest …
    kind             text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,62}$'),
    locale           text NOT NULL,
    subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
    text_body        text NOT NULL,
    html_body        text NOT NULL,
    -- One-click unsubscribe (RFC 8058) URL; NULL for account mail.
    unsubscribe_url  text,
    -- Fixed when written: a message sent again after a crash carries the
    -- same Message-ID, so receiving systems can tell it is the same one.
    message_id       text NOT NULL UNIQUE,
    -- queued: its job will send it; sent; held: no relay configured, read
    -- in the outbox only; failed: the relay refused it for good.
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'held', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The admin's outbox lists newest first, all or one status, or one address.
CREATE INDEX mail_messages_created_idx ON mail_messages (created_at DESC, id DESC);
CREATE INDEX mail_messages_status_idx ON mail_messages (status, created_at DESC, id DESC);
CREATE INDEX mail_messages_to_idx ON mail_messages (lower(to_address), created_at DESC);
CREATE INDEX mail_messages_user_idx ON mail_messages (user_id) WHERE user_id IS NOT NULL;
