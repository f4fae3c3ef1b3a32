package jobs

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// State is where a job is in its life.
type State string

// The states of a job.
const (
	StateAvailable State = "available" // waiting for its run_at
	StateRunning   State = "running"   // taken by a worker until its lease ends
	StateRetryable State = "retryable" // failed; tried again at run_at
	StateCompleted State = "completed"
	StateDiscarded State = "discarded" // given up, with its last error
)

// States lists every state, in the order the admin page shows them.
var States = []State{StateAvailable, StateRunning, StateRetryable, StateDiscarded, StateCompleted}

// Job is one piece of background work.
type Job struct {
	bun.BaseModel `bun:"table:jobs,alias:j"`

	ID          int64           `bun:"id,pk,autoincrement" json:"id"`
	Kind        string          `bun:"kind" json:"kind"`
	Args        json.RawMessage `bun:"args,type:jsonb" json:"args"`
	State       State           `bun:"state" json:"state"`
	Attempt     int             `bun:"attempt" json:"attempt"`
	MaxAttempts int             `bun:"max_attempts" json:"max_attempts"`
	RunAt       time.Time       `bun:"run_at,nullzero,default:current_timestamp" json:"run_at"`
	UniqueKey   *string         `bun:"unique_key" json:"unique_key,omitempty"`
	LockedBy    *string         `bun:"locked_by" json:"locked_by,omitempty"`
	LockedUntil *time.Time      `bun:"locked_until" json:"locked_until,omitempty"`
	LastError   string          `bun:"last_error" json:"last_error,omitempty"`
	CreatedAt   time.Time       `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt   time.Time       `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`
	FinishedAt  *time.Time      `bun:"finished_at" json:"finished_at,omitempty"`
}

// Decode reads the job's arguments into v.
func (j *Job) Decode(v any) error { return json.Unmarshal(j.Args, v) }

// Count is how many jobs of a kind are in a state.
type Count struct {
	Kind  string `bun:"kind" json:"kind"`
	State State  `bun:"state" json:"state"`
	N     int    `bun:"n" json:"count"`
}
