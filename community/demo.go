package community

import (
	"context"
	"fmt"
	"time"

	"github.com/aula-platform/aula/courses"
)

// The demo conversations of the network forums: in the Portuguese forum, a
// learner's question about proof of life answered by an instructor and
// followed up; in the Spanish one, an open consultation on the network's
// priorities for next year. Who says what is the demo instructor
// ("teacher") and the demo learner ("learner").

// demoPost is a post of a demo topic; Reply makes it a reply to the post
// before it.
type demoPost struct {
	ByTeacher bool
	Reply     bool
	Body      string
}

// demoTopic is a topic SeedDemo opens in the network forum of Language.
type demoTopic struct {
	Language  string
	ByTeacher bool
	Params    TopicParams
	// ClosesInDays sets a consultation's closing date from today.
	ClosesInDays int
	Posts        []demoPost
	// Answer is the learner's answer to a consultation (its option's
	// position, from 1, and the text).
	Answer       string
	AnswerOption int
}

var demoTopics = []demoTopic{
	{
		Language: "pt",
		Params: TopicParams{Kind: KindDiscussion,
			Title: "Como verificam a prova de vida dos pensionistas que vivem no estrangeiro?",
			Body: "Bom dia a todos. No nosso instituto, os pensionistas que vivem fora do país ainda têm de enviar " +
				"todos os anos um certificado de vida passado pelo consulado. Muitos vivem longe do consulado e " +
				"as pensões ficam suspensas por atraso no envio.\n\n" +
				"Que soluções usam as vossas instituições? Alguém já faz a prova de vida por videochamada ou " +
				"por reconhecimento facial numa aplicação?"},
		Posts: []demoPost{
			{ByTeacher: true, Body: "Olá, João. Na nossa caixa, em 2023 passámos a aceitar a prova de vida pela " +
				"aplicação móvel: o pensionista tira uma fotografia e o sistema compara-a com a do documento de " +
				"identidade. Para quem não consegue, mantivemos a videochamada marcada com um técnico.\n\n" +
				"Duas lições:\n\n" +
				"1. Cruzem primeiro com os registos de óbitos dos países com que têm acordo: metade dos casos " +
				"resolve-se sem pedir nada ao pensionista.\n" +
				"2. Avisem com três meses de antecedência, por carta e por SMS.\n\n" +
				"Há um guia sobre isto na biblioteca: «Prova de vida digital»."},
			{Reply: true, Body: "Obrigado, Lucía, muito útil. Vou propor o cruzamento com os registos de óbitos de " +
				"Portugal e da África do Sul, onde vive a maior parte dos nossos pensionistas no estrangeiro. " +
				"Podemos falar disso no seminário sobre serviços digitais?"},
		},
	},
	{
		Language: "es", ByTeacher: true, ClosesInDays: 30,
		Params: TopicParams{Kind: KindConsultation,
			Title: "Consulta: prioridades del plan de trabajo de la red para 2027",
			Body: "Estamos preparando el plan de trabajo de la red para 2027 y queremos conocer la opinión de " +
				"cada institución miembro.\n\n" +
				"- ¿Qué tema debería tener prioridad en los cursos y seminarios del próximo año?\n" +
				"- ¿Qué experiencia de su institución podría compartir con las demás?\n\n" +
				"Elija una opción y explique brevemente su respuesta. Publicaremos una síntesis al cierre de la consulta.",
			Options: []string{"Servicios digitales y atención en línea", "Extensión de la cobertura a trabajadores independientes",
				"Sostenibilidad financiera de las pensiones", "Protección de la salud"}},
		AnswerOption: 2,
		Answer: "En nuestro instituto, la prioridad es la cobertura de los trabajadores por cuenta propia: la mayoría " +
			"de la población activa de Mozambique está en la economía informal. Podemos compartir la experiencia " +
			"del pago por billetera móvil del Subsidio Social Básico.",
	},
}

// SeedDemo opens the demo topics in the network forums, as the demo
// teacher (an instructor) and learner, and returns how many topics it
// opened. A topic already there under its title is left as it is, so
// running it again opens nothing.
func (s *Service) SeedDemo(ctx context.Context, teacher, learner courses.Actor) (int, error) {
	added := 0
	for _, d := range demoTopics {
		author := learner
		if d.ByTeacher {
			author = teacher
		}
		v, err := s.NetworkForum(ctx, author, d.Language)
		if err != nil {
			return added, fmt.Errorf("community: demo forum %s: %w", d.Language, err)
		}
		id, err := NewStore(s.db).TopicIDByTitle(ctx, v.Forum.ID, d.Params.Title)
		if err != nil {
			return added, err
		}
		if id != 0 {
			continue
		}
		if err := s.demoTopic(ctx, teacher, learner, author, v.Forum.ID, d); err != nil {
			return added, fmt.Errorf("community: demo topic %q: %w", d.Params.Title, err)
		}
		added++
	}
	return added, nil
}

// demoTopic opens one demo topic and writes its posts, as members would.
func (s *Service) demoTopic(ctx context.Context, teacher, learner, author courses.Actor, forumID int64, d demoTopic) error {
	p := d.Params
	if d.ClosesInDays > 0 {
		closes := s.now().Add(time.Duration(d.ClosesInDays) * 24 * time.Hour)
		p.ClosesAt = &closes
	}
	t, err := s.CreateTopic(ctx, author, forumID, p)
	if err != nil {
		return err
	}
	var last int64
	for _, dp := range d.Posts {
		by := learner
		if dp.ByTeacher {
			by = teacher
		}
		pp := PostParams{Body: dp.Body}
		if dp.Reply {
			pp.ParentID = &last
		}
		post, err := s.CreatePost(ctx, by, t.ID, pp)
		if err != nil {
			return err
		}
		last = post.ID
	}
	if d.Answer == "" {
		return nil
	}
	opts, err := NewStore(s.db).Options(ctx, t.ID)
	if err != nil {
		return err
	}
	pp := PostParams{Body: d.Answer}
	for _, o := range opts {
		if o.Position == d.AnswerOption {
			pp.OptionID = &o.ID
		}
	}
	_, err = s.CreatePost(ctx, learner, t.ID, pp)
	return err
}
