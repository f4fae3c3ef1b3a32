package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/spreadsheet"
)

// The exchange's pages: the exchanges one takes part in, an exchange's
// overview with its timetable, the supply–demand matrix with its chart,
// a delegation's agenda (also .ics), the committee's ranking and the
// follow-up of actions, with their CSV exports.

func exchangePath(id int64) string { return "/exchanges/" + strconv.FormatInt(id, 10) }

type exchangesPage struct {
	Page
	Items []exchange.Exchange
}

// exchangesPage lists the exchanges the user takes part in.
func (s *server) exchangesPage(c *fiber.Ctx) error {
	list, err := s.exchange.Exchanges(c.UserContext(), exchangeActor(c))
	if err != nil {
		return err
	}
	p := s.page(c, "exchange.list.title")
	p.Nav = "exchanges"
	return s.render(c, "pages/exchange/list", exchangesPage{Page: p, Items: list})
}

// roundView is a round as pages show it.
type roundView struct {
	Round     exchange.Round
	Offer     string
	Presenter string
	Room      string
	Served    []string
}

type slotView struct {
	Slot   exchange.Slot
	Rounds []roundView
}

type exchangeShowPage struct {
	Page
	Exchange     *exchange.Exchange
	Access       *exchange.Access
	Participants []exchange.Participant
	Offers       []exchange.Offer
	Names        map[int64]string
	Slots        []slotView
	Unserved     []unservedView
	Labels       map[string]string
}

type unservedView struct {
	Offer, Institution string
	Reason             exchange.Reason
}

// themeLabelsOf maps each theme's id to its label in locale.
func themeLabelsOf(themes []exchange.Theme, locale string) map[string]string {
	out := make(map[string]string, len(themes))
	for _, t := range themes {
		out[t.ID] = t.Label(locale)
	}
	return out
}

// exchangeThemeLabels is the vocabulary's labels in the reader's language.
func (s *server) exchangeThemeLabels(c *fiber.Ctx) (map[string]string, error) {
	themes, err := s.exchange.Themes(c.UserContext())
	if err != nil {
		return nil, err
	}
	return themeLabelsOf(themes, lang(c)), nil
}

// institutionNames names the institutions of a list of participants.
func institutionNames(parts []exchange.Participant) map[int64]string {
	out := make(map[int64]string, len(parts))
	for _, p := range parts {
		out[p.Institution.ID] = p.Institution.Name
	}
	return out
}

// exchangePage is an exchange's overview: participants, offers and the
// rounds as they stand.
func (s *server) exchangePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.UserContext(), exchangeActor(c)
	acc, err := s.exchange.Access(ctx, actor, id)
	if err != nil {
		return err
	}
	parts, err := s.exchange.Participants(ctx, actor, id)
	if err != nil {
		return err
	}
	t, err := s.exchange.Timetable(ctx, actor, id)
	if err != nil {
		return err
	}
	names := institutionNames(parts)
	offers := map[int64]exchange.Offer{}
	for _, o := range t.Offers {
		offers[o.ID] = o
	}
	rooms := map[int64]string{}
	for _, r := range t.Rooms {
		rooms[r.ID] = r.Name
	}
	var slots []slotView
	for _, sl := range t.Slots {
		v := slotView{Slot: sl}
		for _, r := range t.Rounds {
			if r.SlotID != sl.ID {
				continue
			}
			rv := roundView{Round: r, Offer: offers[r.OfferID].Title, Presenter: names[offers[r.OfferID].InstitutionID], Room: rooms[r.RoomID]}
			for _, iid := range r.Institutions {
				rv.Served = append(rv.Served, names[iid])
			}
			v.Rounds = append(v.Rounds, rv)
		}
		slots = append(slots, v)
	}
	labels, err := s.exchangeThemeLabels(c)
	if err != nil {
		return err
	}
	var unserved []unservedView
	for _, u := range t.Unserved {
		unserved = append(unserved, unservedView{Offer: offers[u.OfferID].Title, Institution: names[u.Institution], Reason: u.Reason})
	}
	p := s.page(c, "exchange.list.title")
	p.Title, p.Nav = acc.Exchange.Title, "exchanges"
	return s.render(c, "pages/exchange/show", exchangeShowPage{Page: p, Exchange: acc.Exchange, Access: acc, Participants: parts,
		Offers: t.Offers, Names: names, Slots: slots, Unserved: unserved, Labels: labels})
}

type matrixPage struct {
	Page
	Matrix   *exchange.Matrix
	Filter   exchange.MatrixFilter
	Priority map[[2]int64]int
	Chart    themeChart
	Query    string
}

// FileURL is the download address of an offer's file, for the template.
func (matrixPage) FileURL(f exchange.OfferFile) string { return offerFileURL(f) }

// themeChart is the interest by theme drawn as horizontal bars, laid out
// here so that the page needs no script.
type themeChart struct {
	Width, Height, LabelWidth int
	Bars                      []themeBar
}

type themeBar struct {
	Label             string
	Offers, Interests int
	Y, TextY, Width   int
}

const (
	chartBarHeight = 22
	chartGap       = 8
	chartBarsWidth = 360
	chartLabels    = 220
)

func (s *server) themeChart(p Page, counts []exchange.ThemeCount) themeChart {
	ch := themeChart{LabelWidth: chartLabels, Width: chartLabels + chartBarsWidth + 60}
	most := 1
	for _, t := range counts {
		most = max(most, t.Interests)
	}
	for i, t := range counts {
		y := i * (chartBarHeight + chartGap)
		ch.Bars = append(ch.Bars, themeBar{Label: t.Theme.Label(p.Lang), Offers: t.Offers, Interests: t.Interests,
			Y: y, TextY: y + chartBarHeight*2/3, Width: t.Interests * chartBarsWidth / most})
	}
	ch.Height = len(counts)*(chartBarHeight+chartGap) + chartGap
	return ch
}

// matrixPage shows the supply–demand matrix, its filters and the chart
// of interest by theme.
func (s *server) matrixPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f := matrixFilter(c)
	m, err := s.exchange.Matrix(c.UserContext(), exchangeActor(c), id, f)
	if err != nil {
		return err
	}
	p := s.page(c, "exchange.matrix.title")
	p.Nav = "exchanges"
	prio := map[[2]int64]int{}
	for _, cell := range m.Cells {
		prio[[2]int64{cell.OfferID, cell.InstitutionID}] = cell.Priority
	}
	q := strings.TrimPrefix(strings.Clone(string(c.Request().URI().QueryString())), "?")
	return s.render(c, "pages/exchange/matrix", matrixPage{Page: p, Matrix: m, Filter: f, Priority: prio,
		Chart: s.themeChart(p, m.ByTheme), Query: q})
}

// matrixCSV is the matrix as a spreadsheet: one row per offer, one column
// per participating institution with its priority, and the totals.
func (s *server) matrixCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.exchange.Matrix(c.UserContext(), exchangeActor(c), id, matrixFilter(c))
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	prio := map[[2]int64]int{}
	for _, cell := range m.Cells {
		prio[[2]int64{cell.OfferID, cell.InstitutionID}] = cell.Priority
	}
	labels := themeLabelsOf(m.Themes, lang(c))
	return s.streamCSV(c, "matrix-"+strconv.FormatInt(id, 10)+".csv", func(_ context.Context, out *spreadsheet.Writer) error {
		out.Text(tr.T("exchange.csv.offer")).Text(tr.T("exchange.csv.institution")).Text(tr.T("exchange.csv.country")).Text(tr.T("exchange.csv.themes"))
		for _, inst := range m.Institutions {
			out.Text(inst.Institution.Name)
		}
		if err := out.Text(tr.T("exchange.csv.interests")).End(); err != nil {
			return err
		}
		for _, o := range m.Offers {
			themes := make([]string, len(o.Offer.Themes))
			for i, t := range o.Offer.Themes {
				themes[i] = labels[t]
			}
			out.Text(o.Offer.Title).Text(o.Institution.Name).Text(o.Institution.Country).Text(strings.Join(themes, "; "))
			for _, inst := range m.Institutions {
				if p, ok := prio[[2]int64{o.Offer.ID, inst.Institution.ID}]; ok {
					out.Int(int64(p))
				} else {
					out.Empty()
				}
			}
			if err := out.Int(int64(o.Interests)).End(); err != nil {
				return err
			}
		}
		out.Text(tr.T("exchange.csv.interests")).Empty().Empty().Empty()
		for _, inst := range m.Institutions {
			out.Int(int64(inst.Interests))
		}
		return out.Int(int64(len(m.Cells))).End()
	})
}

type agendaPage struct {
	Page
	Exchange *exchange.Exchange
	Items    []exchange.AgendaItem
	Zone     string
}

// agendaPage is the signed-in delegate's agenda.
func (s *server) agendaPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, items, err := s.exchange.Agenda(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	p := s.page(c, "exchange.agenda.title")
	p.Nav = "exchanges"
	return s.render(c, "pages/exchange/agenda", agendaPage{Page: p, Exchange: e, Items: items, Zone: events.ZonePlace(e.TimeZone)})
}

// agendaICS is the delegate's agenda as a calendar file.
func (s *server) agendaICS(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, items, err := s.exchange.Agenda(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	host := strings.TrimPrefix(strings.TrimPrefix(s.cfg.BaseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="agenda-%d.ics"`, id))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(exchange.AgendaICS(e, items, host, s.cfg.BaseURL+exchangePath(id)+"/agenda", s.exchange.Now()))
}

type rankingPage struct {
	Page
	Exchange *exchange.Exchange
	Items    []exchange.Ranked
	Names    map[int64]string
}

// exchangeNames returns what actor may do in the exchange and the names
// of its participating institutions.
func (s *server) exchangeNames(c *fiber.Ctx, id int64) (*exchange.Access, map[int64]string, error) {
	acc, err := s.exchange.Access(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return nil, nil, err
	}
	parts, err := s.exchange.Participants(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return nil, nil, err
	}
	return acc, institutionNames(parts), nil
}

// rankingPage is the committee's ranking of actions.
func (s *server) rankingPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Ranking(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	acc, names, err := s.exchangeNames(c, id)
	if err != nil {
		return err
	}
	p := s.page(c, "exchange.ranking.title")
	p.Nav = "exchanges"
	return s.render(c, "pages/exchange/ranking", rankingPage{Page: p, Exchange: acc.Exchange, Items: list, Names: names})
}

// score writes a score with two decimals in the page's language ("4,25"
// in Spanish and Portuguese).
func (p Page) Score(v float64) string {
	out := strconv.FormatFloat(v, 'f', 2, 64)
	if decimalComma(p.Lang) {
		out = strings.Replace(out, ".", ",", 1)
	}
	return out
}

// rankingCSV is the ranking as a spreadsheet.
func (s *server) rankingCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Ranking(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	_, names, err := s.exchangeNames(c, id)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	return s.streamCSV(c, "ranking-"+strconv.FormatInt(id, 10)+".csv", func(_ context.Context, out *spreadsheet.Writer) error {
		for _, h := range []string{"rank", "action", "type", "offering", "demanding", "mean", "spread", "reviews", "status"} {
			out.Text(tr.T("exchange.csv." + h))
		}
		if err := out.End(); err != nil {
			return err
		}
		for i, r := range list {
			if err := out.Int(int64(i+1)).Text(r.Action.Description).Text(tr.T("exchange.type."+string(r.Action.Type))).
				Text(names[r.Action.OfferingInstitutionID]).Text(names[r.Action.DemandingInstitutionID]).Fixed(r.Mean, 2).
				Fixed(r.Spread, 2).Int(int64(r.Reviews)).Text(tr.T("exchange.status." + string(r.Action.Status))).End(); err != nil {
				return err
			}
		}
		return nil
	})
}

type actionsPage struct {
	Page
	Exchange *exchange.Exchange
	Actions  []exchange.Action
	Names    map[int64]string
	Counts   []statusCount
}

type statusCount struct {
	Status exchange.Status
	Count  int
}

// actionsPage is the follow-up page: every action of the exchange with
// its state.
func (s *server) actionsPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Actions(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	acc, names, err := s.exchangeNames(c, id)
	if err != nil {
		return err
	}
	var counts []statusCount
	for _, st := range exchange.Statuses {
		if n := len(slices.DeleteFunc(slices.Clone(list), func(a exchange.Action) bool { return a.Status != st })); n > 0 {
			counts = append(counts, statusCount{Status: st, Count: n})
		}
	}
	p := s.page(c, "exchange.actions.title")
	p.Nav = "exchanges"
	return s.render(c, "pages/exchange/actions", actionsPage{Page: p, Exchange: acc.Exchange, Actions: list, Names: names, Counts: counts})
}

// actionsCSV is every action of the exchange as a spreadsheet.
func (s *server) actionsCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.exchange.Actions(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	_, names, err := s.exchangeNames(c, id)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	return s.streamCSV(c, "actions-"+strconv.FormatInt(id, 10)+".csv", func(_ context.Context, out *spreadsheet.Writer) error {
		for _, h := range []string{"action", "type", "offering", "demanding", "status", "duration", "cost", "funding", "reason"} {
			out.Text(tr.T("exchange.csv." + h))
		}
		if err := out.End(); err != nil {
			return err
		}
		money := func(v *float64) {
			if v == nil {
				out.Empty()
			} else {
				out.Fixed(*v, 2)
			}
		}
		for _, a := range list {
			out.Text(a.Description).Text(tr.T("exchange.type." + string(a.Type))).Text(names[a.OfferingInstitutionID]).
				Text(names[a.DemandingInstitutionID]).Text(tr.T("exchange.status." + string(a.Status)))
			if a.DurationDays != nil {
				out.Int(int64(*a.DurationDays))
			} else {
				out.Empty()
			}
			money(a.EstimatedCost)
			money(a.Funding)
			if err := out.Text(a.DecisionReason).End(); err != nil {
				return err
			}
		}
		return nil
	})
}

type actionPage struct {
	Page
	Detail  *exchange.ActionDetail
	Names   map[int64]string
	Authors map[int64]string
	// PublishLanguages are the report languages the publish form offers,
	// DefaultLanguage the reader's.
	PublishLanguages []string
	DefaultLanguage  string
}

// actionPage is one action with its milestones and dated progress notes.
func (s *server) actionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.exchange.Action(c.UserContext(), exchangeActor(c), id)
	if err != nil {
		return err
	}
	_, names, err := s.exchangeNames(c, d.Action.ExchangeID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, p := range d.Progress {
		if p.AuthorID != nil {
			ids = append(ids, *p.AuthorID)
		}
	}
	people, err := s.exchangePeople(c, ids)
	if err != nil {
		return err
	}
	p := s.page(c, "exchange.action.title")
	p.Nav = "exchanges"
	return s.render(c, "pages/exchange/action", actionPage{Page: p, Detail: d, Names: names, Authors: people,
		PublishLanguages: []string{"es", "pt", "en"}, DefaultLanguage: publishForm{}.params(c).Language})
}

// publishActionPage is the action page's form that sends a completed
// action's report to the library.
func (s *server) publishActionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form publishForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if _, err := s.exchange.Publish(c.UserContext(), exchangeActor(c), id, form.params(c)); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/actions/"+strconv.FormatInt(id, 10), "exchange2.flash.published")
}

// exchangePeople names users for a page.
func (s *server) exchangePeople(c *fiber.Ctx, ids []int64) (map[int64]string, error) {
	users, err := s.exchange.People(c.UserContext(), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(users))
	for id, u := range users {
		out[id] = u.Name
	}
	return out, nil
}
