package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// exchangeEnv is an exchange with three institutions (Mexico, Brazil,
// Portugal), one delegate each, and a committee of three: one from
// Mexico, one from Portugal, one external member with no institution.
type exchangeEnv struct {
	*env
	admin                  string
	id                     int64
	mx, br, pt, outsider   *accounts.Institution
	mxTok, brTok, ptTok    string
	mxMember, ptMember     string
	external               string
	mxOffer, brOffer       int64
	mxBrowser, brBrowser   *client
	committeeBrowser       *client
	mxDelegate, brDelegate *accounts.User
}

func (e *env) institutionIn(name, country string) *accounts.Institution {
	e.t.Helper()
	inst := &accounts.Institution{Name: name, Acronym: unique("I"), Country: country}
	if err := accounts.NewStore(e.db).InsertInstitution(context.Background(), inst); err != nil {
		e.t.Fatal(err)
	}
	return inst
}

// member creates a user of inst (nil: none) and returns their token,
// the user and a browser signed in as them.
func (e *env) member(inst *accounts.Institution) (string, *accounts.User, *client) {
	e.t.Helper()
	u := e.user(accounts.RoleLearner)
	if inst != nil {
		u.InstitutionID = &inst.ID
		if err := accounts.NewStore(e.db).UpdateUser(context.Background(), u, "institution_id"); err != nil {
			e.t.Fatal(err)
		}
	}
	res := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": testPassword})
	wantStatus(e.t, res, http.StatusCreated)
	var out struct{ Token string }
	decode(e.t, res, &out)
	b := e.browser()
	if res := b.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in: %d", res.StatusCode)
	}
	return out.Token, u, b
}

func newExchangeEnv(t *testing.T) *exchangeEnv {
	t.Helper()
	return exchangeEnvOn(t, newEnv(t))
}

// exchangeEnvOn sets the exchange up on the installation e.
func exchangeEnvOn(t *testing.T, e *env) *exchangeEnv {
	t.Helper()
	x := &exchangeEnv{env: e}
	x.admin, _ = x.token(accounts.RoleAdmin)
	x.mx = x.institutionIn("Instituto Mexicano del Seguro Social Peña", "MX")
	x.br = x.institutionIn("Instituto Nacional do Seguro Social João", "BR")
	x.pt = x.institutionIn("Instituto da Segurança Social Conceição", "PT")
	x.outsider = x.institutionIn("Caja Costarricense", "CR")
	var ptDelegate *accounts.User
	x.mxTok, x.mxDelegate, x.mxBrowser = x.member(x.mx)
	x.brTok, x.brDelegate, x.brBrowser = x.member(x.br)
	x.ptTok, ptDelegate, _ = x.member(x.pt)
	var mxMember, ptMember, external *accounts.User
	x.mxMember, mxMember, _ = x.member(x.mx)
	x.ptMember, ptMember, _ = x.member(x.pt)
	x.external, external, x.committeeBrowser = x.member(nil)

	res := x.api(http.MethodPost, "/api/v1/exchanges", x.admin, map[string]any{"title": "Intercambio de experiencias 2027",
		"starts_on": "2027-03-10", "ends_on": "2027-03-11", "time_zone": "America/Mexico_City"})
	wantStatus(t, res, http.StatusCreated)
	var ex struct{ ID int64 }
	decode(t, res, &ex)
	x.id = ex.ID
	res = x.api(http.MethodPut, x.path("/participants"), x.admin, map[string]any{"institutions": []map[string]any{
		{"institution_id": x.mx.ID, "delegate_ids": []int64{x.mxDelegate.ID}},
		{"institution_id": x.br.ID, "delegate_ids": []int64{x.brDelegate.ID}},
		{"institution_id": x.pt.ID, "delegate_ids": []int64{ptDelegate.ID}},
	}})
	wantStatus(t, res, http.StatusOK)
	res = x.api(http.MethodPut, x.path("/committee"), x.admin, map[string]any{"user_ids": []int64{mxMember.ID, ptMember.ID, external.ID}})
	wantStatus(t, res, http.StatusOK)
	x.mxOffer = x.offer(x.mxTok, x.mx.ID, "Cuidados para personas mayores", "elderly-care")
	x.brOffer = x.offer(x.brTok, x.br.ID, "Programa de segurança alimentar", "food-security", "social-assistance")
	return x
}

func (x *exchangeEnv) path(rest string) string {
	return fmt.Sprintf("/api/v1/exchanges/%d%s", x.id, rest)
}

func (x *exchangeEnv) offer(token string, inst int64, title string, themes ...string) int64 {
	x.t.Helper()
	res := x.api(http.MethodPost, x.path("/offers"), token, map[string]any{"institution_id": inst, "title": title,
		"summary": "Cobertura y financiamiento", "themes": themes})
	wantStatus(x.t, res, http.StatusCreated)
	var o struct{ ID int64 }
	decode(x.t, res, &o)
	return o.ID
}

func (x *exchangeEnv) interest(token string, offer, inst int64, priority int) response {
	x.t.Helper()
	return x.api(http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/interests", offer), token,
		map[string]any{"institution_id": inst, "priority": priority, "note": "¿Cómo se financia?"})
}

// interests: Brazil and Portugal want Mexico's offer, Mexico and Portugal
// Brazil's.
func (x *exchangeEnv) interests() {
	x.t.Helper()
	wantStatus(x.t, x.interest(x.brTok, x.mxOffer, x.br.ID, 1), http.StatusCreated)
	wantStatus(x.t, x.interest(x.ptTok, x.mxOffer, x.pt.ID, 2), http.StatusCreated)
	wantStatus(x.t, x.interest(x.mxTok, x.brOffer, x.mx.ID, 1), http.StatusCreated)
	wantStatus(x.t, x.interest(x.ptTok, x.brOffer, x.pt.ID, 3), http.StatusCreated)
}

func (x *exchangeEnv) slot(from, to string) int64 {
	x.t.Helper()
	res := x.api(http.MethodPost, x.path("/slots"), x.admin, map[string]any{"starts_at": from, "ends_at": to})
	wantStatus(x.t, res, http.StatusCreated)
	var s struct{ ID int64 }
	decode(x.t, res, &s)
	return s.ID
}

func (x *exchangeEnv) room(name string) int64 {
	x.t.Helper()
	res := x.api(http.MethodPost, x.path("/rooms"), x.admin, map[string]any{"name": name})
	wantStatus(x.t, res, http.StatusCreated)
	var r struct{ ID int64 }
	decode(x.t, res, &r)
	return r.ID
}

type scheduleOut struct {
	Rounds []struct {
		ID             int64   `json:"id"`
		OfferID        int64   `json:"offer_id"`
		SlotID         int64   `json:"slot_id"`
		RoomID         int64   `json:"room_id"`
		InstitutionIDs []int64 `json:"institution_ids"`
		Locked         bool    `json:"locked"`
	} `json:"rounds"`
	Unserved []struct {
		OfferID       int64  `json:"offer_id"`
		InstitutionID int64  `json:"institution_id"`
		Reason        string `json:"reason"`
	} `json:"unserved"`
}

func (x *exchangeEnv) schedule() scheduleOut {
	x.t.Helper()
	res := x.api(http.MethodPost, x.path("/schedule"), x.admin, nil)
	wantStatus(x.t, res, http.StatusOK)
	var out scheduleOut
	decode(x.t, res, &out)
	return out
}

// TestExchangeMatrix: offers and interests make the matrix, with counts
// per row and column, interest by theme, the filters, the chart and the
// CSV; nobody states interest in their own offer, or twice.
func TestExchangeMatrix(t *testing.T) {
	x := newExchangeEnv(t)
	x.interests()

	res := x.interest(x.mxTok, x.mxOffer, x.mx.ID, 1)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var apiErr apiError
	decode(t, res, &apiErr)
	if apiErr.Error.Fields["institution_id"] == "" {
		t.Errorf("own offer: %s, want a message on institution_id", res.body)
	}
	wantStatus(t, x.interest(x.brTok, x.mxOffer, x.br.ID, 2), http.StatusConflict)
	// A delegate states interest for their own institution only.
	wantStatus(t, x.interest(x.brTok, x.brOffer, x.pt.ID, 2), http.StatusForbidden)

	res = x.api(http.MethodGet, x.path("/matrix"), x.external, nil)
	wantStatus(t, res, http.StatusOK)
	var m struct {
		Offers []struct {
			ID        int64 `json:"id"`
			Interests int   `json:"interests"`
		} `json:"offers"`
		Institutions []struct {
			ID        int64 `json:"id"`
			Interests int   `json:"interests"`
		} `json:"institutions"`
		Cells []struct {
			OfferID       int64 `json:"offer_id"`
			InstitutionID int64 `json:"institution_id"`
			Priority      int   `json:"priority"`
		} `json:"cells"`
		ByTheme []struct {
			Theme     string `json:"theme"`
			Offers    int    `json:"offers"`
			Interests int    `json:"interests"`
		} `json:"by_theme"`
	}
	decode(t, res, &m)
	if len(m.Offers) != 2 || len(m.Cells) != 4 || len(m.Institutions) != 3 {
		t.Fatalf("matrix %s", res.body)
	}
	perInst := map[int64]int{}
	for _, i := range m.Institutions {
		perInst[i.ID] = i.Interests
	}
	if perInst[x.pt.ID] != 2 || perInst[x.mx.ID] != 1 || perInst[x.br.ID] != 1 {
		t.Errorf("interests per institution %v", perInst)
	}
	themes := map[string][2]int{}
	for _, th := range m.ByTheme {
		themes[th.Theme] = [2]int{th.Offers, th.Interests}
	}
	if themes["food-security"] != [2]int{1, 2} || themes["elderly-care"] != [2]int{1, 2} || themes["pensions"] != [2]int{0, 0} {
		t.Errorf("by theme %v", themes)
	}
	res = x.api(http.MethodGet, x.path("/matrix?theme=elderly-care"), x.brTok, nil)
	decode(t, res, &m)
	if len(m.Offers) != 1 || m.Offers[0].ID != x.mxOffer || len(m.Cells) != 2 {
		t.Errorf("filtered by theme: %s", res.body)
	}
	res = x.api(http.MethodGet, x.path("/matrix?country=BR"), x.brTok, nil)
	decode(t, res, &m)
	if len(m.Offers) != 1 || m.Offers[0].ID != x.brOffer {
		t.Errorf("filtered by country: %s", res.body)
	}

	csv := x.api(http.MethodGet, x.path("/matrix.csv"), x.brTok, nil)
	wantStatus(t, csv, http.StatusOK)
	if !strings.HasPrefix(csv.body, "\uFEFF") || !strings.Contains(csv.body, "Instituto Mexicano del Seguro Social Peña") ||
		!strings.Contains(csv.body, "Programa de segurança alimentar") {
		t.Errorf("matrix CSV:\n%s", csv.body)
	}

	page := x.committeeBrowser.get(fmt.Sprintf("/exchanges/%d/matrix", x.id))
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"<svg", "Food security", "Care for older persons", "Instituto Mexicano del Seguro Social Peña", "high"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("matrix page lacks %q", want)
		}
	}
	x.committeeBrowser.post("/language", url.Values{"lang": {"pt-PT"}, "next": {"/"}})
	page = x.committeeBrowser.get(fmt.Sprintf("/exchanges/%d/matrix", x.id))
	if !strings.Contains(page.body, "Matriz de oferta e procura") || !strings.Contains(page.body, "Cuidados às pessoas idosas") {
		t.Errorf("matrix page in pt-PT:\n%s", page.body)
	}
}

// TestExchangeBadInput: a slot that ends before it starts, a slot or room
// outside the exchange's dates, a delegate of another institution, an
// offer of a non-participant, a priority or score out of range: 422
// naming the field, nothing written.
func TestExchangeBadInput(t *testing.T) {
	x := newExchangeEnv(t)
	field := func(res response, status int, name string) {
		t.Helper()
		wantStatus(t, res, status)
		var e apiError
		decode(t, res, &e)
		if e.Error.Fields[name] == "" {
			t.Errorf("%s: no message for %s: %s", res.Request.URL, name, res.body)
		}
	}
	post := func(path string, body any) response { return x.api(http.MethodPost, x.path(path), x.admin, body) }
	field(post("/slots", map[string]any{"starts_at": "2027-03-10T12:00:00-06:00", "ends_at": "2027-03-10T11:00:00-06:00"}), 422, "ends_at")
	field(post("/slots", map[string]any{"starts_at": "2027-03-09T12:00:00-06:00", "ends_at": "2027-03-09T13:00:00-06:00"}), 422, "starts_at")
	// 23:30 in Mexico City on the last day is 05:30 UTC the next day: inside.
	wantStatus(t, post("/slots", map[string]any{"starts_at": "2027-03-11T23:00:00-06:00", "ends_at": "2027-03-11T23:30:00-06:00"}), 201)
	field(post("/slots", map[string]any{"starts_at": "2027-03-11T23:30:00-06:00", "ends_at": "2027-03-12T00:30:00-06:00"}), 422, "ends_at")
	field(post("/slots", map[string]any{"starts_at": "2027-03-11T23:10:00-06:00", "ends_at": "2027-03-11T23:20:00-06:00"}), 422, "starts_at")
	field(post("/slots", map[string]any{"starts_at": "tomorrow", "ends_at": "2027-03-11T23:20:00-06:00"}), 422, "starts_at")
	field(post("/rooms", map[string]any{"name": "Sala Peña", "available_from": "2027-03-01T09:00:00-06:00"}), 422, "available_from")
	field(post("/rooms", map[string]any{"name": ""}), 422, "name")

	res := x.api(http.MethodPut, x.path("/participants"), x.admin, map[string]any{"institutions": []map[string]any{
		{"institution_id": x.mx.ID, "delegate_ids": []int64{x.brDelegate.ID}},
	}})
	field(res, 422, "institutions[0].delegate_ids")
	// Nothing changed: Brazil's delegate still enters offers.
	x.offer(x.brTok, x.br.ID, "Segundo programa")

	res = x.api(http.MethodPost, x.path("/offers"), x.admin, map[string]any{"institution_id": x.outsider.ID, "title": "Programa"})
	field(res, 422, "institution_id")
	res = x.api(http.MethodPost, x.path("/offers"), x.mxTok, map[string]any{"institution_id": x.mx.ID, "title": "Programa", "themes": []string{"astrology"}})
	field(res, 422, "themes")
	field(x.interest(x.brTok, x.mxOffer, x.br.ID, 4), 422, "priority")
	field(x.api(http.MethodPost, "/api/v1/exchanges", x.admin, map[string]any{"title": "X", "starts_on": "2027-03-10", "ends_on": "2027-03-09",
		"time_zone": "America/Lima"}), 422, "ends_on")
	field(x.api(http.MethodPost, "/api/v1/exchanges", x.admin, map[string]any{"title": "X", "starts_on": "2027-03-10", "ends_on": "2027-03-11",
		"time_zone": "America/Lima", "event_id": 987654321}), 422, "event_id")
	// Outsiders do not see the exchange; a delegate may not administer it.
	outsider, _ := x.token(accounts.RoleInstructor)
	wantStatus(t, x.api(http.MethodGet, x.path("/matrix"), outsider, nil), http.StatusNotFound)
	wantStatus(t, x.api(http.MethodPost, x.path("/slots"), x.mxTok, map[string]any{}), http.StatusForbidden)
}

// TestExchangeScheduleAgendaAndMoves: scheduling serves every interest
// when it can, each delegation gets its agenda (page and .ics), a move
// that double-books a room or a delegation is a 409 and changes nothing,
// and a locked round stays where it was put.
func TestExchangeScheduleAgendaAndMoves(t *testing.T) {
	x := newExchangeEnv(t)
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.slot("2027-03-10T11:30:00-06:00", "2027-03-10T12:30:00-06:00")
	r1 := x.room("Sala Peña")
	r2 := x.room("Sala virtual")

	out := x.schedule()
	if len(out.Rounds) != 2 || len(out.Unserved) != 0 {
		t.Fatalf("schedule %+v", out)
	}
	if out.Rounds[0].SlotID == out.Rounds[1].SlotID {
		t.Fatalf("Mexico and Brazil want each other's offers; both rounds in one slot: %+v", out)
	}
	byOffer := map[int64]int{}
	for i, r := range out.Rounds {
		byOffer[r.OfferID] = i
	}
	mxRound, brRound := out.Rounds[byOffer[x.mxOffer]], out.Rounds[byOffer[x.brOffer]]
	if !slices.Equal(mxRound.InstitutionIDs, sortedIDs(x.br.ID, x.pt.ID)) {
		t.Errorf("Mexico's round serves %v", mxRound.InstitutionIDs)
	}

	res := x.api(http.MethodGet, x.path("/agenda"), x.brTok, nil)
	wantStatus(t, res, http.StatusOK)
	var agenda struct {
		Items []struct {
			OfferTitle string `json:"offer_title"`
			Presenting bool   `json:"presenting"`
		} `json:"items"`
	}
	decode(t, res, &agenda)
	if len(agenda.Items) != 2 {
		t.Fatalf("Brazil's agenda: %s", res.body)
	}
	ics := x.brBrowser.get(fmt.Sprintf("/exchanges/%d/agenda.ics", x.id))
	wantStatus(t, ics, http.StatusOK)
	if !strings.Contains(ics.body, "SUMMARY:Cuidados para personas mayores") || !strings.Contains(ics.body, "LOCATION:Sala") ||
		strings.Count(ics.body, "BEGIN:VEVENT") != 2 || !strings.Contains(ics.body, "DTSTART:20270310T") {
		t.Errorf("agenda .ics:\n%s", ics.body)
	}
	page := x.brBrowser.get(fmt.Sprintf("/exchanges/%d/agenda", x.id))
	if !strings.Contains(page.body, "Cuidados para personas mayores") || !strings.Contains(page.body, "You present") {
		t.Errorf("agenda page:\n%s", page.body)
	}

	// Brazil's round into Mexico's slot: Mexico presents there and would
	// be expected at Brazil's round too.
	other := r1
	if mxRound.RoomID == r1 {
		other = r2
	}
	res = x.api(http.MethodPatch, fmt.Sprintf("/api/v1/rounds/%d", brRound.ID), x.admin, map[string]any{"slot_id": mxRound.SlotID, "room_id": other})
	wantStatus(t, res, http.StatusConflict)
	// Brazil's round into the room Mexico's holds in that slot.
	res = x.api(http.MethodPatch, fmt.Sprintf("/api/v1/rounds/%d", brRound.ID), x.admin, map[string]any{"slot_id": mxRound.SlotID, "room_id": mxRound.RoomID})
	wantStatus(t, res, http.StatusConflict)
	res = x.api(http.MethodGet, x.path("/schedule"), x.mxTok, nil)
	var now scheduleOut
	decode(t, res, &now)
	if fmt.Sprint(now.Rounds) != fmt.Sprint(out.Rounds) {
		t.Errorf("refused moves changed the schedule:\n%+v\n%+v", out.Rounds, now.Rounds)
	}

	// A move that fits locks the round; scheduling again keeps it.
	res = x.api(http.MethodPatch, fmt.Sprintf("/api/v1/rounds/%d", brRound.ID), x.admin, map[string]any{"room_id": otherRoom(brRound.RoomID, r1, r2)})
	wantStatus(t, res, http.StatusOK)
	again := x.schedule()
	for _, r := range again.Rounds {
		if r.OfferID == x.brOffer && (r.RoomID != otherRoom(brRound.RoomID, r1, r2) || !r.Locked || r.SlotID != brRound.SlotID) {
			t.Errorf("locked round moved by scheduling: %+v", r)
		}
	}
}

func otherRoom(room, a, b int64) int64 {
	if room == a {
		return b
	}
	return a
}

func sortedIDs(ids ...int64) []int64 { return slices.Sorted(slices.Values(ids)) }

// TestExchangeTwoAdminsScheduleAtOnce: both get the same schedule, and
// the exchange has one round per offer, not two.
func TestExchangeTwoAdminsScheduleAtOnce(t *testing.T) {
	x := newExchangeEnv(t)
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.slot("2027-03-10T11:30:00-06:00", "2027-03-10T12:30:00-06:00")
	x.room("Sala Peña")
	second, _ := x.token(accounts.RoleAdmin)
	var wg sync.WaitGroup
	results := make([]response, 2)
	for i, tok := range []string{x.admin, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = x.api(http.MethodPost, x.path("/schedule"), tok, nil)
		}()
	}
	wg.Wait()
	plans := make([]string, 2)
	for i, res := range results {
		wantStatus(t, res, http.StatusOK)
		var out scheduleOut
		decode(t, res, &out)
		for _, r := range out.Rounds {
			plans[i] += fmt.Sprintf("%d@%d/%d%v ", r.OfferID, r.SlotID, r.RoomID, r.InstitutionIDs)
		}
	}
	if plans[0] != plans[1] || plans[0] == "" {
		t.Errorf("two schedules: %q and %q", plans[0], plans[1])
	}
	n, err := x.db.NewSelect().Table("exchange_rounds").Where("exchange_id = ?", x.id).Count(context.Background())
	if err != nil || n != 2 {
		t.Errorf("%d rounds (%v), want 2", n, err)
	}
}

// TestExchangeActionsReviewsAndFollowUp: an action proposed by one side
// and confirmed by the other, reviewed on the rubric (conflict of
// interest refused, twice refused, a score out of range refused), ranked,
// decided and followed up to its final report.
func TestExchangeActionsReviewsAndFollowUp(t *testing.T) {
	x := newExchangeEnv(t)
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.slot("2027-03-10T11:30:00-06:00", "2027-03-10T12:30:00-06:00")
	x.room("Sala Peña")
	out := x.schedule()
	var mxRound int64
	for _, r := range out.Rounds {
		if r.OfferID == x.mxOffer {
			mxRound = r.ID
		}
	}
	res := x.api(http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/actions", mxRound), x.brTok, map[string]any{"type": "internship",
		"description": "Pasantía de dos técnicos del INSS en Ciudad de México", "offering_institution_id": x.mx.ID,
		"demanding_institution_id": x.br.ID, "duration_days": 10, "estimated_cost": 12500.5})
	wantStatus(t, res, http.StatusCreated)
	var action struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	decode(t, res, &action)
	if action.Status != "draft" {
		t.Errorf("new action %s", res.body)
	}
	actionPath := fmt.Sprintf("/api/v1/actions/%d", action.ID)
	wantStatus(t, x.api(http.MethodPost, actionPath+"/confirm", x.brTok, nil), http.StatusForbidden)
	wantStatus(t, x.api(http.MethodPost, actionPath+"/confirm", x.ptTok, nil), http.StatusForbidden)
	// Reviews wait for the other side's confirmation.
	res = x.api(http.MethodPut, x.path("/rubric"), x.admin, map[string]any{"criteria": []map[string]any{
		{"name": "Impacto", "weight": 2}, {"name": "Viabilidad", "weight": 1}}})
	wantStatus(t, res, http.StatusOK)
	score := func(token string, impact, feasibility int) response {
		return x.api(http.MethodPost, actionPath+"/reviews", token, map[string]any{"scores": map[string]int{"Impacto": impact, "Viabilidad": feasibility},
			"comment": "Buena articulación"})
	}
	wantStatus(t, score(x.external, 4, 4), http.StatusConflict)
	res = x.api(http.MethodPost, actionPath+"/confirm", x.mxTok, nil)
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &action)
	if action.Status != "proposed" {
		t.Errorf("confirmed action %s", res.body)
	}
	wantStatus(t, x.api(http.MethodPost, actionPath+"/confirm", x.mxTok, nil), http.StatusConflict)

	res = score(x.mxMember, 5, 5)
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.body, "conflict_of_interest") {
		t.Errorf("conflict of interest: %s", res.body)
	}
	wantStatus(t, score(x.brTok, 5, 5), http.StatusForbidden) // not on the committee
	res = score(x.external, 6, 3)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "scores.Impacto") {
		t.Errorf("score out of range: %s", res.body)
	}
	wantStatus(t, score(x.external, 5, 2), http.StatusCreated) // (10+2)/3 = 4
	wantStatus(t, score(x.external, 5, 2), http.StatusConflict)
	wantStatus(t, score(x.ptMember, 2, 2), http.StatusCreated) // 2
	// The rubric is fixed once reviews use it.
	wantStatus(t, x.api(http.MethodPut, x.path("/rubric"), x.admin, map[string]any{"criteria": []map[string]any{{"name": "Otro", "weight": 1}}}), http.StatusConflict)

	res = x.api(http.MethodGet, x.path("/ranking"), x.external, nil)
	wantStatus(t, res, http.StatusOK)
	var ranking struct {
		Items []struct {
			MeanScore float64 `json:"mean_score"`
			Spread    float64 `json:"spread"`
			Reviews   int     `json:"reviews"`
		} `json:"items"`
	}
	decode(t, res, &ranking)
	if len(ranking.Items) != 1 || ranking.Items[0].MeanScore != 3 || ranking.Items[0].Spread != 1 || ranking.Items[0].Reviews != 2 {
		t.Errorf("ranking %s", res.body)
	}
	wantStatus(t, x.api(http.MethodGet, x.path("/ranking"), x.brTok, nil), http.StatusForbidden)
	page := x.committeeBrowser.get(fmt.Sprintf("/exchanges/%d/ranking", x.id))
	if !strings.Contains(page.body, "3.00") || !strings.Contains(page.body, "Internship") {
		t.Errorf("ranking page:\n%s", page.body)
	}

	res = x.api(http.MethodPost, actionPath+"/decision", x.admin, map[string]any{"selected": false})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = x.api(http.MethodPost, actionPath+"/decision", x.admin, map[string]any{"selected": true, "reason": "Alto impacto", "funding": 10000})
	wantStatus(t, res, http.StatusOK)
	wantStatus(t, x.api(http.MethodPost, actionPath+"/decision", x.admin, map[string]any{"selected": true, "reason": "Otra vez"}), http.StatusConflict)
	// Both institutions' delegates are told, with the committee's reason.
	for _, d := range []*accounts.User{x.mxDelegate, x.brDelegate} {
		if got := x.decisionMail(d); !strings.Contains(got, "Alto impacto") || !strings.Contains(got, "selected an action of your institution") {
			t.Errorf("decision mail to %s:\n%s", d.Email, got)
		}
	}

	progress := func(token string, body map[string]any) response {
		return x.api(http.MethodPost, actionPath+"/progress", token, body)
	}
	wantStatus(t, progress(x.ptTok, map[string]any{"note": "No es nuestra"}), http.StatusForbidden)
	wantStatus(t, progress(x.brTok, map[string]any{"note": "Ya empezó", "status": "completed", "report": "x"}), http.StatusUnprocessableEntity)
	wantStatus(t, progress(x.brTok, map[string]any{"note": "Llegaron los técnicos", "status": "in_progress"}), http.StatusCreated)
	wantStatus(t, x.api(http.MethodPost, actionPath+"/milestones", x.mxTok, map[string]any{"title": "Informe de medio término", "due_on": "2027-06-30"}), http.StatusCreated)
	wantStatus(t, progress(x.mxTok, map[string]any{"note": "Terminada", "status": "completed"}), http.StatusUnprocessableEntity)
	res = progress(x.mxTok, map[string]any{"note": "Terminada", "status": "completed", "report": "Se adaptó el modelo de cuidados."})
	wantStatus(t, res, http.StatusCreated)
	if !strings.Contains(res.body, `"action_status":"completed"`) {
		t.Errorf("progress %s", res.body)
	}
	wantStatus(t, progress(x.mxTok, map[string]any{"note": "Más"}), http.StatusConflict)
	res = x.api(http.MethodPost, actionPath+"/publish", x.admin, nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"published_at":"`) {
		t.Errorf("published %s", res.body)
	}

	page = x.mxBrowser.get(fmt.Sprintf("/exchanges/%d/actions", x.id))
	if !strings.Contains(page.body, "Completed") || !strings.Contains(page.body, "Pasantía de dos técnicos") {
		t.Errorf("follow-up page:\n%s", page.body)
	}
	page = x.mxBrowser.get(fmt.Sprintf("/actions/%d", action.ID))
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Se adaptó el modelo de cuidados.", "Informe de medio término", "Llegaron los técnicos", x.brDelegate.Name} {
		if !strings.Contains(page.body, want) {
			t.Errorf("action page lacks %q", want)
		}
	}
	csv := x.mxBrowser.get(fmt.Sprintf("/exchanges/%d/actions.csv", x.id))
	if !strings.Contains(csv.body, "12500.50") || !strings.Contains(csv.body, "Instituto Nacional do Seguro Social João") {
		t.Errorf("actions CSV:\n%s", csv.body)
	}
	// Read in Spanish, the files are what a Spanish spreadsheet splits:
	// ";" between fields, decimal commas in amounts and scores.
	x.mxBrowser.post("/language", url.Values{"lang": {"es"}, "next": {"/"}})
	actions := readCSV(t, x.mxBrowser.get(fmt.Sprintf("/exchanges/%d/actions.csv", x.id)), ';')
	if len(actions) != 2 || actions[0][0] != "Acción" || actions[1][6] != "12500,50" || actions[1][5] != "10" {
		t.Errorf("actions CSV in Spanish: %q", actions)
	}
	x.committeeBrowser.post("/language", url.Values{"lang": {"es"}, "next": {"/"}})
	rankingCSV := readCSV(t, x.committeeBrowser.get(fmt.Sprintf("/exchanges/%d/ranking.csv", x.id)), ';')
	if len(rankingCSV) != 2 || rankingCSV[1][0] != "1" || rankingCSV[1][5] != "3,00" || rankingCSV[1][6] != "1,00" {
		t.Errorf("ranking CSV in Spanish: %q", rankingCSV)
	}
}

// TestExchangeRoutesHideFromOutsiders walks every exchange route with a
// real exchange, offer, round and action: a signed-in user who takes no
// part gets 404 (the exchange does not exist for them) or, on admin
// routes, 403; so a route added later without its check fails here.
func TestExchangeRoutesHideFromOutsiders(t *testing.T) {
	x := newExchangeEnv(t)
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.room("Sala Peña")
	out := x.schedule()
	res := x.api(http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/actions", out.Rounds[0].ID), x.admin, map[string]any{"type": "other",
		"description": "Intercambio de documentos", "offering_institution_id": offererOf(x, out.Rounds[0].OfferID),
		"demanding_institution_id": out.Rounds[0].InstitutionIDs[0]})
	wantStatus(t, res, http.StatusCreated)
	var a struct{ ID int64 }
	decode(t, res, &a)
	res = x.apiUpload(fmt.Sprintf("/api/v1/offers/%d/files", x.mxOffer), x.mxTok, "folleto.pdf", offerPDF(unique("rutas")))
	wantStatus(t, res, http.StatusCreated)
	var file struct{ ID int64 }
	decode(t, res, &file)
	ids := map[string]int64{"exchanges": x.id, "offers": x.mxOffer, "rounds": out.Rounds[0].ID, "actions": a.ID, "milestones": 1}
	outsider, _ := x.token(accounts.RoleInstructor)
	browser, _ := x.signedIn(accounts.RoleInstructor)
	checked := 0
	for _, r := range x.app.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		segs := strings.Split(strings.TrimPrefix(strings.TrimPrefix(r.Path, "/api/v1"), "/"), "/")
		id, ok := ids[segs[0]]
		if !ok || len(segs) < 2 || !strings.HasPrefix(segs[1], ":id") {
			continue
		}
		path := strings.Replace(r.Path, ":id", fmt.Sprint(id), 1)
		path = strings.Replace(path, ":fid", fmt.Sprint(file.ID), 1)
		var got int
		if strings.HasPrefix(r.Path, "/api/") {
			got = x.api(r.Method, path, outsider, map[string]any{}).StatusCode
		} else {
			got = browser.get(path).StatusCode
		}
		if got != http.StatusNotFound && got != http.StatusForbidden {
			t.Errorf("%s %s as an outsider: %d, want 404 or 403", r.Method, path, got)
		}
		checked++
	}
	if checked < 30 {
		t.Fatalf("only %d exchange routes checked", checked)
	}
}

func offererOf(x *exchangeEnv, offer int64) int64 {
	if offer == x.mxOffer {
		return x.mx.ID
	}
	return x.br.ID
}
