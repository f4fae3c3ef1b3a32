package assessment

import (
	"context"
	"errors"
	"fmt"

	"github.com/aula-platform/aula/courses"
)

// demoQuiz is the final quiz of one demo course, written in its language.
type demoQuiz struct {
	courseSlug   string
	title        string
	instructions string
	questions    []Question
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }
func num(f float64) *float64 {
	return &f
}

// demoQuizzes are the final quizzes of the demo courses (see courses' demo
// content): required, 60 % to pass, three attempts, answers shown after
// each attempt.
var demoQuizzes = []demoQuiz{
	{
		courseSlug:   "introduccion-a-la-seguridad-social",
		title:        "Evaluación final",
		instructions: "Cuatro preguntas sobre el curso. Necesita el 60 % para aprobar; tiene tres intentos.",
		questions: []Question{
			{Kind: KindSingle, Prompt: "¿Qué convenio de la OIT fija las normas mínimas de la seguridad social?", Points: 1,
				Options: []Option{{Text: "El Convenio núm. 102", Correct: true}, {Text: "El Convenio núm. 87"}, {Text: "El Convenio núm. 189"}}},
			{Kind: KindTrueFalse, Prompt: "La asistencia social se financia sobre todo con cotizaciones de los trabajadores.", Points: 1, AnswerBool: no()},
			{Kind: KindMultiple, Prompt: "¿Cuáles de estas son ramas de la seguridad social?", Points: 2, PartialCredit: true,
				Options: []Option{{Text: "Asistencia médica", Correct: true}, {Text: "Prestaciones de vejez", Correct: true}, {Text: "Subsidios a la exportación"}, {Text: "Prestaciones de maternidad", Correct: true}}},
			{Kind: KindNumeric, Prompt: "¿Cuántas ramas enumera el Convenio núm. 102?", Points: 1, AnswerNumber: num(9)},
		},
	},
	{
		courseSlug:   "extensao-da-protecao-social",
		title:        "Avaliação final",
		instructions: "Três perguntas sobre o curso. Precisa de 60 % para passar; tem três tentativas.",
		questions: []Question{
			{Kind: KindSingle, Prompt: "Que recomendação da OIT propõe os pisos de proteção social?", Points: 1,
				Options: []Option{{Text: "A Recomendação n.º 202", Correct: true}, {Text: "A Recomendação n.º 67"}, {Text: "A Recomendação n.º 131"}}},
			{Kind: KindTrueFalse, Prompt: "Os trabalhadores da economia informal ficam muitas vezes de fora da proteção contributiva.", Points: 1, AnswerBool: yes()},
			{Kind: KindShortText, Prompt: "Como se chama a proteção financiada por contribuições de trabalhadores e empregadores? (duas palavras)", Points: 1,
				Accepted: []string{"seguro social", "previdência social"}},
		},
	},
	{
		courseSlug:   "social-protection-floors",
		title:        "Final quiz",
		instructions: "Three questions about the course. You need 60% to pass; you have three attempts.",
		questions: []Question{
			{Kind: KindSingle, Prompt: "In which year did the ILO adopt Recommendation No. 202 on social protection floors?", Points: 1,
				Options: []Option{{Text: "2012", Correct: true}, {Text: "1952"}, {Text: "2001"}}},
			{Kind: KindTrueFalse, Prompt: "A social protection floor guarantees basic income security across the life cycle.", Points: 1, AnswerBool: yes()},
			{Kind: KindMultiple, Prompt: "Which guarantees belong to a social protection floor?", Points: 2,
				Options: []Option{{Text: "Essential health care", Correct: true}, {Text: "Basic income security for children", Correct: true}, {Text: "A guaranteed private pension"}}},
		},
	},
}

// SeedDemo gives each demo course its final quiz, as actor (an admin).
// Courses that have a quiz already, or are missing, are left alone, so
// running it again changes nothing. It returns how many quizzes it added.
func (s *Service) SeedDemo(ctx context.Context, actor courses.Actor) (int, error) {
	added := 0
	for _, dq := range demoQuizzes {
		acc, err := s.courses.AccessBySlug(ctx, actor, dq.courseSlug)
		if errors.Is(err, courses.ErrNotFound) {
			continue
		}
		if err != nil {
			return added, err
		}
		has, err := NewStore(s.db).HasQuizzes(ctx, acc.Course.ID)
		if err != nil {
			return added, fmt.Errorf("assessment: demo quiz of %s: %w", dq.courseSlug, err)
		}
		if has {
			continue
		}
		p := QuizParams{Title: dq.title, Instructions: dq.instructions, Required: true, PassPercent: 60,
			MaxAttempts: 3, Review: ReviewAfterAttempt}
		if _, err := s.CreateQuiz(ctx, actor, acc.Course.ID, p, dq.questions); err != nil {
			return added, fmt.Errorf("assessment: demo quiz of %s: %w", dq.courseSlug, err)
		}
		added++
	}
	return added, nil
}
