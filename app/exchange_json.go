package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/locales"
)

// The exchange's JSON shapes and request bodies (docs/api.md, Exchange of
// experiences). Rules live in package exchange; these only carry fields.

// exchangeActor is who asks the exchange service.
func exchangeActor(c *fiber.Ctx) exchange.Actor { return exchange.ActorFor(currentUser(c)) }

type exchangeJSON struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	StartsOn  string    `json:"starts_on"`
	EndsOn    string    `json:"ends_on"`
	TimeZone  string    `json:"time_zone"`
	EventID   *int64    `json:"event_id"`
	CreatedAt time.Time `json:"created_at"`
}

func exchangeJSONOf(e *exchange.Exchange) exchangeJSON {
	return exchangeJSON{ID: e.ID, Title: e.Title, StartsOn: e.StartsOn.Format(time.DateOnly), EndsOn: e.EndsOn.Format(time.DateOnly),
		TimeZone: e.TimeZone, EventID: e.EventID, CreatedAt: e.CreatedAt.UTC()}
}

type exchangeForm struct {
	Title    string `json:"title" form:"title"`
	StartsOn string `json:"starts_on" form:"starts_on"`
	EndsOn   string `json:"ends_on" form:"ends_on"`
	TimeZone string `json:"time_zone" form:"time_zone"`
	EventID  *int64 `json:"event_id" form:"-"`
}

type participantsForm struct {
	Institutions []struct {
		InstitutionID int64   `json:"institution_id"`
		DelegateIDs   []int64 `json:"delegate_ids"`
	} `json:"institutions"`
}

type participantJSON struct {
	InstitutionID int64   `json:"institution_id"`
	Name          string  `json:"name"`
	Acronym       string  `json:"acronym"`
	Country       string  `json:"country"`
	DelegateIDs   []int64 `json:"delegate_ids"`
}

func participantsJSON(list []exchange.Participant) []participantJSON {
	out := make([]participantJSON, len(list))
	for i, p := range list {
		out[i] = participantJSON{InstitutionID: p.Institution.ID, Name: p.Institution.Name, Acronym: p.Institution.Acronym,
			Country: p.Institution.Country, DelegateIDs: []int64{}}
		for _, d := range p.Delegates {
			out[i].DelegateIDs = append(out[i].DelegateIDs, d.ID)
		}
	}
	return out
}

type committeeForm struct {
	UserIDs []int64 `json:"user_ids"`
}

type offerForm struct {
	InstitutionID    int64    `json:"institution_id"`
	Title            string   `json:"title"`
	Summary          string   `json:"summary"`
	Themes           []string `json:"themes"`
	TargetPopulation string   `json:"target_population"`
	Results          string   `json:"results"`
	Contact          string   `json:"contact"`
}

type offerJSON struct {
	ID               int64     `json:"id"`
	ExchangeID       int64     `json:"exchange_id"`
	InstitutionID    int64     `json:"institution_id"`
	Title            string    `json:"title"`
	Summary          string    `json:"summary"`
	Themes           []string  `json:"themes"`
	TargetPopulation string    `json:"target_population"`
	Results          string    `json:"results"`
	Contact          string    `json:"contact"`
	CreatedAt        time.Time `json:"created_at"`
}

func offerJSONOf(o *exchange.Offer) offerJSON {
	themes := o.Themes
	if themes == nil {
		themes = []string{}
	}
	return offerJSON{ID: o.ID, ExchangeID: o.ExchangeID, InstitutionID: o.InstitutionID, Title: o.Title, Summary: o.Summary,
		Themes: themes, TargetPopulation: o.TargetPopulation, Results: o.Results, Contact: o.Contact, CreatedAt: o.CreatedAt.UTC()}
}

type interestForm struct {
	InstitutionID int64  `json:"institution_id" form:"institution_id"`
	Priority      int    `json:"priority" form:"priority"`
	Note          string `json:"note" form:"note"`
}

type interestJSON struct {
	ID            int64     `json:"id"`
	OfferID       int64     `json:"offer_id"`
	InstitutionID int64     `json:"institution_id"`
	Priority      int       `json:"priority"`
	Note          string    `json:"note"`
	CreatedAt     time.Time `json:"created_at"`
}

type slotForm struct {
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
}

// rfc3339 reads the named RFC 3339 times; a missing or bad one is a 422
// naming its field. Optional times may be "" (left nil).
func rfc3339(required bool, fields ...timeField) error {
	bad := map[string]message{}
	for _, f := range fields {
		v := strings.TrimSpace(f.in)
		if v == "" && !required {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			bad[f.name] = message{Key: "exchange.invalid.datetime"}
			continue
		}
		*f.out = &t
	}
	if len(bad) > 0 {
		return validationError(bad)
	}
	return nil
}

// timeField is a time a body carries: its field name, the text sent and
// where to put it.
type timeField struct {
	name, in string
	out      **time.Time
}

type slotJSON struct {
	ID         int64     `json:"id"`
	ExchangeID int64     `json:"exchange_id"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
}

type roomForm struct {
	Name           string `json:"name"`
	Online         bool   `json:"online"`
	AvailableFrom  string `json:"available_from"`
	AvailableUntil string `json:"available_until"`
}

type roomJSON struct {
	ID             int64      `json:"id"`
	ExchangeID     int64      `json:"exchange_id"`
	Name           string     `json:"name"`
	Online         bool       `json:"online"`
	AvailableFrom  *time.Time `json:"available_from"`
	AvailableUntil *time.Time `json:"available_until"`
}

type roundJSON struct {
	ID             int64   `json:"id"`
	OfferID        int64   `json:"offer_id"`
	SlotID         int64   `json:"slot_id"`
	RoomID         int64   `json:"room_id"`
	InstitutionIDs []int64 `json:"institution_ids"`
	Locked         bool    `json:"locked"`
}

func roundJSONOf(r *exchange.Round) roundJSON {
	ids := r.Institutions
	if ids == nil {
		ids = []int64{}
	}
	return roundJSON{ID: r.ID, OfferID: r.OfferID, SlotID: r.SlotID, RoomID: r.RoomID, InstitutionIDs: ids, Locked: r.Locked}
}

type unservedJSON struct {
	OfferID       int64           `json:"offer_id"`
	InstitutionID int64           `json:"institution_id"`
	Reason        exchange.Reason `json:"reason"`
}

type scheduleJSON struct {
	Rounds   []roundJSON    `json:"rounds"`
	Unserved []unservedJSON `json:"unserved"`
}

func scheduleJSONOf(t *exchange.Timetable) scheduleJSON {
	out := scheduleJSON{Rounds: make([]roundJSON, len(t.Rounds)), Unserved: make([]unservedJSON, len(t.Unserved))}
	for i := range t.Rounds {
		out.Rounds[i] = roundJSONOf(&t.Rounds[i])
	}
	for i, u := range t.Unserved {
		out.Unserved[i] = unservedJSON{OfferID: u.OfferID, InstitutionID: u.Institution, Reason: u.Reason}
	}
	return out
}

type roundMoveForm struct {
	SlotID *int64 `json:"slot_id"`
	RoomID *int64 `json:"room_id"`
	Locked *bool  `json:"locked"`
}

type actionForm struct {
	Type                   string   `json:"type"`
	Description            string   `json:"description"`
	OfferingInstitutionID  int64    `json:"offering_institution_id"`
	DemandingInstitutionID int64    `json:"demanding_institution_id"`
	DurationDays           *int     `json:"duration_days"`
	EstimatedCost          *float64 `json:"estimated_cost"`
}

type actionJSON struct {
	ID                     int64               `json:"id"`
	ExchangeID             int64               `json:"exchange_id"`
	RoundID                int64               `json:"round_id"`
	Type                   exchange.ActionType `json:"type"`
	Description            string              `json:"description"`
	OfferingInstitutionID  int64               `json:"offering_institution_id"`
	DemandingInstitutionID int64               `json:"demanding_institution_id"`
	ProposingInstitutionID int64               `json:"proposing_institution_id"`
	DurationDays           *int                `json:"duration_days"`
	EstimatedCost          *float64            `json:"estimated_cost"`
	Status                 exchange.Status     `json:"status"`
	ConfirmedAt            *time.Time          `json:"confirmed_at"`
	DecisionReason         string              `json:"decision_reason"`
	Funding                *float64            `json:"funding"`
	DecidedAt              *time.Time          `json:"decided_at"`
	FinalReport            string              `json:"final_report"`
	PublishedAt            *time.Time          `json:"published_at"`
	LibraryRef             string              `json:"library_ref"`
	CreatedAt              time.Time           `json:"created_at"`
}

func actionJSONOf(a *exchange.Action) actionJSON {
	return actionJSON{ID: a.ID, ExchangeID: a.ExchangeID, RoundID: a.RoundID, Type: a.Type, Description: a.Description,
		OfferingInstitutionID: a.OfferingInstitutionID, DemandingInstitutionID: a.DemandingInstitutionID,
		ProposingInstitutionID: a.ProposingInstitutionID, DurationDays: a.DurationDays, EstimatedCost: a.EstimatedCost,
		Status: a.Status, ConfirmedAt: utcTime(a.ConfirmedAt), DecisionReason: a.DecisionReason, Funding: a.Funding,
		DecidedAt: utcTime(a.DecidedAt), FinalReport: a.FinalReport, PublishedAt: utcTime(a.PublishedAt),
		LibraryRef: a.LibraryRef, CreatedAt: a.CreatedAt.UTC()}
}

type rubricForm struct {
	Criteria []struct {
		Name   string  `json:"name"`
		Weight float64 `json:"weight"`
	} `json:"criteria"`
}

type criterionJSON struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

type reviewForm struct {
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment"`
}

type actionReviewJSON struct {
	ID            int64          `json:"id"`
	ActionID      int64          `json:"action_id"`
	ReviewerID    int64          `json:"reviewer_id"`
	Scores        map[string]int `json:"scores"`
	WeightedScore float64        `json:"weighted_score"`
	Comment       string         `json:"comment"`
	CreatedAt     time.Time      `json:"created_at"`
}

type rankedJSON struct {
	Action    actionJSON `json:"action"`
	MeanScore float64    `json:"mean_score"`
	Spread    float64    `json:"spread"`
	MinScore  float64    `json:"min_score"`
	MaxScore  float64    `json:"max_score"`
	Reviews   int        `json:"reviews"`
}

type decisionForm struct {
	Selected *bool    `json:"selected"`
	Reason   string   `json:"reason"`
	Funding  *float64 `json:"funding"`
}

type progressForm struct {
	Note   string  `json:"note"`
	Status *string `json:"status"`
	Report string  `json:"report"`
}

type progressJSON struct {
	ID           int64            `json:"id"`
	ActionID     int64            `json:"action_id"`
	Note         string           `json:"note"`
	Status       *exchange.Status `json:"status"`
	AuthorID     *int64           `json:"author_id"`
	CreatedAt    time.Time        `json:"created_at"`
	ActionStatus exchange.Status  `json:"action_status"`
}

type milestoneForm struct {
	Title string `json:"title"`
	DueOn string `json:"due_on"`
}

type milestoneJSON struct {
	ID       int64      `json:"id"`
	ActionID int64      `json:"action_id"`
	Title    string     `json:"title"`
	DueOn    *string    `json:"due_on"`
	DoneAt   *time.Time `json:"done_at"`
}

func milestoneJSONOf(m *exchange.Milestone) milestoneJSON {
	out := milestoneJSON{ID: m.ID, ActionID: m.ActionID, Title: m.Title, DoneAt: utcTime(m.DoneAt)}
	if m.DueOn != nil {
		d := m.DueOn.Format(time.DateOnly)
		out.DueOn = &d
	}
	return out
}

// publishForm is the body of publishing a report (API and page).
type publishForm struct {
	Language string `json:"language" form:"language"`
}

// params defaults the report's language to the caller's ("pt-BR" → "pt").
func (f publishForm) params(c *fiber.Ctx) exchange.PublishParams {
	l := strings.TrimSpace(f.Language)
	if l == "" {
		l = locales.Base(lang(c))
	}
	return exchange.PublishParams{Language: l}
}
