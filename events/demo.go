package events

import (
	"context"
	"fmt"
	"time"
)

// The demo events: a seminar in Portuguese whose two sessions are in the
// coming weeks, open for registration, and a workshop in Spanish held a
// month ago, closed, whose participant got a certificate of
// participation. Their days are counted from the day SeedDemo runs.

// demoEvent is an event SeedDemo creates; the sessions start DayOffset
// days from today (negative: in the past) at Hour, Minutes long, in the
// event's zone.
type demoEvent struct {
	Params   EventParams
	Sessions []demoSession
	// Held: the demo participant registers, attends every session, and
	// the event is closed.
	Held bool
}

type demoSession struct {
	Title            string
	DayOffset, Hour  int
	Minutes          int
	Location, Online string
}

func places(n int) *int { return &n }

var demoEvents = []demoEvent{
	{
		Params: EventParams{
			Title: "Seminário internacional: serviços digitais na segurança social",
			Summary: "Dois encontros para instituições de segurança social que estão a levar os seus serviços para o " +
				"digital: prova de vida à distância, inscrição e pagamento de contribuições pelo telemóvel, " +
				"interoperabilidade dos registos e atendimento a quem não tem acesso à internet. Cada sessão abre " +
				"com uma experiência de país e termina com perguntas dos participantes.",
			Language: "pt", Kind: KindSeminar, TimeZone: "Africa/Maputo", Capacity: places(150),
			Registration: ModeOpen, MinAttendancePercent: 50,
		},
		Sessions: []demoSession{
			{Title: "Prova de vida digital e registos de óbitos", DayOffset: 14, Hour: 14, Minutes: 150,
				Online: "https://meet.aula.localhost/seminario-servicos-digitais-1"},
			{Title: "Contribuições pelo telemóvel e atendimento presencial", DayOffset: 21, Hour: 14, Minutes: 150,
				Location: "Maputo, Instituto Lusófono de Segurança Social, auditório", Online: "https://meet.aula.localhost/seminario-servicos-digitais-2"},
		},
	},
	{
		Params: EventParams{
			Title: "Taller: proyecciones actuariales de pensiones",
			Summary: "Taller práctico para equipos técnicos de las cajas de pensiones: construir una proyección de " +
				"ingresos y gastos a 50 años con tablas de mortalidad propias, supuestos de densidad de cotización y " +
				"escenarios de reforma de la edad de jubilación.",
			Language: "es", Kind: KindWorkshop, TimeZone: "America/La_Paz", Capacity: places(30),
			Registration: ModeOpen, MinAttendancePercent: 100,
		},
		Sessions: []demoSession{
			{Title: "Datos, tablas de mortalidad y supuestos", DayOffset: -30, Hour: 9, Minutes: 210,
				Location: "La Paz, Caja Andina de Previsión Social, sala de capacitación"},
			{Title: "Escenarios de reforma y presentación de resultados", DayOffset: -29, Hour: 9, Minutes: 210,
				Location: "La Paz, Caja Andina de Previsión Social, sala de capacitación"},
		},
		Held: true,
	},
}

// SeedDemo creates the demo events, organised by organiser (an
// instructor), with participant registered in, attending and certified
// for the workshop held in the past, and returns how many it created. An
// event organiser already created under the same title is left as it is,
// so running it again creates nothing.
func (s *Service) SeedDemo(ctx context.Context, organiser, participant Actor) (int, error) {
	added := 0
	for _, d := range demoEvents {
		id, err := NewStore(s.db).EventIDByTitle(ctx, organiser.UserID, d.Params.Title)
		if err != nil {
			return added, fmt.Errorf("events: demo event %q: %w", d.Params.Title, err)
		}
		if id != 0 {
			continue
		}
		if err := s.demoEvent(ctx, organiser, participant, d); err != nil {
			return added, fmt.Errorf("events: demo event %q: %w", d.Params.Title, err)
		}
		added++
	}
	return added, nil
}

// demoEvent creates one demo event the way an organiser would.
func (s *Service) demoEvent(ctx context.Context, organiser, participant Actor, d demoEvent) error {
	e, err := s.CreateEvent(ctx, organiser, d.Params)
	if err != nil {
		return err
	}
	loc := e.Location()
	y, m, day := s.now().In(loc).Date()
	var sessions []*Session
	for _, ds := range d.Sessions {
		start := time.Date(y, m, day+ds.DayOffset, ds.Hour, 0, 0, 0, loc)
		ses, err := s.AddSession(ctx, organiser, e.ID, SessionParams{Title: ds.Title, StartsAt: start,
			EndsAt: start.Add(time.Duration(ds.Minutes) * time.Minute), Location: ds.Location, OnlineURL: ds.Online})
		if err != nil {
			return err
		}
		sessions = append(sessions, ses)
	}
	if _, err := s.Publish(ctx, organiser, e.ID); err != nil {
		return err
	}
	if !d.Held {
		return nil
	}
	if _, err := s.Register(ctx, participant, e.ID); err != nil {
		return err
	}
	for _, ses := range sessions {
		if err := s.MarkAttendance(ctx, organiser, ses.ID, []Record{{UserID: participant.UserID, Status: Present}}); err != nil {
			return err
		}
	}
	_, err = s.Close(ctx, organiser, e.ID)
	return err
}
