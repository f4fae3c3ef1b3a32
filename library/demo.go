package library

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// The demo library: publications and country experiences on social
// protection, mostly in Portuguese (the library is Portuguese first), some
// in Spanish and English, so a new installation's /library has something
// to search and facets to count. The institutions' experiences and the
// authors are made up; the programmes they describe are of the kind the
// network's members run.

// demoItem is an item SeedDemo catalogues; Key makes its origin
// ("demo:<key>"), which is how a second run knows it is there.
type demoItem struct {
	Key    string
	Themes []string // slugs
	Params ItemParams
}

var demoItems = []demoItem{
	{Key: "prova-de-vida-digital", Themes: []string{"pensions", "social-insurance"}, Params: ItemParams{
		Type:  TypePublication,
		Title: "Prova de vida digital: como verificar os pensionistas sem os obrigar a deslocar-se",
		Abstract: "Todos os anos, milhões de pensionistas têm de provar que estão vivos para continuar a receber a " +
			"pensão. Este guia compara as formas de prova de vida que as instituições de previdência social já " +
			"usam — reconhecimento facial na aplicação móvel, cruzamento com os registos de óbitos e de saúde, " +
			"visitas domiciliárias para quem não tem telemóvel — e propõe uma sequência de implementação, dos " +
			"cruzamentos de dados (que dispensam o pensionista de qualquer ação) aos canais presenciais, que " +
			"continuam necessários para as pessoas idosas sem acesso digital.",
		Language: "pt", Countries: []string{"BR", "PT"}, Year: 2024,
		Authors:      []string{"Maria da Conceição Araújo", "Luís Gonçalves"},
		DocumentType: "Guia técnico", Licence: "CC BY 4.0", TargetPopulation: "Pensionistas e beneficiários de pensões",
		Translations: []TranslationParams{{Language: "es", Title: "Fe de vida digital: cómo verificar a los pensionistas sin que tengan que desplazarse"}},
	}},
	{Key: "subsidio-social-basico-mz", Themes: []string{"social-assistance", "coverage-extension"}, Params: ItemParams{
		Type:  TypeExperience,
		Title: "Moçambique: cadastro único e pagamento por carteira móvel no Programa Subsídio Social Básico",
		Abstract: "O Programa Subsídio Social Básico transfere um valor mensal a agregados familiares em situação de " +
			"pobreza, sobretudo pessoas idosas e pessoas com deficiência. A experiência descreve a passagem do " +
			"pagamento em numerário, feito por brigadas que percorriam os distritos, para o pagamento por " +
			"carteira móvel, apoiada num cadastro único dos beneficiários: o que mudou para as famílias (menos " +
			"horas de espera, menos custos de deslocação), os problemas encontrados (cobertura de rede, " +
			"documentos de identificação em falta) e as soluções adotadas nas províncias piloto.",
		Language: "pt", Countries: []string{"MZ"}, Region: "África Austral", Year: 2023,
		Authors:          []string{"Ana Sitoe", "João Conceição"},
		TargetPopulation: "Agregados familiares pobres, pessoas idosas e pessoas com deficiência",
		DocumentType:     "Experiência de país",
		Translations:     []TranslationParams{{Language: "en", Title: "Mozambique: a single registry and mobile-wallet payments in the Basic Social Subsidy Programme"}},
	}},
	{Key: "conta-propria-cv", Themes: []string{"informal-economy", "coverage-extension", "social-insurance"}, Params: ItemParams{
		Type:  TypeExperience,
		Title: "Cabo Verde: inscrição dos trabalhadores por conta própria na previdência social",
		Abstract: "Para alargar a proteção aos trabalhadores por conta própria — vendedores de mercado, pescadores, " +
			"motoristas —, a instituição de previdência criou um regime com contribuições adaptadas a rendimentos " +
			"irregulares, inscrição nos balcões municipais e no telemóvel, e um período de carência mais curto para " +
			"a prestação de doença. A experiência reúne os números de adesão dos primeiros três anos e o que as " +
			"associações de trabalhadores disseram sobre o regime.",
		Language: "pt", Countries: []string{"CV"}, Region: "África Ocidental", Year: 2022,
		Authors:          []string{"Edite Lopes Tavares"},
		TargetPopulation: "Trabalhadores por conta própria e da economia informal",
		DocumentType:     "Experiência de país",
	}},
	{Key: "interoperabilidade-registos", Themes: []string{"social-insurance", "coverage-extension"}, Params: ItemParams{
		Type:  TypePublication,
		Title: "Interoperabilidade dos registos de segurança social: lições de Portugal e do Brasil",
		Abstract: "Quando o registo civil, a administração fiscal e a segurança social partilham dados, o cidadão " +
			"deixa de entregar os mesmos documentos várias vezes e as prestações podem ser atribuídas " +
			"automaticamente. O estudo analisa a declaração mensal de remunerações, o cadastro nacional de " +
			"informações sociais e a atribuição automática do abono de família, e discute as condições que " +
			"permitiram essa interoperabilidade: identificador único, base legal para a troca de dados, " +
			"proteção de dados pessoais e governação partilhada entre as instituições.",
		Language: "pt", Countries: []string{"PT", "BR"}, Year: 2025,
		Authors:      []string{"Rui Conceição Mendes", "Patrícia Lemos"},
		DocumentType: "Estudo", Licence: "CC BY-NC 4.0",
	}},
	{Key: "seguro-saude-informais-ao", Themes: []string{"health-protection", "informal-economy"}, Params: ItemParams{
		Type:  TypeReport,
		Title: "Seguro de saúde para trabalhadores da economia informal em Angola: estudo de viabilidade",
		Abstract: "Relatório de viabilidade de um seguro de saúde voluntário para trabalhadores da economia informal " +
			"em Luanda e Benguela: perfil dos potenciais aderentes, capacidade contributiva estimada a partir de " +
			"inquéritos aos agregados, pacote de cuidados essenciais proposto, cenários de subsídio público às " +
			"contribuições e riscos de seleção adversa. Conclui que a adesão só é sustentável com contribuições " +
			"subsidiadas e cobrança por canais móveis.",
		Language: "pt", Countries: []string{"AO"}, Year: 2024,
		Authors:      []string{"Francisco Kiala", "Beatriz Antunes"},
		DocumentType: "Relatório",
	}},
	{Key: "renta-dignidad-bo", Themes: []string{"pensions", "elderly-care", "coverage-extension"}, Params: ItemParams{
		Type:  TypeExperience,
		Title: "Bolivia: la Renta Dignidad y el pago a personas mayores en zonas rurales",
		Abstract: "La Renta Dignidad es una pensión no contributiva que reciben todas las personas mayores de 60 años " +
			"residentes en Bolivia. La experiencia describe cómo se organizó el pago en comunidades rurales " +
			"alejadas: puntos de pago móviles, calendario coordinado con las ferias locales, atención en " +
			"quechua, aimara y guaraní, y el cruce con el registro civil para dar de baja a los fallecidos sin " +
			"exigir a los beneficiarios trámites adicionales.",
		Language: "es", Countries: []string{"BO"}, Region: "América del Sur", Year: 2023,
		Authors:          []string{"Lucía Fernández Peña", "Jorge Quispe Mamani"},
		TargetPopulation: "Personas mayores de 60 años",
		DocumentType:     "Experiencia de país",
		Translations: []TranslationParams{{Language: "pt", Title: "Bolívia: a Renta Dignidad e o pagamento às pessoas idosas nas zonas rurais",
			Abstract: "Como a pensão não contributiva universal da Bolívia chega às pessoas idosas das comunidades rurais: " +
				"pontos de pagamento móveis, atendimento nas línguas indígenas e cruzamento com o registo civil."}},
	}},
	{Key: "atencion-en-linea", Themes: []string{"social-insurance", "health-protection"}, Params: ItemParams{
		Type:  TypePublication,
		Title: "Servicios digitales en la seguridad social: guía para la atención en línea de asegurados",
		Abstract: "Guía práctica para las instituciones que abren canales de atención en línea: qué trámites " +
			"digitalizar primero (certificados de aportes, citas médicas, consulta de la historia laboral), cómo " +
			"identificar a los asegurados con seguridad sin excluir a quienes no tienen documento electrónico, " +
			"cómo medir la satisfacción y cómo mantener la atención presencial para quienes la necesitan.",
		Language: "es", Countries: []string{"PE", "CO", "UY"}, Year: 2025,
		Authors:      []string{"Carmen Peña Ibáñez", "Andrés Muñoz"},
		DocumentType: "Guía", Licence: "CC BY 4.0",
	}},
	{Key: "health-insurance-informal", Themes: []string{"health-protection", "informal-economy", "coverage-extension"}, Params: ItemParams{
		Type:  TypePublication,
		Title: "Extending health insurance to informal workers: contributory and subsidised schemes compared",
		Abstract: "A review of how national health insurance schemes have reached workers outside formal " +
			"employment: contributions collected through cooperatives and mobile money, subsidies for the " +
			"poorest households, and enrolment at health facilities. It compares coverage, financing and " +
			"administrative costs, and what each design asks of the registry of members.",
		Language: "en", Countries: []string{"GH", "RW", "ID"}, Year: 2022,
		Authors:      []string{"Grace Mensah", "Thomas Okafor", "Sofía Peña"},
		DocumentType: "Review", Licence: "CC BY 4.0",
		Translations: []TranslationParams{{Language: "pt", Title: "Alargar o seguro de saúde aos trabalhadores informais: regimes contributivos e subsidiados comparados"}},
	}},
}

// SeedDemo catalogues and publishes the demo items, as librarian (an
// admin or a named librarian), and returns how many it added. Each item
// keeps its origin ("demo:<key>"), so running it again adds nothing and
// leaves alone an item a librarian has since edited or withdrawn.
func (s *Service) SeedDemo(ctx context.Context, librarian *accounts.User) (int, error) {
	if err := s.mustCatalogue(ctx, librarian); err != nil {
		return 0, fmt.Errorf("library: demo: %w", err)
	}
	themes, err := NewStore(s.db).Themes(ctx)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, d := range demoItems {
		origin := "demo:" + d.Key
		id, err := NewStore(s.db).ItemIDByOrigin(ctx, origin)
		if err != nil {
			return added, err
		}
		if id != 0 {
			continue
		}
		p := d.Params
		p.Themes = nil
		for _, slug := range d.Themes {
			i := slices.IndexFunc(themes, func(t Theme) bool { return t.Slug == slug })
			if i < 0 {
				return added, fmt.Errorf("library: demo item %s: theme %s: %w", d.Key, slug, ErrUnknownTheme)
			}
			p.Themes = append(p.Themes, themes[i].ID)
		}
		var it *Item
		err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			it, err = s.writeItem(ctx, tx, &Item{Status: StatusDraft, CreatedBy: &librarian.ID, Origin: &origin}, p, true)
			return err
		})
		if err != nil {
			return added, fmt.Errorf("library: demo item %s: %w", d.Key, err)
		}
		if _, err := s.Publish(ctx, librarian, it.ID); err != nil {
			return added, fmt.Errorf("library: demo item %s: %w", d.Key, err)
		}
		added++
	}
	return added, nil
}
