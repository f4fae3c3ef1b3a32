package courses

// The demo courses: one per language, on social protection, written for
// Aula. They are real teaching material, short, so a new installation
// shows what a course looks like (headings, lists, tables, footnotes).

// demoCourse is a course SeedDemo creates.
type demoCourse struct {
	Slug, Title, Summary, Language string
	WorkloadHours                  int
	// Image is the cover's file name in the images SeedDemo is given.
	Image   string
	Modules []demoModule
}

type demoModule struct {
	Title   string
	Minutes int
	Body    string
}

var demoCourses = []demoCourse{
	{
		Slug:     "introduccion-a-la-seguridad-social",
		Title:    "Introducción a la seguridad social",
		Language: "es",
		Summary: "Qué es la seguridad social, de dónde viene y cómo se organiza: seguro social y asistencia social, " +
			"las nueve ramas del Convenio núm. 102 de la OIT y las decisiones que sostienen su financiamiento. " +
			"Pensado para quien se incorpora a una institución de seguridad social.",
		WorkloadHours: 12,
		Image:         "introduccion-a-la-seguridad-social.png",
		Modules: []demoModule{
			{Title: "¿Qué es la seguridad social?", Minutes: 40, Body: `La **seguridad social** es la protección que una sociedad
ofrece a las personas para garantizarles acceso a la atención de salud y
seguridad del ingreso, en particular en caso de vejez, desempleo,
enfermedad, invalidez, accidente del trabajo, maternidad o pérdida del
sostén de la familia.

> «Toda persona, como miembro de la sociedad, tiene derecho a la seguridad
> social». — Declaración Universal de Derechos Humanos, artículo 22.

## Un derecho humano

La seguridad social no es una concesión graciosa del Estado: es un derecho
reconocido en la Declaración Universal de Derechos Humanos (1948) y en el
Pacto Internacional de Derechos Económicos, Sociales y Culturales
(artículo 9). Eso significa que los Estados deben respetarlo, protegerlo y
hacerlo efectivo de manera progresiva, con el máximo de recursos
disponibles.

## Un poco de historia

- **1883, Alemania.** El canciller Bismarck crea el seguro obligatorio de
  enfermedad para los obreros industriales, financiado con cotizaciones de
  trabajadores y empleadores. Le siguen el seguro de accidentes (1884) y el
  de invalidez y vejez (1889).
- **1942, Reino Unido.** El informe Beveridge propone un sistema unificado,
  para toda la población, contra las «cinco grandes plagas»: necesidad,
  enfermedad, ignorancia, miseria e inactividad.
- **1952, OIT.** El Convenio sobre la seguridad social (norma mínima),
  núm. 102, define nueve ramas y los niveles mínimos de protección.
- **2012, OIT.** La Recomendación núm. 202 sobre los pisos de protección
  social pide garantías básicas para toda la población.

## ¿Para qué sirve?

La seguridad social cumple tres funciones que se refuerzan entre sí:

1. **Proteger** contra la pérdida de ingresos cuando ocurre un riesgo.
2. **Prevenir** la pobreza, en lugar de solo aliviarla después.
3. **Redistribuir**, entre generaciones, entre personas sanas y enfermas, y
   entre quienes ganan más y quienes ganan menos.

Además, estabiliza la economía: en una recesión, las prestaciones de
desempleo sostienen el consumo de los hogares.

## Para reflexionar

Piense en su propia institución: ¿qué riesgos cubre?, ¿a quién protege y a
quién deja fuera? Anote sus respuestas; volveremos a ellas en el módulo
siguiente.`},
			{Title: "Seguro social y asistencia social", Minutes: 45, Body: `Los sistemas de seguridad social combinan dos
grandes lógicas, que conviene distinguir bien.

## Seguro social (contributivo)

Se financia con **cotizaciones** de las personas trabajadoras y de sus
empleadores, a veces con aportes del Estado. El derecho a las prestaciones
depende de haber cotizado: por ejemplo, un mínimo de años para la pensión de
vejez. La cuantía suele guardar relación con los salarios sobre los que se
cotizó.

## Asistencia social (no contributiva)

Se financia con **impuestos generales** y se dirige a personas u hogares en
situación de necesidad, sin exigir cotizaciones previas. Ejemplos:
pensiones no contributivas para personas mayores, transferencias monetarias
a familias con hijos o programas de alimentación escolar.

## Comparación

| Característica  | Seguro social                | Asistencia social              |
|:----------------|:-----------------------------|:-------------------------------|
| Financiamiento  | Cotizaciones                 | Impuestos generales            |
| Acceso          | Según historial de cotización | Según necesidad o residencia   |
| Cuantía         | Ligada al salario            | Suele ser una suma fija        |
| Cobertura típica | Empleo formal               | Hogares vulnerables            |

## ¿Reparto o capitalización?

En los regímenes de pensiones contributivos hay dos formas principales de
organizar el financiamiento:

- **Reparto:** las cotizaciones de quienes trabajan hoy pagan las pensiones
  de hoy. Descansa en la solidaridad entre generaciones.
- **Capitalización individual:** cada persona acumula sus cotizaciones en
  una cuenta, y su pensión depende de lo ahorrado y de la rentabilidad
  obtenida.

Muchos países combinan ambas, con un pilar no contributivo que garantiza un
mínimo a quien no logra cotizar lo suficiente.

## Actividad

Clasifique tres prestaciones de su país como contributivas o no
contributivas y explique por qué.`},
			{Title: "Las nueve ramas del Convenio núm. 102", Minutes: 50, Body: `El Convenio núm. 102 de la OIT ordena la
seguridad social en **nueve ramas**, cada una ligada a una contingencia:

| Rama                          | Contingencia cubierta                              |
|:------------------------------|:---------------------------------------------------|
| Asistencia médica             | Cualquier estado mórbido, embarazo y parto         |
| Prestaciones monetarias de enfermedad | Incapacidad para trabajar por enfermedad   |
| Prestaciones de desempleo     | Pérdida de ingresos por falta de empleo            |
| Prestaciones de vejez         | Supervivencia más allá de una edad determinada     |
| Accidentes del trabajo y enfermedades profesionales | Lesiones y enfermedades causadas por el trabajo |
| Prestaciones familiares       | Responsabilidad del mantenimiento de hijos         |
| Prestaciones de maternidad    | Embarazo, parto y sus consecuencias                |
| Prestaciones de invalidez     | Incapacidad permanente para trabajar               |
| Prestaciones de sobrevivientes | Pérdida del sostén de la familia por fallecimiento |

## Normas mínimas, no máximas

Para ratificar el Convenio, un país debe aceptar al menos **tres** de las
nueve ramas, una de las cuales ha de ser desempleo, vejez, accidentes del
trabajo, invalidez o sobrevivientes. Para cada rama, el Convenio fija:

- a quién hay que proteger (un porcentaje mínimo de asalariados o de la
  población);
- el nivel mínimo de la prestación, como porcentaje de un salario de
  referencia;
- las condiciones para tener derecho y la duración de la prestación.

## Principios que atraviesan todas las ramas

- **Responsabilidad general del Estado** por el buen funcionamiento del
  sistema.
- **Financiamiento colectivo**: las personas protegidas no deben soportar
  solas una carga excesiva.
- **Participación** de las personas protegidas en la administración.
- **Derecho a apelar** cuando se niega una prestación.

## Para su institución

¿Cuáles de las nueve ramas administra su institución? ¿Cuáles están a cargo
de otras entidades? Dibuje un mapa sencillo del sistema de su país.`},
			{Title: "Financiamiento y sostenibilidad", Minutes: 45, Body: `Un sistema de seguridad social es sostenible
cuando puede pagar hoy las prestaciones prometidas sin poner en riesgo las de
mañana, y cuando la sociedad lo considera justo.

## Las fuentes de financiamiento

1. **Cotizaciones sociales**, calculadas como un porcentaje del salario.
2. **Impuestos generales**, que financian la asistencia social y, a menudo,
   completan el seguro social.
3. **Rendimientos de las reservas**, en los regímenes que las acumulan.

## La relación de dependencia

En un régimen de reparto, el equilibrio depende de cuántas personas cotizan
por cada persona que recibe una pensión. Con el envejecimiento de la
población esa relación baja, y el sistema debe ajustarse[^ajustes].

Un ejemplo sencillo: si hay 4 cotizantes por cada pensionista y la pensión
media equivale al 60 % del salario medio, hace falta una cotización del
15 % (60 ÷ 4) solo para las pensiones. Si la relación baja a 2 por 1, la
misma pensión exigiría una cotización del 30 %.

## Más allá de las cuentas

La sostenibilidad no es solo actuarial. Un sistema que deja fuera a la
mitad de la población, o cuyas prestaciones no alcanzan para vivir, tampoco
es sostenible: pierde legitimidad. Por eso las reformas buscan a la vez
**ampliar la cobertura**, **mejorar la recaudación** y **mantener
prestaciones adecuadas**.

## Cierre del curso

Vuelva a las notas del primer módulo. ¿Cambiaría algo de lo que escribió
sobre los riesgos que cubre su institución y las personas que deja fuera?

[^ajustes]: Los ajustes posibles son conocidos: elevar la edad de
jubilación, aumentar las cotizaciones, cambiar la fórmula de cálculo,
aportar recursos fiscales o ampliar la base de cotizantes, por ejemplo
formalizando el empleo.`},
		},
	},
	{
		Slug:     "extensao-da-protecao-social",
		Title:    "Extensão da proteção social",
		Language: "pt",
		Summary: "Porque é que tantas pessoas continuam sem proteção social e o que as instituições podem fazer: " +
			"trabalhadores da economia informal, por conta própria e rurais, regimes simplificados, " +
			"subsídios às contribuições e uma administração mais próxima das pessoas.",
		WorkloadHours: 10,
		Image:         "extensao-da-protecao-social.png",
		Modules: []demoModule{
			{Title: "Quem fica de fora?", Minutes: 35, Body: `Apesar dos progressos das últimas décadas, cerca de
metade da população mundial não recebe nenhuma prestação de proteção social.
As lacunas não se distribuem ao acaso: concentram-se em grupos que os
regimes tradicionais, pensados para o emprego assalariado formal, têm
dificuldade em alcançar.

## Os grupos mais afetados

- **Trabalhadores da economia informal.** Cerca de seis em cada dez
  trabalhadores no mundo estão na economia informal, sem contrato nem
  contribuições.
- **Trabalhadores por conta própria**, vendedores de rua, pequenos
  comerciantes e artesãos, com rendimentos irregulares.
- **Trabalhadoras domésticas**, muitas vezes sem contrato escrito e com
  vários empregadores.
- **Trabalhadores rurais e agricultores familiares**, longe dos serviços e
  com rendimentos sazonais.
- **Trabalhadores migrantes**, que perdem direitos quando mudam de país.

## Porque é que não estão cobertos?

| Obstáculo          | Exemplo                                                   |
|:-------------------|:----------------------------------------------------------|
| Legal              | A lei exclui os trabalhadores domésticos ou agrícolas     |
| Financeiro         | A contribuição é demasiado alta para rendimentos baixos   |
| Administrativo     | Inscrever-se exige documentos e deslocações difíceis      |
| De informação      | As pessoas não conhecem os seus direitos                  |
| De confiança       | Dúvidas sobre se as prestações serão mesmo pagas          |

## Para refletir

Que grupo, no seu país, tem a maior lacuna de cobertura? Qual dos
obstáculos da tabela pesa mais no caso dele?`},
			{Title: "Estratégias de extensão", Minutes: 45, Body: `A Recomendação n.º 202 da OIT (2012) propõe uma
**estratégia bidimensional**: garantir a todos um piso de proteção social
(dimensão horizontal) e, progressivamente, níveis mais elevados de proteção
para o maior número possível de pessoas (dimensão vertical). A
Recomendação n.º 204 (2015) trata da transição da economia informal para a
economia formal.

## Regimes simplificados

Vários países criaram regimes que juntam, num só pagamento mensal, impostos
e contribuições sociais dos pequenos contribuintes. O **monotributo**, na
Argentina e no Uruguai, e o **Microempreendedor Individual (MEI)**, no
Brasil, são exemplos conhecidos: inscrição simples, contribuição fixa e
acesso a prestações como pensões e licença de maternidade.

## Subsidiar as contribuições

Quando os rendimentos são baixos, o Estado pode pagar parte da
contribuição, de forma permanente ou durante os primeiros anos de
inscrição. O custo fiscal é compensado pelos direitos que se constroem e
pelas pensões não contributivas que deixarão de ser necessárias.

## Adaptar as regras à vida real

- Aceitar **contribuições flexíveis**, em montante e em periodicidade,
  para quem tem rendimentos sazonais.
- Contar **períodos mais curtos** para ganhar direito às prestações.
- Permitir que **vários empregadores** contribuam para a mesma pessoa
  (trabalho doméstico).
- Garantir a **portabilidade** dos direitos entre regimes e entre países.

## Atividade

Escolha um grupo descoberto do seu país e desenhe, em meia página, um
regime para o alcançar: quem se inscreve, quanto paga, o que recebe.`},
			{Title: "Registo, cobrança e atendimento", Minutes: 40, Body: `Uma boa lei não basta: a extensão da
cobertura ganha-se ou perde-se na administração. Se inscrever-se exige três
deslocações e cinco documentos, quem vive longe ou trabalha por dia não se
inscreve.

## Registo

- Usar o **número de identificação civil** como número de segurança social,
  evitando duplicados.
- Trocar dados com outras entidades (registo civil, fisco, municípios) para
  **inscrever oficiosamente** quem já é conhecido do Estado.
- Permitir a inscrição **em linha e por telemóvel**, sem deslocações.

## Cobrança

- Aceitar pagamentos por **dinheiro móvel**, agentes bancários e balcões de
  proximidade.
- Enviar **lembretes** por SMS antes do fim do prazo.
- Negociar a cobrança através de **cooperativas e associações** de
  trabalhadores por conta própria, que conhecem os seus membros.

## Atendimento

| Canal                 | Vantagem                                  | Cuidado                                  |
|:----------------------|:------------------------------------------|:-----------------------------------------|
| Balcão único          | Resolve vários assuntos de uma vez        | Exige pessoal bem formado                |
| Unidades móveis       | Chega às zonas rurais                     | Custos de deslocação                     |
| Centro de contacto    | Respostas rápidas, sem deslocação         | Nem todos têm telefone ou saldo          |
| Portal e aplicação    | Disponível a qualquer hora                | Exclui quem não tem internet             |

## Medir para melhorar

Acompanhe poucos indicadores, mas com regularidade: taxa de cobertura por
grupo, tempo médio para conceder uma prestação, percentagem de
contribuições pagas a tempo e satisfação das pessoas atendidas[^dados].

[^dados]: Sempre que possível, desagregue os dados por sexo, idade, zona
(urbana ou rural) e tipo de trabalho: as lacunas escondem-se nas médias.`},
		},
	},
	{
		Slug:     "social-protection-floors",
		Title:    "Social protection floors",
		Language: "en",
		Summary: "The four basic guarantees of ILO Recommendation No. 202: what they are, how countries design " +
			"them, and how they can be financed. For staff who plan, run or evaluate social protection programmes.",
		WorkloadHours: 8,
		Image:         "social-protection-floors.png",
		Modules: []demoModule{
			{Title: "What is a social protection floor?", Minutes: 35, Body: `A **social protection floor** is a nationally
defined set of basic social security guarantees that prevent or alleviate
poverty, vulnerability and social exclusion. The idea was set out in ILO
Recommendation No. 202, adopted in 2012 by governments, employers and
workers from across the world.

## The four basic guarantees

Recommendation No. 202 asks that, over the life cycle, everyone in need
has at least:

1. **Access to essential health care**, including maternity care, that is
   available, accessible, acceptable and of good quality.
2. **Basic income security for children**, giving access to nutrition,
   education, care and other necessary goods and services.
3. **Basic income security for people of working age** who cannot earn
   enough, in particular in case of sickness, unemployment, maternity and
   disability.
4. **Basic income security for older persons.**

## "Nationally defined"

The Recommendation does not prescribe programmes or amounts. Each country
decides, through national dialogue, what the guarantees mean in practice:
which services count as essential, what income is "basic", and which
combination of schemes delivers them.

## Floors and staircases

A floor is a starting point, not a ceiling. The Recommendation pairs it
with a second dimension: countries should progressively ensure **higher
levels of protection** to as many people as possible, guided by Convention
No. 102. Think of a staircase built on the floor.

## Reflect

Which of the four guarantees is best covered in your country, and which
the weakest? Write down one piece of evidence for each answer.`},
			{Title: "Designing the guarantees", Minutes: 45, Body: `Countries reach the same guarantees in very
different ways. The main design choices are few, and each has trade-offs.

## Universal or targeted?

| Approach         | How it works                          | Strengths                        | Risks                                  |
|:-----------------|:--------------------------------------|:---------------------------------|:---------------------------------------|
| Universal        | Everyone in a category receives it    | Simple, no stigma, few left out  | Higher cost                            |
| Means-tested     | Only those below an income threshold  | Lower cost per person reached    | Errors of exclusion, stigma, paperwork |
| Pension-tested   | Older people without another pension  | Fills the gap left by insurance  | Discourages contributing if poorly set |

Evidence from many countries shows that narrowly targeted programmes often
miss a large share of the people they are meant for, because incomes in the
informal economy are hard to verify.

## Examples

- **Universal child benefits** pay a regular amount for every child,
  whatever the family's income.
- **Bolivia's Renta Dignidad** pays a non-contributory pension to all
  older residents, with a smaller amount for those who already receive a
  contributory pension.
- **South Africa's Older Person's Grant** is means-tested but reaches the
  large majority of older people.

## Setting benefit levels

A benefit should be large enough to make a difference and reviewed
regularly so that inflation does not erode it. Common references are the
national poverty line, the cost of a basic basket of goods, or a share of
the minimum wage[^levels].

## Activity

Pick one guarantee and sketch a scheme to deliver it: who is eligible, how
much they receive, how they apply and how they are paid.

[^levels]: Whatever the reference, write the rule for updating benefits
into law: discretionary increases tend to come late and unevenly.`},
			{Title: "Financing and fiscal space", Minutes: 40, Body: `A basic floor is affordable for most countries,
but it must be paid for. **Fiscal space** is the room in a government's
budget to fund it without endangering the sustainability of public
finances.

## Where the money can come from

1. **Re-allocating public expenditure**, for example from untargeted fuel
   subsidies to social protection.
2. **Increasing tax revenue**, by widening the tax base and improving
   collection.
3. **Extending social security coverage and contributions**, as more
   workers join contributory schemes.
4. **Reducing illicit financial flows** and tax evasion.
5. **Using fiscal and foreign exchange reserves**, where they are large.
6. **Managing debt**, including borrowing or restructuring existing debt.
7. **Official development assistance**, usually as a bridge rather than a
   permanent source.

## Costing a guarantee

A first estimate needs only three numbers: the number of people eligible,
the benefit amount, and the cost of administration. For example, a monthly
pension of 40 units for 500,000 older people costs 240 million units a year
(40 × 12 × 500,000), plus administration, often a few per cent of the
benefits paid.

## Monitoring the floor

The Recommendation asks countries to monitor progress regularly and to
involve social partners and the people concerned. Useful indicators
include:

- the share of each population group covered by each guarantee;
- benefit levels compared with the poverty line;
- spending on social protection as a share of GDP.

## Course wrap-up

Return to your notes from the first module. Which gap would you close
first, how, and how would you pay for it?`},
		},
	},
}
