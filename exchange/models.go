package exchange

import (
	"time"

	"github.com/uptrace/bun"
)

// Exchange is one edition of the exchange of experiences.
type Exchange struct {
	bun.BaseModel `bun:"table:exchanges,alias:ex"`

	ID    int64  `bun:"id,pk,autoincrement"`
	Title string `bun:"title"`
	// StartsOn and EndsOn are calendar days in TimeZone (midnight UTC
	// stands for the day).
	StartsOn  time.Time `bun:"starts_on,type:date"`
	EndsOn    time.Time `bun:"ends_on,type:date"`
	TimeZone  string    `bun:"time_zone"`
	EventID   *int64    `bun:"event_id"`
	CreatedBy *int64    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt time.Time `bun:"updated_at,nullzero,default:current_timestamp"`
}

// Location returns the exchange's time zone (UTC if its name is unknown
// to this machine, which validation prevents).
func (e *Exchange) Location() *time.Location {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Opens is the first moment of the exchange, in its zone.
func (e *Exchange) Opens() time.Time {
	return time.Date(e.StartsOn.Year(), e.StartsOn.Month(), e.StartsOn.Day(), 0, 0, 0, 0, e.Location())
}

// Closes is the moment the exchange's last day ends, in its zone.
func (e *Exchange) Closes() time.Time {
	return time.Date(e.EndsOn.Year(), e.EndsOn.Month(), e.EndsOn.Day()+1, 0, 0, 0, 0, e.Location())
}

// participant is a row of exchange_participants.
type participant struct {
	bun.BaseModel `bun:"table:exchange_participants,alias:par"`

	ExchangeID    int64 `bun:"exchange_id,pk"`
	InstitutionID int64 `bun:"institution_id,pk"`
}

// delegate is a row of exchange_delegates.
type delegate struct {
	bun.BaseModel `bun:"table:exchange_delegates,alias:del"`

	ExchangeID    int64 `bun:"exchange_id,pk"`
	UserID        int64 `bun:"user_id,pk"`
	InstitutionID int64 `bun:"institution_id"`
}

// member is a row of exchange_committee.
type member struct {
	bun.BaseModel `bun:"table:exchange_committee,alias:com"`

	ExchangeID int64 `bun:"exchange_id,pk"`
	UserID     int64 `bun:"user_id,pk"`
}

// Offer is a programme or project an institution can share.
type Offer struct {
	bun.BaseModel `bun:"table:exchange_offers,alias:off"`

	ID               int64     `bun:"id,pk,autoincrement"`
	ExchangeID       int64     `bun:"exchange_id"`
	InstitutionID    int64     `bun:"institution_id"`
	Title            string    `bun:"title"`
	Summary          string    `bun:"summary"`
	Themes           []string  `bun:"themes,array"`
	TargetPopulation string    `bun:"target_population"`
	Results          string    `bun:"results"`
	Contact          string    `bun:"contact"`
	CreatedBy        *int64    `bun:"created_by"`
	CreatedAt        time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Interest is an institution's wish to hear an offer presented.
type Interest struct {
	bun.BaseModel `bun:"table:exchange_interests,alias:int"`

	ID            int64 `bun:"id,pk,autoincrement"`
	ExchangeID    int64 `bun:"exchange_id"`
	OfferID       int64 `bun:"offer_id"`
	InstitutionID int64 `bun:"institution_id"`
	// Priority is 1 (high) to 3 (low).
	Priority  int       `bun:"priority"`
	Note      string    `bun:"note"`
	CreatedBy *int64    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Slot is a time in which rounds run side by side.
type Slot struct {
	bun.BaseModel `bun:"table:exchange_slots,alias:slot"`

	ID         int64     `bun:"id,pk,autoincrement"`
	ExchangeID int64     `bun:"exchange_id"`
	StartsAt   time.Time `bun:"starts_at"`
	EndsAt     time.Time `bun:"ends_at"`
}

// Room is a place (or online room) a round is held in.
type Room struct {
	bun.BaseModel `bun:"table:exchange_rooms,alias:room"`

	ID         int64  `bun:"id,pk,autoincrement"`
	ExchangeID int64  `bun:"exchange_id"`
	Name       string `bun:"name"`
	Online     bool   `bun:"online"`
	// AvailableFrom and AvailableUntil limit when the room can be used
	// (nil: from the start, to the end of the exchange).
	AvailableFrom  *time.Time `bun:"available_from"`
	AvailableUntil *time.Time `bun:"available_until"`
}

// Holds reports whether the room can be used for the whole slot.
func (r *Room) Holds(s *Slot) bool {
	return (r.AvailableFrom == nil || !s.StartsAt.Before(*r.AvailableFrom)) &&
		(r.AvailableUntil == nil || !s.EndsAt.After(*r.AvailableUntil))
}

// Round is one offer presented in a slot and a room.
type Round struct {
	bun.BaseModel `bun:"table:exchange_rounds,alias:rnd"`

	ID         int64     `bun:"id,pk,autoincrement"`
	ExchangeID int64     `bun:"exchange_id"`
	OfferID    int64     `bun:"offer_id"`
	SlotID     int64     `bun:"slot_id"`
	RoomID     int64     `bun:"room_id"`
	Locked     bool      `bun:"locked"`
	CreatedAt  time.Time `bun:"created_at,nullzero,default:current_timestamp"`
	// Institutions are those the round serves, the presenter not among
	// them, in id order (from exchange_round_delegations).
	Institutions []int64 `bun:"-"`
}

// roundDelegation is a row of exchange_round_delegations.
type roundDelegation struct {
	bun.BaseModel `bun:"table:exchange_round_delegations,alias:rd"`

	RoundID       int64 `bun:"round_id,pk"`
	SlotID        int64 `bun:"slot_id"`
	InstitutionID int64 `bun:"institution_id,pk"`
	Presenting    bool  `bun:"presenting"`
}

// unservedRow is a row of exchange_unserved.
type unservedRow struct {
	bun.BaseModel `bun:"table:exchange_unserved,alias:uns"`

	ExchangeID    int64  `bun:"exchange_id"`
	OfferID       int64  `bun:"offer_id,pk"`
	InstitutionID int64  `bun:"institution_id,pk"`
	Reason        Reason `bun:"reason"`
}

// Criterion is one line of the committee's rubric.
type Criterion struct {
	bun.BaseModel `bun:"table:exchange_criteria,alias:crit"`

	ID         int64   `bun:"id,pk,autoincrement"`
	ExchangeID int64   `bun:"exchange_id"`
	Name       string  `bun:"name"`
	Weight     float64 `bun:"weight"`
	Position   int     `bun:"position"`
}

// ActionType is what kind of cooperation an action is.
type ActionType string

// ActionTypes lists every type of action, in the order forms offer them.
var ActionTypes = []ActionType{"expert_visit", "internship", "study_visit", "academic_activity",
	"technical_assistance", "document_exchange", "other"}

// Status is where a cooperation action is in its life.
type Status string

// Action states: a draft waits for the other side's confirmation; a
// proposed action is the committee's to review and decide; a selected one
// is followed up until completed or cancelled.
const (
	StatusDraft       Status = "draft"
	StatusProposed    Status = "proposed"
	StatusSelected    Status = "selected"
	StatusNotSelected Status = "not_selected"
	StatusInProgress  Status = "in_progress"
	StatusCompleted   Status = "completed"
	StatusCancelled   Status = "cancelled"
)

// Statuses lists every state, in the order of an action's life.
var Statuses = []Status{StatusDraft, StatusProposed, StatusSelected, StatusNotSelected, StatusInProgress, StatusCompleted, StatusCancelled}

// Action is a cooperation action between the offering and the demanding
// institution of a round.
type Action struct {
	bun.BaseModel `bun:"table:exchange_actions,alias:act"`

	ID                     int64      `bun:"id,pk,autoincrement"`
	ExchangeID             int64      `bun:"exchange_id"`
	RoundID                int64      `bun:"round_id"`
	Type                   ActionType `bun:"type"`
	Description            string     `bun:"description"`
	OfferingInstitutionID  int64      `bun:"offering_institution_id"`
	DemandingInstitutionID int64      `bun:"demanding_institution_id"`
	DurationDays           *int       `bun:"duration_days"`
	EstimatedCost          *float64   `bun:"estimated_cost"`
	Status                 Status     `bun:"status"`
	ProposedBy             *int64     `bun:"proposed_by"`
	ProposingInstitutionID int64      `bun:"proposing_institution_id"`
	ConfirmedBy            *int64     `bun:"confirmed_by"`
	ConfirmedAt            *time.Time `bun:"confirmed_at"`
	DecisionReason         string     `bun:"decision_reason"`
	Funding                *float64   `bun:"funding"`
	DecidedBy              *int64     `bun:"decided_by"`
	DecidedAt              *time.Time `bun:"decided_at"`
	FinalReport            string     `bun:"final_report"`
	PublishedAt            *time.Time `bun:"published_at"`
	LibraryRef             string     `bun:"library_ref"`
	CreatedAt              time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt              time.Time  `bun:"updated_at,nullzero,default:current_timestamp"`
}

// OtherSide is the institution of the action that did not propose it.
func (a *Action) OtherSide() int64 {
	if a.ProposingInstitutionID == a.OfferingInstitutionID {
		return a.DemandingInstitutionID
	}
	return a.OfferingInstitutionID
}

// Review is a committee member's scores of an action.
type Review struct {
	bun.BaseModel `bun:"table:exchange_reviews,alias:rev"`

	ID         int64          `bun:"id,pk,autoincrement"`
	ActionID   int64          `bun:"action_id"`
	ReviewerID int64          `bun:"reviewer_id"`
	Scores     map[string]int `bun:"scores,type:jsonb"`
	// Weighted is Σ weight × score / Σ weight, 1 to 5.
	Weighted  float64   `bun:"weighted"`
	Comment   string    `bun:"comment"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Milestone is a step of a selected action's plan.
type Milestone struct {
	bun.BaseModel `bun:"table:exchange_milestones,alias:ms"`

	ID        int64      `bun:"id,pk,autoincrement"`
	ActionID  int64      `bun:"action_id"`
	Title     string     `bun:"title"`
	DueOn     *time.Time `bun:"due_on,type:date"`
	DoneAt    *time.Time `bun:"done_at"`
	CreatedAt time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
}

// Progress is a dated note on a selected action, which may move it on.
type Progress struct {
	bun.BaseModel `bun:"table:exchange_progress,alias:prg"`

	ID        int64     `bun:"id,pk,autoincrement"`
	ActionID  int64     `bun:"action_id"`
	Note      string    `bun:"note"`
	Status    *Status   `bun:"status"`
	AuthorID  *int64    `bun:"author_id"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// NewStatus is the status the note moved its action to, "" if none.
func (p *Progress) NewStatus() Status {
	if p.Status == nil {
		return ""
	}
	return *p.Status
}

// OfferFile is a document attached to an offer. Its bytes are in the
// blob store under SHA256.
type OfferFile struct {
	bun.BaseModel `bun:"table:exchange_offer_files,alias:ofl"`

	ID          int64     `bun:"id,pk,autoincrement"`
	OfferID     int64     `bun:"offer_id"`
	SHA256      string    `bun:"sha256"`
	FileName    string    `bun:"file_name"`
	ContentType string    `bun:"content_type"`
	SizeBytes   int64     `bun:"size_bytes"`
	UploadedBy  *int64    `bun:"uploaded_by"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}
