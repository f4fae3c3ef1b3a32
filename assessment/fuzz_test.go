package assessment

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzQuiz is answerQuiz plus multiple questions with partial credit, one of
// them without wrong options.
var fuzzQuiz = append(slices.Clone(answerQuiz),
	Question{ID: 15, Kind: KindMultiple, Prompt: "Partial?", Points: 3, PartialCredit: true, Options: opts(true, false, true, false, false)},
	Question{ID: 16, Kind: KindMultiple, Prompt: "All?", Points: 1, PartialCredit: true, Options: opts(true, true, true)},
)

// FuzzDecodeAndGrade feeds arbitrary submit bodies to DecodeAnswers and
// grades what it accepts. Seeds are in testdata/fuzz/FuzzDecodeAndGrade and
// the bodies of the decoding tests. Run it with
//
//	go test -run '^$' -fuzz FuzzDecodeAndGrade -fuzztime 60s ./assessment/
func FuzzDecodeAndGrade(f *testing.F) {
	for _, tt := range decodeErrorCases {
		f.Add([]byte(tt.body))
	}
	keys := map[string]bool{}
	for _, k := range MessageKeys() {
		keys[k] = true
	}
	maxScore := 0
	for _, q := range fuzzQuiz {
		maxScore += q.Points
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		answers, err := DecodeAnswers(body, fuzzQuiz)
		if err != nil {
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is %T, want *AnswerError", err, err)
			}
			if answers != nil {
				t.Fatalf("answers %v returned with error %v", answers, err)
			}
			if len(ae.Fields) == 0 {
				t.Fatal("AnswerError without fields")
			}
			if _, whole := ae.Fields["answers"]; whole && len(ae.Fields) != 1 {
				t.Fatalf("a problem with the whole body mixed with others: %v", ae.Fields)
			}
			for path, key := range ae.Fields {
				if !keys[key] {
					t.Fatalf("key %q for %q is not in MessageKeys", key, path)
				}
				if path != "answers" && !strings.HasPrefix(path, "answers.") {
					t.Fatalf("field path %q", path)
				}
			}
			return
		}

		for id, a := range answers {
			q := questionByID(fuzzQuiz, id)
			if q == nil {
				t.Fatalf("answer to question %d, which is not in the quiz", id)
			}
			checkAnswerFits(t, *q, a)
		}

		r := GradeAll(fuzzQuiz, answers, 50)
		if r.MaxScore != maxScore {
			t.Fatalf("MaxScore = %d, want %d", r.MaxScore, maxScore)
		}
		if !(r.Score >= 0 && r.Score <= float64(r.MaxScore)) {
			t.Fatalf("Score %v outside [0, %d]", r.Score, r.MaxScore)
		}
		if !(r.Percent >= 0 && r.Percent <= 100) || r.Passed != (r.Percent >= 50) {
			t.Fatalf("result %+v", r)
		}
		for _, q := range fuzzQuiz {
			if s := Grade(q, answers[q.ID]); !(s >= 0 && s <= float64(q.Points)) || s != round2(s) {
				t.Fatalf("question %d scored %v of %d", q.ID, s, q.Points)
			}
		}

		// What was accepted marshals to a body that decodes to the same
		// answers and grade, so stored answers can be re-read.
		again, err := json.Marshal(map[string]Answers{"answers": answers})
		if err != nil {
			t.Fatalf("marshal %v: %v", answers, err)
		}
		back, err := DecodeAnswers(again, fuzzQuiz)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(back, answers) {
			t.Fatalf("round trip through %s: %v, want %v", again, back, answers)
		}
		if r2 := GradeAll(fuzzQuiz, back, 50); r2 != r {
			t.Fatalf("round trip changed the result: %+v, want %+v", r2, r)
		}
	})
}

func questionByID(qs []Question, id int64) *Question {
	for i := range qs {
		if qs[i].ID == id {
			return &qs[i]
		}
	}
	return nil
}

// checkAnswerFits asserts what DecodeAnswers promises about an accepted answer.
func checkAnswerFits(t *testing.T, q Question, a Answer) {
	t.Helper()
	if a.Kind != q.Kind {
		t.Fatalf("question %d of kind %s got an answer of kind %q", q.ID, q.Kind, a.Kind)
	}
	switch a.Kind {
	case KindSingle:
		if a.Index < 0 || a.Index >= len(q.Options) {
			t.Fatalf("question %d: index %d of %d options", q.ID, a.Index, len(q.Options))
		}
	case KindMultiple:
		if a.Indexes == nil {
			t.Fatalf("question %d: nil indexes", q.ID)
		}
		for k, i := range a.Indexes {
			if i < 0 || i >= len(q.Options) || k > 0 && i <= a.Indexes[k-1] {
				t.Fatalf("question %d: indexes %v of %d options", q.ID, a.Indexes, len(q.Options))
			}
		}
	case KindShortText:
		if utf8.RuneCountInString(a.Text) > MaxTextAnswerLen || !utf8.ValidString(a.Text) || strings.ContainsRune(a.Text, 0) {
			t.Fatalf("question %d: text %q", q.ID, a.Text)
		}
	case KindNumeric:
		if math.IsNaN(a.Number) || math.IsInf(a.Number, 0) {
			t.Fatalf("question %d: number %v", q.ID, a.Number)
		}
	}
}
