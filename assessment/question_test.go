package assessment

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// validQuestions returns a fresh valid pool, one question of each kind, in
// the order single, multiple, true_false, short_text, numeric.
func validQuestions() []Question {
	return []Question{
		{Kind: KindSingle, Prompt: "¿Qué institución paga la pensión?", Points: 1,
			Options: []Option{{Text: "El ministerio"}, {Text: "La caja", Correct: true}}},
		{Kind: KindMultiple, Prompt: "Quais são benefícios?", Points: 2, PartialCredit: true,
			Options: []Option{{Text: "Auxílio", Correct: true}, {Text: "Multa"}, {Text: "Pensão", Correct: true}}},
		{Kind: KindTrueFalse, Prompt: "The benefit is taxed.", Points: 1, AnswerBool: boolPtr(false)},
		{Kind: KindShortText, Prompt: "Nome do programa?", Points: 1, Accepted: []string{"Bolsa Família"}},
		{Kind: KindNumeric, Prompt: "Minimum age?", Points: 1, AnswerNumber: numPtr(65), Tolerance: 0},
	}
}

// validationCases are quizzes ValidateQuiz checks, each a change to a valid
// quiz, with the problems it must report (none for nil). TestMessageKeys also
// uses them.
var validationCases = []struct {
	name   string
	change func(s *Settings, qs *[]Question)
	want   map[string]string
}{
	{"valid", func(*Settings, *[]Question) {}, nil},
	{"valid limits", func(s *Settings, qs *[]Question) {
		*s = Settings{PassPercent: 100, MaxAttempts: 0, TimeLimitSeconds: 0, DrawCount: 5}
		(*qs)[0].Points = MaxPoints
		(*qs)[0].Prompt = strings.Repeat("ç", MaxPromptLen)
		(*qs)[3].Accepted = slices.Repeat([]string{strings.Repeat("ã", MaxAcceptedLen)}, MaxAccepted)
	}, nil},
	{"valid without ids", func(_ *Settings, qs *[]Question) {
		(*qs)[0].ID, (*qs)[1].ID = 0, 0
	}, nil},

	{"pass percent negative", func(s *Settings, _ *[]Question) { s.PassPercent = -1 }, map[string]string{"pass_percent": keyPassPercentRange}},
	{"pass percent over 100", func(s *Settings, _ *[]Question) { s.PassPercent = 101 }, map[string]string{"pass_percent": keyPassPercentRange}},
	{"max attempts negative", func(s *Settings, _ *[]Question) { s.MaxAttempts = -1 }, map[string]string{"max_attempts": keyMaxAttemptsNegative}},
	{"time limit negative", func(s *Settings, _ *[]Question) { s.TimeLimitSeconds = -60 }, map[string]string{"time_limit_seconds": keyTimeLimitNegative}},
	{"draw more than the pool", func(s *Settings, _ *[]Question) { s.DrawCount = 6 }, map[string]string{"draw_count": keyDrawCountRange}},
	{"draw negative", func(s *Settings, _ *[]Question) { s.DrawCount = -1 }, map[string]string{"draw_count": keyDrawCountRange}},
	{"no questions", func(_ *Settings, qs *[]Question) { *qs = nil }, map[string]string{"questions": keyQuestionsRequired}},
	{"too many questions", func(_ *Settings, qs *[]Question) {
		*qs = slices.Repeat((*qs)[:1], MaxQuestions+1)
		(*qs)[0].Prompt = "" // not reported: the list is refused as a whole
	}, map[string]string{"questions": keyQuestionsTooMany}},
	{"repeated id", func(_ *Settings, qs *[]Question) {
		for i := range *qs {
			(*qs)[i].ID = int64(i + 1)
		}
		(*qs)[4].ID = 2
	}, map[string]string{"questions[4].id": keyDuplicateID}},

	{"unknown kind", func(_ *Settings, qs *[]Question) { (*qs)[0].Kind = "essay" }, map[string]string{"questions[0].kind": keyKindUnknown}},
	{"blank prompt", func(_ *Settings, qs *[]Question) { (*qs)[2].Prompt = " \n " }, map[string]string{"questions[2].prompt": keyPromptRequired}},
	{"prompt too long", func(_ *Settings, qs *[]Question) { (*qs)[2].Prompt = strings.Repeat("ç", MaxPromptLen+1) }, map[string]string{"questions[2].prompt": keyPromptTooLong}},
	{"prompt with NUL", func(_ *Settings, qs *[]Question) { (*qs)[2].Prompt = "a\x00b" }, map[string]string{"questions[2].prompt": keyTextInvalid}},
	{"prompt not UTF-8", func(_ *Settings, qs *[]Question) { (*qs)[2].Prompt = "Proteç\xe3o" }, map[string]string{"questions[2].prompt": keyTextInvalid}},
	{"zero points", func(_ *Settings, qs *[]Question) { (*qs)[1].Points = 0 }, map[string]string{"questions[1].points": keyPointsRange}},
	{"negative points", func(_ *Settings, qs *[]Question) { (*qs)[1].Points = -3 }, map[string]string{"questions[1].points": keyPointsRange}},
	{"too many points", func(_ *Settings, qs *[]Question) { (*qs)[1].Points = MaxPoints + 1 }, map[string]string{"questions[1].points": keyPointsRange}},

	{"single with one option", func(_ *Settings, qs *[]Question) {
		(*qs)[0].Options = []Option{{Text: "Sí", Correct: true}}
	}, map[string]string{"questions[0].options": keyOptionsTooFew}},
	{"single without options", func(_ *Settings, qs *[]Question) { (*qs)[0].Options = nil }, map[string]string{"questions[0].options": keyOptionsTooFew}},
	{"single with too many options", func(_ *Settings, qs *[]Question) {
		(*qs)[0].Options = append(slices.Repeat([]Option{{Text: "x"}}, MaxOptions), Option{Text: "y", Correct: true})
	}, map[string]string{"questions[0].options": keyOptionsTooMany}},
	{"single with two correct", func(_ *Settings, qs *[]Question) { (*qs)[0].Options[0].Correct = true }, map[string]string{"questions[0].options": keySingleNeedsOneCorrect}},
	{"single with none correct", func(_ *Settings, qs *[]Question) { (*qs)[0].Options[1].Correct = false }, map[string]string{"questions[0].options": keySingleNeedsOneCorrect}},
	{"multiple with none correct", func(_ *Settings, qs *[]Question) {
		(*qs)[1].Options[0].Correct = false
		(*qs)[1].Options[2].Correct = false
	}, map[string]string{"questions[1].options": keyMultipleNeedsCorrect}},
	{"blank option", func(_ *Settings, qs *[]Question) { (*qs)[1].Options[1].Text = "  " }, map[string]string{"questions[1].options[1].text": keyOptionTextRequired}},
	{"option too long", func(_ *Settings, qs *[]Question) {
		(*qs)[1].Options[2].Text = strings.Repeat("é", MaxOptionLen+1)
	}, map[string]string{"questions[1].options[2].text": keyOptionTextTooLong}},
	{"options on true_false", func(_ *Settings, qs *[]Question) {
		(*qs)[2].Options = []Option{{Text: "Verdadero"}, {Text: "Falso", Correct: true}}
	}, map[string]string{"questions[2].options": keyOptionsNotAllowed}},

	{"true_false without answer", func(_ *Settings, qs *[]Question) { (*qs)[2].AnswerBool = nil }, map[string]string{"questions[2].answer": keyTrueFalseNeedsAnswer}},
	{"true_false with a number", func(_ *Settings, qs *[]Question) {
		(*qs)[2].AnswerBool, (*qs)[2].AnswerNumber = nil, numPtr(1)
	}, map[string]string{"questions[2].answer": keyTrueFalseNeedsAnswer}},

	{"short_text without accepted", func(_ *Settings, qs *[]Question) { (*qs)[3].Accepted = nil }, map[string]string{"questions[3].accepted": keyAcceptedRequired}},
	{"short_text with too many accepted", func(_ *Settings, qs *[]Question) {
		(*qs)[3].Accepted = slices.Repeat([]string{"x"}, MaxAccepted+1)
	}, map[string]string{"questions[3].accepted": keyAcceptedTooMany}},
	{"blank accepted", func(_ *Settings, qs *[]Question) {
		(*qs)[3].Accepted = []string{"Bolsa Família", " \t"}
	}, map[string]string{"questions[3].accepted[1]": keyAcceptedEmpty}},
	{"accepted of accents only", func(_ *Settings, qs *[]Question) {
		(*qs)[3].Accepted = []string{"\u0301"}
	}, map[string]string{"questions[3].accepted[0]": keyAcceptedEmpty}},
	{"accepted too long", func(_ *Settings, qs *[]Question) {
		(*qs)[3].Accepted = []string{strings.Repeat("ã", MaxAcceptedLen+1)}
	}, map[string]string{"questions[3].accepted[0]": keyAcceptedTooLong}},
	{"accepted with NUL", func(_ *Settings, qs *[]Question) {
		(*qs)[3].Accepted = []string{"a\x00"}
	}, map[string]string{"questions[3].accepted[0]": keyTextInvalid}},
	{"accepted on numeric", func(_ *Settings, qs *[]Question) { (*qs)[4].Accepted = []string{"65"} }, map[string]string{"questions[4].accepted": keyAcceptedNotAllowed}},

	{"numeric without answer", func(_ *Settings, qs *[]Question) { (*qs)[4].AnswerNumber = nil }, map[string]string{"questions[4].answer": keyNumericNeedsAnswer}},
	{"numeric NaN answer", func(_ *Settings, qs *[]Question) { (*qs)[4].AnswerNumber = numPtr(math.NaN()) }, map[string]string{"questions[4].answer": keyNumberNotFinite}},
	{"numeric infinite answer", func(_ *Settings, qs *[]Question) { (*qs)[4].AnswerNumber = numPtr(math.Inf(-1)) }, map[string]string{"questions[4].answer": keyNumberNotFinite}},
	{"negative tolerance", func(_ *Settings, qs *[]Question) { (*qs)[4].Tolerance = -0.5 }, map[string]string{"questions[4].tolerance": keyToleranceNegative}},
	{"infinite tolerance", func(_ *Settings, qs *[]Question) { (*qs)[4].Tolerance = math.Inf(1) }, map[string]string{"questions[4].tolerance": keyNumberNotFinite}},

	{"several problems", func(s *Settings, qs *[]Question) {
		s.PassPercent = 150
		(*qs)[0].Prompt = ""
		(*qs)[0].Options = nil
		(*qs)[4].Tolerance = -1
	}, map[string]string{
		"pass_percent":           keyPassPercentRange,
		"questions[0].prompt":    keyPromptRequired,
		"questions[0].options":   keyOptionsTooFew,
		"questions[4].tolerance": keyToleranceNegative,
	}},
}

func TestValidateQuiz(t *testing.T) {
	for _, tt := range validationCases {
		t.Run(tt.name, func(t *testing.T) {
			s := Settings{PassPercent: 70, MaxAttempts: 3, TimeLimitSeconds: 600, DrawCount: 0}
			qs := validQuestions()
			tt.change(&s, &qs)
			err := ValidateQuiz(s, qs)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ValidateQuiz: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ValidateQuiz error = %v, want *ValidationError", err)
			}
			if !maps.Equal(ve.Fields, tt.want) {
				t.Errorf("Fields = %v, want %v", ve.Fields, tt.want)
			}
		})
	}
}

func TestValidateQuestion(t *testing.T) {
	for _, q := range validQuestions() {
		if err := ValidateQuestion(q); err != nil {
			t.Errorf("ValidateQuestion(%s): %v", q.Kind, err)
		}
	}
	q := validQuestions()[0]
	q.Prompt = ""
	q.Options[1].Text = ""
	err := ValidateQuestion(q)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("ValidateQuestion error = %v, want *ValidationError", err)
	}
	want := map[string]string{"prompt": keyPromptRequired, "options[1].text": keyOptionTextRequired}
	if !maps.Equal(ve.Fields, want) {
		t.Errorf("Fields = %v, want %v", ve.Fields, want)
	}
	if got := err.Error(); got != "assessment: invalid quiz: options[1].text=quiz.option_text_required, prompt=quiz.prompt_required" {
		t.Errorf("Error() = %q", got)
	}
}

// TestMessageKeys checks that MessageKeys lists exactly the keys the package
// reports, so the web layer's translation catalogs can rely on it.
func TestMessageKeys(t *testing.T) {
	listed := MessageKeys()
	shape := regexp.MustCompile(`^(quiz|answers)\.[a-z_]+$`)
	set := map[string]bool{}
	for _, k := range listed {
		if !shape.MatchString(k) {
			t.Errorf("key %q is not of the form quiz.x or answers.x", k)
		}
		if set[k] {
			t.Errorf("key %q listed twice", k)
		}
		set[k] = true
	}

	produced := map[string]bool{}
	for _, tt := range validationCases {
		s := Settings{PassPercent: 70}
		qs := validQuestions()
		tt.change(&s, &qs)
		var ve *ValidationError
		if errors.As(ValidateQuiz(s, qs), &ve) {
			for _, k := range ve.Fields {
				produced[k] = true
			}
		}
	}
	for _, tt := range decodeErrorCases {
		_, err := DecodeAnswers([]byte(tt.body), answerQuiz)
		var ae *AnswerError
		if errors.As(err, &ae) {
			for _, k := range ae.Fields {
				produced[k] = true
			}
		}
	}
	for _, tt := range authoringCases {
		var ve *ValidationError
		if errors.As(tt.check(), &ve) {
			for _, k := range ve.Fields {
				produced[k] = true
			}
		}
	}
	for k := range produced {
		if !set[k] {
			t.Errorf("key %q is reported but not in MessageKeys", k)
		}
	}
	for _, k := range listed {
		if !produced[k] {
			t.Errorf("key %q is in MessageKeys but no test produces it", k)
		}
	}
}

func TestQuestionJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Question
	}{
		{"true_false", `{"kind": "true_false", "prompt": "¿Sí?", "points": 2, "answer": false}`,
			Question{Kind: KindTrueFalse, Prompt: "¿Sí?", Points: 2, AnswerBool: boolPtr(false)}},
		{"numeric", `{"id": 7, "kind": "numeric", "prompt": "Idade?", "points": 1, "answer": 65.5, "tolerance": 0.5}`,
			Question{ID: 7, Kind: KindNumeric, Prompt: "Idade?", Points: 1, AnswerNumber: numPtr(65.5), Tolerance: 0.5}},
		{"multiple", `{"kind": "multiple", "prompt": "Which?", "points": 3, "partial_credit": true,
			"options": [{"text": "A", "correct": true}, {"text": "B", "correct": false}]}`,
			Question{Kind: KindMultiple, Prompt: "Which?", Points: 3, PartialCredit: true, Options: opts(true, false)}},
		{"short_text", `{"kind": "short_text", "prompt": "Nome?", "points": 1, "accepted": ["João", "Joao"]}`,
			Question{Kind: KindShortText, Prompt: "Nome?", Points: 1, Accepted: []string{"João", "Joao"}}},
		{"answer of another type left unset", `{"kind": "numeric", "prompt": "N?", "points": 1, "answer": "65"}`,
			Question{Kind: KindNumeric, Prompt: "N?", Points: 1}},
		{"null answer", `{"kind": "true_false", "prompt": "T?", "points": 1, "answer": null}`,
			Question{Kind: KindTrueFalse, Prompt: "T?", Points: 1}},
		{"number beyond float64", `{"kind": "numeric", "prompt": "N?", "points": 1, "answer": -1e999}`,
			Question{Kind: KindNumeric, Prompt: "N?", Points: 1, AnswerNumber: numPtr(math.Inf(-1))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Question
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !sameQuestion(got, tt.want) {
				t.Fatalf("Unmarshal = %+v, want %+v", got, tt.want)
			}
			if finite(ptrValue(got.AnswerNumber)) {
				// Marshal and read back: the API shape survives storage.
				b, err := json.Marshal(got)
				if err != nil {
					t.Fatalf("Marshal: %v", err)
				}
				var back Question
				if err := json.Unmarshal(b, &back); err != nil || !sameQuestion(back, got) {
					t.Errorf("round trip through %s = %+v, %v", b, back, err)
				}
			}
		})
	}

	var q Question
	if err := json.Unmarshal([]byte(`{"kind": "single", "prompt": "P", "points": 1.5}`), &q); err == nil {
		t.Error("fractional points were accepted")
	}
	if err := ValidateQuestion(Question{Kind: KindNumeric, Prompt: "N?", Points: 1, AnswerNumber: numPtr(math.Inf(-1))}); err == nil {
		t.Error("an answer beyond float64 passed validation")
	}
}

func TestQuestionMarshalAnswerByKind(t *testing.T) {
	tests := []struct {
		q    Question
		want string
	}{
		{Question{Kind: KindTrueFalse, Prompt: "T", Points: 1, AnswerBool: boolPtr(true)},
			`{"kind":"true_false","prompt":"T","points":1,"answer":true}`},
		{Question{Kind: KindNumeric, Prompt: "N", Points: 1, AnswerNumber: numPtr(-2), Tolerance: 0.25},
			`{"kind":"numeric","prompt":"N","points":1,"tolerance":0.25,"answer":-2}`},
		// An answer that means nothing for the kind is not written.
		{Question{Kind: KindSingle, Prompt: "S", Points: 1, Options: opts(true, false), AnswerBool: boolPtr(true)},
			`{"kind":"single","prompt":"S","points":1,"options":[{"text":"A","correct":true},{"text":"B","correct":false}]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.q)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal = %s, %v; want %s", got, err, tt.want)
		}
	}
	if _, err := json.Marshal(Question{Kind: KindNumeric, AnswerNumber: numPtr(math.NaN())}); err == nil {
		t.Error("a NaN answer was marshalled")
	}
}

func ptrValue(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

func sameQuestion(a, b Question) bool {
	sameBool := (a.AnswerBool == nil) == (b.AnswerBool == nil) && (a.AnswerBool == nil || *a.AnswerBool == *b.AnswerBool)
	sameNum := (a.AnswerNumber == nil) == (b.AnswerNumber == nil) && (a.AnswerNumber == nil || *a.AnswerNumber == *b.AnswerNumber)
	a.AnswerBool, b.AnswerBool, a.AnswerNumber, b.AnswerNumber = nil, nil, nil, nil
	return sameBool && sameNum && slices.Equal(a.Options, b.Options) && slices.Equal(a.Accepted, b.Accepted) &&
		a.ID == b.ID && a.Kind == b.Kind && a.Prompt == b.Prompt && a.Points == b.Points &&
		a.PartialCredit == b.PartialCredit && a.Tolerance == b.Tolerance
}

// drawPool has six questions with ids 1..6, the first three with options.
func drawPool() []Question {
	return []Question{
		{ID: 1, Kind: KindSingle, Options: opts(true, false, false, false)},
		{ID: 2, Kind: KindMultiple, Options: opts(true, true, false, false, false)},
		{ID: 3, Kind: KindSingle, Options: opts(false, true, false)},
		{ID: 4, Kind: KindTrueFalse, AnswerBool: boolPtr(true)},
		{ID: 5, Kind: KindShortText, Accepted: []string{"x"}},
		{ID: 6, Kind: KindNumeric, AnswerNumber: numPtr(1)},
	}
}

func ids(ps []Presented) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.Question.ID
	}
	return out
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestDrawWithoutShuffling(t *testing.T) {
	pool := drawPool()
	for _, n := range []int{0, -1, len(pool), len(pool) + 5} {
		got := Draw(pool, n, false, false, rand.New(rand.NewPCG(1, 2)))
		if want := []int64{1, 2, 3, 4, 5, 6}; !slices.Equal(ids(got), want) {
			t.Errorf("Draw n=%d: ids %v, want %v", n, ids(got), want)
		}
		for _, p := range got {
			want := []int(nil)
			if p.Question.Kind.hasOptions() {
				want = identity(len(p.Question.Options))
			}
			if !slices.Equal(p.OptionOrder, want) {
				t.Errorf("Draw n=%d: question %d option order %v, want %v", n, p.Question.ID, p.OptionOrder, want)
			}
		}
	}
}

func TestDrawSubset(t *testing.T) {
	pool := drawPool()
	everPicked := map[int64]bool{}
	for seed := range uint64(50) {
		got := ids(Draw(pool, 3, false, false, rand.New(rand.NewPCG(seed, 1))))
		if len(got) != 3 {
			t.Fatalf("seed %d: drew %v, want 3 questions", seed, got)
		}
		if !slices.IsSorted(got) || slices.Compact(slices.Clone(got))[2] != got[2] {
			t.Fatalf("seed %d: drew %v, want 3 distinct questions in pool order", seed, got)
		}
		for _, id := range got {
			everPicked[id] = true
		}
	}
	if len(everPicked) != len(pool) {
		t.Errorf("over 50 draws of 3 only questions %v were ever picked", everPicked)
	}
}

func TestDrawShuffles(t *testing.T) {
	pool := drawPool()
	questionsMoved, optionsMoved := false, false
	for seed := range uint64(20) {
		got := Draw(pool, 0, true, true, rand.New(rand.NewPCG(seed, 7)))
		again := Draw(pool, 0, true, true, rand.New(rand.NewPCG(seed, 7)))
		if !slices.Equal(ids(got), ids(again)) {
			t.Fatalf("seed %d: same seed drew %v then %v", seed, ids(got), ids(again))
		}
		gotIDs := ids(got)
		if !slices.Equal(slices.Sorted(slices.Values(gotIDs)), []int64{1, 2, 3, 4, 5, 6}) {
			t.Fatalf("seed %d: drew %v, want each question once", seed, gotIDs)
		}
		questionsMoved = questionsMoved || !slices.IsSorted(gotIDs)
		for _, p := range got {
			if !p.Question.Kind.hasOptions() {
				if p.OptionOrder != nil {
					t.Errorf("question %d of kind %s has option order %v", p.Question.ID, p.Question.Kind, p.OptionOrder)
				}
				continue
			}
			if !isPermutation(p.OptionOrder, len(p.Question.Options)) {
				t.Fatalf("question %d: option order %v is not a permutation", p.Question.ID, p.OptionOrder)
			}
			optionsMoved = optionsMoved || !slices.IsSorted(p.OptionOrder)
		}
	}
	if !questionsMoved || !optionsMoved {
		t.Errorf("20 shuffled draws: questions moved %v, options moved %v; want both", questionsMoved, optionsMoved)
	}
}

func TestDrawNilRandAndEmptyPool(t *testing.T) {
	if got := Draw(drawPool(), 2, true, true, nil); len(got) != 2 {
		t.Errorf("Draw with nil rng drew %d questions, want 2", len(got))
	}
	if got := Draw(nil, 3, true, true, nil); len(got) != 0 {
		t.Errorf("Draw from an empty pool drew %v", got)
	}
}

func TestPublicKeepsStoredIndexes(t *testing.T) {
	q := Question{ID: 9, Kind: KindSingle, Prompt: "¿Quién?", Points: 2,
		Options: []Option{{Text: "Peña"}, {Text: "João", Correct: true}, {Text: "Conceição"}}}
	got := Presented{Question: q, OptionOrder: []int{2, 0, 1}}.Public()
	want := PublicQuestion{ID: 9, Kind: KindSingle, Prompt: "¿Quién?", Points: 2, Options: []PublicOption{
		{Index: 2, Text: "Conceição"}, {Index: 0, Text: "Peña"}, {Index: 1, Text: "João"},
	}}
	if !slices.Equal(got.Options, want.Options) || got.ID != want.ID || got.Prompt != want.Prompt || got.Points != want.Points || got.Kind != want.Kind {
		t.Errorf("Public = %+v, want %+v", got, want)
	}

	// A damaged order falls back to stored order, never repeating or hiding an option.
	for _, order := range [][]int{nil, {0, 0, 1}, {0, 1}, {3, 0, 1}, {-1, 0, 1}} {
		got := Presented{Question: q, OptionOrder: order}.Public()
		var indexes []int
		for _, o := range got.Options {
			indexes = append(indexes, o.Index)
		}
		if !slices.Equal(indexes, []int{0, 1, 2}) {
			t.Errorf("order %v: option indexes %v, want [0 1 2]", order, indexes)
		}
	}
}

// TestPublicJSONHasNoAnswers marshals the learner's view of questions full of
// distinctive answers and looks for any trace of them.
func TestPublicJSONHasNoAnswers(t *testing.T) {
	pool := []Question{
		{ID: 1, Kind: KindSingle, Prompt: "P1", Points: 1, Options: []Option{{Text: "uno"}, {Text: "dos", Correct: true}}},
		{ID: 2, Kind: KindMultiple, Prompt: "P2", Points: 1, PartialCredit: true, Options: []Option{{Text: "a", Correct: true}, {Text: "b"}}},
		{ID: 3, Kind: KindTrueFalse, Prompt: "P3", Points: 1, AnswerBool: boolPtr(true)},
		{ID: 4, Kind: KindShortText, Prompt: "P4", Points: 1, Accepted: []string{"Resposta Secreta Conceição"}},
		{ID: 5, Kind: KindNumeric, Prompt: "P5", Points: 1, AnswerNumber: numPtr(4242.125), Tolerance: 0.0625},
	}
	var public []PublicQuestion
	for _, p := range Draw(pool, 0, true, true, rand.New(rand.NewPCG(3, 4))) {
		public = append(public, p.Public())
	}
	b, err := json.Marshal(public)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, leak := range []string{"correct", "accepted", "answer", "tolerance", "partial", ":true", "Secreta", "4242", "0.0625"} {
		if strings.Contains(strings.ToLower(text), strings.ToLower(leak)) {
			t.Errorf("public JSON contains %q: %s", leak, text)
		}
	}

	// Exactly the API's fields, and options only where there are options.
	var decoded []map[string]json.RawMessage
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, q := range decoded {
		var keys []string
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var id int64
		_ = json.Unmarshal(q["id"], &id)
		want := []string{"id", "kind", "points", "prompt"}
		if id <= 2 {
			want = []string{"id", "kind", "options", "points", "prompt"}
			var options []map[string]any
			_ = json.Unmarshal(q["options"], &options)
			for _, o := range options {
				if len(o) != 2 || o["index"] == nil || o["text"] == nil {
					t.Errorf("question %d option %v, want only index and text", id, o)
				}
			}
		}
		if !slices.Equal(keys, want) {
			t.Errorf("question %s has fields %v, want %v", strconv.FormatInt(id, 10), keys, want)
		}
	}
}
