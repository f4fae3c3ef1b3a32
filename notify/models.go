package notify

import (
	"time"

	"github.com/uptrace/bun"
)

// Status is where a message is.
type Status string

// The statuses of a message.
const (
	StatusQueued Status = "queued" // its job will send it
	StatusSent   Status = "sent"
	StatusHeld   Status = "held"   // no relay configured: read in the outbox only
	StatusFailed Status = "failed" // refused for good by the relay
)

// Statuses lists every status, in the order the outbox filters them.
var Statuses = []Status{StatusQueued, StatusSent, StatusHeld, StatusFailed}

// Message is one mail in the outbox.
type Message struct {
	bun.BaseModel `bun:"table:mail_messages,alias:mm"`

	ID        int64  `bun:"id,pk,autoincrement"`
	UserID    *int64 `bun:"user_id"`
	ToAddress string `bun:"to_address"`
	ToName    string `bun:"to_name"`
	Kind      string `bun:"kind"`
	Locale    string `bun:"locale"`
	Subject   string `bun:"subject"`
	TextBody  string `bun:"text_body"`
	HTMLBody  string `bun:"html_body"`
	// UnsubscribeURL is the one-click unsubscribe link (List-Unsubscribe);
	// nil for account mail, which cannot be turned off.
	UnsubscribeURL *string    `bun:"unsubscribe_url"`
	MessageID      string     `bun:"message_id"`
	Status         Status     `bun:"status"`
	Attempts       int        `bun:"attempts"`
	LastError      string     `bun:"last_error"`
	CreatedAt      time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	SentAt         *time.Time `bun:"sent_at"`
}
