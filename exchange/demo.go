package exchange

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// The demo exchange: an edition a month and a half away in which two
// institutions each offer a programme and each states its interest in the
// other's, on shared themes, so the supply–demand matrix has something
// to show. The two institutions are the demo people's: the first offers
// a digital enrolment of the self-employed, the second mobile payments
// of a social assistance benefit.

const demoTitle = "Intercambio de experiencias de la red: cobertura y servicios digitales"

// demoOffer is an offer of the demo, by the first delegate's institution
// (ByFirst) or the second's, with the other's interest in it (Priority,
// Note).
type demoOffer struct {
	ByFirst  bool
	Params   OfferParams
	Priority int
	Note     string
}

var demoOffers = []demoOffer{
	{
		ByFirst: true,
		Params: OfferParams{
			Title: "Afiliación en línea de trabajadores independientes",
			Summary: "Plataforma con la que los trabajadores independientes se afilian, declaran sus ingresos y pagan " +
				"sus aportes desde el teléfono, con aportes mensuales o trimestrales según la regularidad de sus " +
				"ingresos. Compartimos el diseño del trámite, las reglas de cálculo y el convenio con las " +
				"asociaciones de comerciantes que promovieron la afiliación.",
			Themes:           []string{"coverage-extension", "informal-economy"},
			TargetPopulation: "Trabajadores independientes y de la economía informal",
			Results:          "18 000 nuevos afiliados en dos años; el 70 % paga sus aportes desde el teléfono.",
			Contact:          "Lucía Fernández Peña, docente@aula.localhost",
		},
		Priority: 1,
		Note: "Interessa-nos o regime de contribuições trimestrais: em Moçambique a maioria dos trabalhadores por " +
			"conta própria tem rendimentos sazonais.",
	},
	{
		Params: OfferParams{
			Title: "Pagamento por carteira móvel do Subsídio Social Básico",
			Summary: "Passagem do pagamento em numerário para o pagamento por carteira móvel, apoiado num cadastro " +
				"único dos beneficiários: contratos com os operadores, validação da identidade, atendimento a quem " +
				"não tem telemóvel e controlo dos pagamentos.",
			Themes:           []string{"social-assistance", "coverage-extension"},
			TargetPopulation: "Agregados familiares pobres, pessoas idosas e pessoas com deficiência",
			Results:          "Tempo de espera para receber o subsídio reduzido de um dia para menos de uma hora nas províncias piloto.",
			Contact:          "João Conceição, formando@aula.localhost",
		},
		Priority: 2,
		Note:     "Queremos conocer los contratos con los operadores móviles para el pago de la Renta Dignidad en zonas rurales.",
	},
}

// SeedDemo opens the demo exchange as admin, with the institutions of
// first and second (users of an institution each) as participants and
// themselves as their delegates, who enter the offers and the interests.
// It returns how many exchanges it opened: 0 when one has the demo's
// title already, which is left as it is.
func (s *Service) SeedDemo(ctx context.Context, admin Actor, first, second *accounts.User) (int, error) {
	if first.InstitutionID == nil || second.InstitutionID == nil {
		return 0, errors.New("exchange: demo: the delegates need institutions")
	}
	id, err := NewStore(s.db).ExchangeIDByTitle(ctx, demoTitle)
	if err != nil {
		return 0, fmt.Errorf("exchange: demo: %w", err)
	}
	if id != 0 {
		return 0, nil
	}
	if err := s.demoExchange(ctx, admin, first, second); err != nil {
		return 0, fmt.Errorf("exchange: demo: %w", err)
	}
	return 1, nil
}

func (s *Service) demoExchange(ctx context.Context, admin Actor, first, second *accounts.User) error {
	const zone = "America/La_Paz"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return err
	}
	y, m, d := s.now().In(loc).Date()
	from := time.Date(y, m, d+45, 0, 0, 0, 0, time.UTC)
	e, err := s.CreateExchange(ctx, admin, ExchangeParams{Title: demoTitle, TimeZone: zone,
		StartsOn: from.Format(time.DateOnly), EndsOn: from.AddDate(0, 0, 2).Format(time.DateOnly)})
	if err != nil {
		return err
	}
	if _, err := s.SetParticipants(ctx, admin, e.ID, []ParticipantParams{
		{InstitutionID: *first.InstitutionID, DelegateIDs: []int64{first.ID}},
		{InstitutionID: *second.InstitutionID, DelegateIDs: []int64{second.ID}},
	}); err != nil {
		return err
	}
	for _, do := range demoOffers {
		by, other := second, first
		if do.ByFirst {
			by, other = first, second
		}
		p := do.Params
		p.InstitutionID = *by.InstitutionID
		o, err := s.CreateOffer(ctx, ActorFor(by), e.ID, p)
		if err != nil {
			return err
		}
		if _, err := s.StateInterest(ctx, ActorFor(other), o.ID, InterestParams{InstitutionID: *other.InstitutionID,
			Priority: do.Priority, Note: do.Note}); err != nil {
			return err
		}
	}
	return nil
}
