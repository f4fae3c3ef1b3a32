package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/exchange"
)

// The JSON API of the exchange of experiences (docs/api.md). Pages make
// the same service calls (exchange_pages.go).

// listExchanges is GET /api/v1/exchanges: those the caller takes part in.
func (s *server) listExchanges(c *fiber.Ctx) error {
	list, err := s.exchange.Exchanges(c.UserContext(), exchangeActor(c))
	if err != nil {
		return err
	}
	out := make([]exchangeJSON, len(list))
	for i := range list {
		out[i] = exchangeJSONOf(&list[i])
	}
	return c.JSON(listOf(out))
}

// createExchange is POST /api/v1/exchanges.
func (s *server) createExchange(c *fiber.Ctx) error {
	var form exchangeForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	e, err := s.exchange.CreateExchange(c.UserContext(), exchangeActor(c), exchange.ExchangeParams{Title: form.Title,
		StartsOn: form.StartsOn, EndsOn: form.EndsOn, TimeZone: form.TimeZone, EventID: form.EventID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(exchangeJSONOf(e))
}

// showExchange is GET /api/v1/exchanges/{id}: the exchange with its
// participants and committee.
func (s *server) showExchange(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	acc, err := s.exchange.Access(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	parts, err := s.exchange.Participants(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	committee, err := s.exchange.Committee(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"exchange": exchangeJSONOf(acc.Exchange), "institutions": participantsJSON(parts), "committee": committee})
}

// setParticipants is PUT /api/v1/exchanges/{id}/participants.
func (s *server) setParticipants(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form participantsForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	params := make([]exchange.ParticipantParams, len(form.Institutions))
	for i, p := range form.Institutions {
		params[i] = exchange.ParticipantParams{InstitutionID: p.InstitutionID, DelegateIDs: p.DelegateIDs}
	}
	list, err := s.exchange.SetParticipants(c.UserContext(), exchangeActor(c), id, params)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"institutions": participantsJSON(list)})
}

// setCommittee is PUT /api/v1/exchanges/{id}/committee.
func (s *server) setCommittee(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form committeeForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	ids, err := s.exchange.SetCommittee(c.UserContext(), exchangeActor(c), id, form.UserIDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user_ids": ids})
}

// createOffer is POST /api/v1/exchanges/{id}/offers.
func (s *server) createOffer(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form offerForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	o, err := s.exchange.CreateOffer(c.UserContext(), exchangeActor(c), id, exchange.OfferParams{InstitutionID: form.InstitutionID,
		Title: form.Title, Summary: form.Summary, Themes: form.Themes, TargetPopulation: form.TargetPopulation,
		Results: form.Results, Contact: form.Contact})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(offerJSONOf(o))
}

// listOffers is GET /api/v1/exchanges/{id}/offers.
func (s *server) listOffers(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	offers, err := s.exchange.Offers(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	out := make([]offerJSON, len(offers))
	for i := range offers {
		out[i] = offerJSONOf(&offers[i])
	}
	return c.JSON(listOf(out))
}

// stateInterest is POST /api/v1/offers/{id}/interests.
func (s *server) stateInterest(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form interestForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	in, err := s.exchange.StateInterest(c.UserContext(), exchangeActor(c), id, exchange.InterestParams{
		InstitutionID: form.InstitutionID, Priority: form.Priority, Note: form.Note})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(interestJSON{ID: in.ID, OfferID: in.OfferID, InstitutionID: in.InstitutionID,
		Priority: in.Priority, Note: in.Note, CreatedAt: in.CreatedAt.UTC()})
}

// matrixFilter reads ?theme=&country=.
func matrixFilter(c *fiber.Ctx) exchange.MatrixFilter {
	return exchange.MatrixFilter{Theme: strings.Clone(c.Query("theme")), Country: strings.Clone(c.Query("country"))}
}

// matrix is GET /api/v1/exchanges/{id}/matrix.
func (s *server) matrix(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.exchange.Matrix(c.UserContext(), exchangeActor(c), id, matrixFilter(c))
	if err != nil {
		return err
	}
	type offerRow struct {
		ID            int64           `json:"id"`
		Title         string          `json:"title"`
		InstitutionID int64           `json:"institution_id"`
		Institution   string          `json:"institution"`
		Country       string          `json:"country"`
		Themes        []string        `json:"themes"`
		Interests     int             `json:"interests"`
		Files         []offerFileJSON `json:"files"`
	}
	type instCol struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Acronym   string `json:"acronym"`
		Country   string `json:"country"`
		Interests int    `json:"interests"`
	}
	type cell struct {
		OfferID       int64 `json:"offer_id"`
		InstitutionID int64 `json:"institution_id"`
		Priority      int   `json:"priority"`
	}
	type theme struct {
		Theme     string `json:"theme"`
		Label     string `json:"label"`
		Offers    int    `json:"offers"`
		Interests int    `json:"interests"`
	}
	out := struct {
		Offers       []offerRow `json:"offers"`
		Institutions []instCol  `json:"institutions"`
		Cells        []cell     `json:"cells"`
		ByTheme      []theme    `json:"by_theme"`
	}{Offers: []offerRow{}, Institutions: []instCol{}, Cells: []cell{}, ByTheme: []theme{}}
	for _, o := range m.Offers {
		out.Offers = append(out.Offers, offerRow{ID: o.Offer.ID, Title: o.Offer.Title, InstitutionID: o.Offer.InstitutionID,
			Institution: o.Institution.Name, Country: o.Institution.Country, Themes: offerJSONOf(&o.Offer).Themes, Interests: o.Interests,
			Files: offerFilesJSON(o.Files)})
	}
	for _, i := range m.Institutions {
		out.Institutions = append(out.Institutions, instCol{ID: i.Institution.ID, Name: i.Institution.Name, Acronym: i.Institution.Acronym,
			Country: i.Institution.Country, Interests: i.Interests})
	}
	for _, x := range m.Cells {
		out.Cells = append(out.Cells, cell{OfferID: x.OfferID, InstitutionID: x.InstitutionID, Priority: x.Priority})
	}
	for _, t := range m.ByTheme {
		out.ByTheme = append(out.ByTheme, theme{Theme: t.Theme.ID, Label: t.Theme.Label(lang(c)), Offers: t.Offers, Interests: t.Interests})
	}
	return c.JSON(out)
}

// createSlot is POST /api/v1/exchanges/{id}/slots.
func (s *server) createSlot(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form slotForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	var from, to *time.Time
	if err := rfc3339(true, timeField{"starts_at", form.StartsAt, &from}, timeField{"ends_at", form.EndsAt, &to}); err != nil {
		return err
	}
	sl, err := s.exchange.AddSlot(c.UserContext(), exchangeActor(c), id, exchange.SlotParams{StartsAt: *from, EndsAt: *to})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(slotJSON{ID: sl.ID, ExchangeID: sl.ExchangeID, StartsAt: sl.StartsAt.UTC(), EndsAt: sl.EndsAt.UTC()})
}

// createRoom is POST /api/v1/exchanges/{id}/rooms.
func (s *server) createRoom(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form roomForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	var from, until *time.Time
	if err := rfc3339(false, timeField{"available_from", form.AvailableFrom, &from}, timeField{"available_until", form.AvailableUntil, &until}); err != nil {
		return err
	}
	r, err := s.exchange.AddRoom(c.UserContext(), exchangeActor(c), id, exchange.RoomParams{Name: form.Name, Online: form.Online,
		AvailableFrom: from, AvailableUntil: until})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(roomJSON{ID: r.ID, ExchangeID: r.ExchangeID, Name: r.Name, Online: r.Online,
		AvailableFrom: utcTime(r.AvailableFrom), AvailableUntil: utcTime(r.AvailableUntil)})
}

// scheduleRounds is POST /api/v1/exchanges/{id}/schedule.
func (s *server) scheduleRounds(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := s.exchange.Schedule(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(scheduleJSONOf(t))
}

// showSchedule is GET /api/v1/exchanges/{id}/schedule: the rounds as
// they stand.
func (s *server) showSchedule(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, err := s.exchange.Timetable(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(scheduleJSONOf(t))
}

// moveRound is PATCH /api/v1/rounds/{id}.
func (s *server) moveRound(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form roundMoveForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	r, err := s.exchange.MoveRound(c.UserContext(), exchangeActor(c), id, exchange.MoveParams{SlotID: form.SlotID, RoomID: form.RoomID, Locked: form.Locked})
	if err != nil {
		return err
	}
	return c.JSON(roundJSONOf(r))
}

// myAgenda is GET /api/v1/exchanges/{id}/agenda: the rounds of the
// caller's delegation.
func (s *server) myAgenda(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, items, err := s.exchange.Agenda(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	type item struct {
		Round      roundJSON `json:"round"`
		OfferTitle string    `json:"offer_title"`
		StartsAt   time.Time `json:"starts_at"`
		EndsAt     time.Time `json:"ends_at"`
		Room       string    `json:"room"`
		Presenting bool      `json:"presenting"`
	}
	out := make([]item, len(items))
	for i, it := range items {
		out[i] = item{Round: roundJSONOf(&it.Round), OfferTitle: it.Offer.Title, StartsAt: it.Slot.StartsAt.UTC(), EndsAt: it.Slot.EndsAt.UTC(),
			Room: it.Room.Name, Presenting: it.Presenting}
	}
	return c.JSON(listOf(out))
}

// proposeAction is POST /api/v1/rounds/{id}/actions.
func (s *server) proposeAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form actionForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	a, err := s.exchange.ProposeAction(c.UserContext(), exchangeActor(c), id, exchange.ActionParams{Type: exchange.ActionType(form.Type),
		Description: form.Description, OfferingInstitutionID: form.OfferingInstitutionID, DemandingInstitutionID: form.DemandingInstitutionID,
		DurationDays: form.DurationDays, EstimatedCost: form.EstimatedCost})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(actionJSONOf(a))
}

// confirmAction is POST /api/v1/actions/{id}/confirm.
func (s *server) confirmAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	a, err := s.exchange.ConfirmAction(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(actionJSONOf(a))
}

// listActions is GET /api/v1/exchanges/{id}/actions: every action with
// its state.
func (s *server) listActions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	actions, err := s.exchange.Actions(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	out := make([]actionJSON, len(actions))
	for i := range actions {
		out[i] = actionJSONOf(&actions[i])
	}
	return c.JSON(listOf(out))
}

// showAction is GET /api/v1/actions/{id}: an action with its milestones
// and progress notes.
func (s *server) showAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.exchange.Action(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	ms := make([]milestoneJSON, len(d.Milestones))
	for i := range d.Milestones {
		ms[i] = milestoneJSONOf(&d.Milestones[i])
	}
	prog := make([]progressJSON, len(d.Progress))
	for i, p := range d.Progress {
		prog[i] = progressJSON{ID: p.ID, ActionID: p.ActionID, Note: p.Note, Status: p.Status, AuthorID: p.AuthorID, CreatedAt: p.CreatedAt.UTC(),
			ActionStatus: d.Action.Status}
	}
	return c.JSON(fiber.Map{"action": actionJSONOf(d.Action), "milestones": ms, "progress": prog})
}

// setRubric is PUT /api/v1/exchanges/{id}/rubric.
func (s *server) setRubric(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form rubricForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	params := make([]exchange.CriterionParams, len(form.Criteria))
	for i, cr := range form.Criteria {
		params[i] = exchange.CriterionParams{Name: cr.Name, Weight: cr.Weight}
	}
	list, err := s.exchange.SetRubric(c.UserContext(), exchangeActor(c), id, params)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"criteria": criteriaJSON(list)})
}

func criteriaJSON(list []exchange.Criterion) []criterionJSON {
	out := make([]criterionJSON, len(list))
	for i, cr := range list {
		out[i] = criterionJSON{Name: cr.Name, Weight: cr.Weight}
	}
	return out
}

// showRubric is GET /api/v1/exchanges/{id}/rubric.
func (s *server) showRubric(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Rubric(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"criteria": criteriaJSON(list)})
}

// reviewAction is POST /api/v1/actions/{id}/reviews.
func (s *server) reviewAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form reviewForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	r, err := s.exchange.ReviewAction(c.UserContext(), exchangeActor(c), id, exchange.ReviewParams{Scores: form.Scores, Comment: form.Comment})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(actionReviewJSON{ID: r.ID, ActionID: r.ActionID, ReviewerID: r.ReviewerID, Scores: r.Scores,
		WeightedScore: r.Weighted, Comment: r.Comment, CreatedAt: r.CreatedAt.UTC()})
}

// ranking is GET /api/v1/exchanges/{id}/ranking.
func (s *server) ranking(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Ranking(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	out := make([]rankedJSON, len(list))
	for i, r := range list {
		out[i] = rankedJSON{Action: actionJSONOf(&r.Action), MeanScore: r.Mean, Spread: r.Spread, MinScore: r.Min, MaxScore: r.Max, Reviews: r.Reviews}
	}
	return c.JSON(listOf(out))
}

// decideAction is POST /api/v1/actions/{id}/decision.
func (s *server) decideAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form decisionForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if form.Selected == nil {
		return validationError(map[string]message{"selected": {Key: "validation.required"}})
	}
	a, err := s.exchange.Decide(c.UserContext(), exchangeActor(c), id, exchange.DecisionParams{Selected: *form.Selected, Reason: form.Reason, Funding: form.Funding})
	if err != nil {
		return err
	}
	return c.JSON(actionJSONOf(a))
}

// addProgress is POST /api/v1/actions/{id}/progress.
func (s *server) addProgress(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form progressForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	p := exchange.ProgressParams{Note: form.Note, Report: form.Report}
	if form.Status != nil {
		st := exchange.Status(*form.Status)
		p.Status = &st
	}
	pr, a, err := s.exchange.AddProgress(c.UserContext(), exchangeActor(c), id, p)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(progressJSON{ID: pr.ID, ActionID: pr.ActionID, Note: pr.Note, Status: pr.Status,
		AuthorID: pr.AuthorID, CreatedAt: pr.CreatedAt.UTC(), ActionStatus: a.Status})
}

// addMilestone is POST /api/v1/actions/{id}/milestones.
func (s *server) addMilestone(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form milestoneForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	m, err := s.exchange.AddMilestone(c.UserContext(), exchangeActor(c), id, exchange.MilestoneParams{Title: form.Title, DueOn: form.DueOn})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(milestoneJSONOf(m))
}

// completeMilestone is POST /api/v1/milestones/{id}/done.
func (s *server) completeMilestone(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.exchange.CompleteMilestone(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(milestoneJSONOf(m))
}

// publishAction is POST /api/v1/actions/{id}/publish: the report becomes
// a draft country experience of the library. The body may say the
// report's language; without one it is the caller's.
func (s *server) publishAction(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form publishForm
	if len(c.Body()) > 0 {
		if err := parseBody(c, &form); err != nil {
			return err
		}
	}
	a, err := s.exchange.Publish(c.UserContext(), exchangeActor(c), id, form.params(c))
	if err != nil {
		return err
	}
	return c.JSON(actionJSONOf(a))
}
