package assessment

import (
	"maps"
	"strings"
	"testing"
)

func validParams() QuizParams {
	return QuizParams{Title: "Avaliação final", PassPercent: 70, Review: ReviewAfterAttempt}
}

// authoringCases are the checks of a quiz's own fields and of a new pool's
// ids, with the problems they must report. TestMessageKeys also uses them.
var authoringCases = []struct {
	name  string
	check func() error
	want  map[string]string
}{
	{"valid", func() error { return checkQuiz(validParams(), validQuestions(), false, true) }, nil},
	{"empty pool allowed while authoring", func() error { return checkQuiz(validParams(), nil, true, true) }, nil},
	{"empty pool refused otherwise", func() error { return checkQuiz(validParams(), nil, false, true) },
		map[string]string{"questions": keyQuestionsRequired}},
	{"title blank", func() error {
		p := validParams()
		p.Title = "  "
		return checkQuiz(p, validQuestions(), false, true)
	}, map[string]string{"title": keyTitleRequired}},
	{"title too long", func() error {
		p := validParams()
		p.Title = strings.Repeat("ã", MaxTitleLen+1)
		return checkQuiz(p, validQuestions(), false, true)
	}, map[string]string{"title": keyTitleTooLong}},
	{"title at the limit in characters", func() error {
		p := validParams()
		p.Title = strings.Repeat("ã", MaxTitleLen)
		return checkQuiz(p, validQuestions(), false, true)
	}, nil},
	{"instructions too long", func() error {
		p := validParams()
		p.Instructions = strings.Repeat("x", MaxInstructionsLen+1)
		return checkQuiz(p, validQuestions(), false, true)
	}, map[string]string{"instructions": keyInstructionsTooLong}},
	{"instructions with NUL", func() error {
		p := validParams()
		p.Instructions = "a\x00b"
		return checkQuiz(p, validQuestions(), false, true)
	}, map[string]string{"instructions": keyTextInvalid}},
	{"review unknown", func() error {
		p := validParams()
		p.Review = "sometimes"
		return checkQuiz(p, validQuestions(), false, true)
	}, map[string]string{"review": keyReviewUnknown}},
	{"module of another course", func() error { return checkQuiz(validParams(), validQuestions(), false, false) },
		map[string]string{"module_id": keyModuleUnknown}},
	{"settings and questions together", func() error {
		p := validParams()
		p.PassPercent = 120
		qs := validQuestions()
		qs[0].Prompt = ""
		return checkQuiz(p, qs, false, true)
	}, map[string]string{"pass_percent": keyPassPercentRange, "questions[0].prompt": keyPromptRequired}},
	{"pool ids known", func() error { return checkPoolIDs(validQuestions(), validQuestions()) }, nil},
	{"pool id of another quiz", func() error {
		qs := validQuestions()
		qs[1].ID = 999
		qs[2].ID = 0 // a new question
		return checkPoolIDs(validQuestions(), qs)
	}, map[string]string{"questions[1].id": keyQuestionUnknown}},
}

func TestCheckQuiz(t *testing.T) {
	for _, tt := range authoringCases {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			var got map[string]string
			if err != nil {
				ve, ok := err.(*ValidationError)
				if !ok {
					t.Fatalf("error %v (%T), want *ValidationError", err, err)
				}
				got = ve.Fields
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("problems = %v, want %v", got, tt.want)
			}
		})
	}
}
