package assessment

import (
	"math"
	"testing"
)

func boolPtr(b bool) *bool      { return &b }
func numPtr(f float64) *float64 { return &f }
func opts(correct ...bool) []Option { // options "A", "B", … with the given correctness
	out := make([]Option, len(correct))
	for i, c := range correct {
		out[i] = Option{Text: string(rune('A' + i)), Correct: c}
	}
	return out
}

func TestGrade(t *testing.T) {
	single := Question{Kind: KindSingle, Points: 2, Options: opts(false, true, false)}
	multi := Question{Kind: KindMultiple, Points: 4, Options: opts(true, false, true, false)}
	partial := multi
	partial.PartialCredit = true
	// Three correct options and one distractor, for fractional scores.
	partial3 := Question{Kind: KindMultiple, Points: 2, PartialCredit: true, Options: opts(true, true, true, false)}
	allCorrect := Question{Kind: KindMultiple, Points: 3, PartialCredit: true, Options: opts(true, true, true)}
	tf := Question{Kind: KindTrueFalse, Points: 1, AnswerBool: boolPtr(false)}
	textPT := Question{Kind: KindShortText, Points: 3, Accepted: []string{"Proteção social"}}
	textES := Question{Kind: KindShortText, Points: 3, Accepted: []string{"Peña", "Seguridad social"}}
	num := Question{Kind: KindNumeric, Points: 5, AnswerNumber: numPtr(3.3), Tolerance: 0.1}
	exact := Question{Kind: KindNumeric, Points: 1, AnswerNumber: numPtr(0.3)}
	big := Question{Kind: KindNumeric, Points: 1, AnswerNumber: numPtr(math.MaxFloat64)}

	tests := []struct {
		name string
		q    Question
		a    Answer
		want float64
	}{
		{"single correct", single, Answer{Kind: KindSingle, Index: 1}, 2},
		{"single wrong", single, Answer{Kind: KindSingle, Index: 0}, 0},
		{"single index out of range", single, Answer{Kind: KindSingle, Index: 7}, 0},
		{"single negative index", single, Answer{Kind: KindSingle, Index: -1}, 0},
		{"unanswered", single, Answer{}, 0},
		{"answer of another kind", single, Answer{Kind: KindMultiple, Indexes: []int{1}}, 0},

		{"multiple exact", multi, Answer{Kind: KindMultiple, Indexes: []int{0, 2}}, 4},
		{"multiple missing one", multi, Answer{Kind: KindMultiple, Indexes: []int{0}}, 0},
		{"multiple one wrong extra", multi, Answer{Kind: KindMultiple, Indexes: []int{0, 1, 2}}, 0},
		{"multiple nothing chosen", multi, Answer{Kind: KindMultiple, Indexes: []int{}}, 0},
		{"multiple repeated index counts once", multi, Answer{Kind: KindMultiple, Indexes: []int{0, 0, 2}}, 4},

		// Partial: C=2, W=2, 4 points: each correct +2, each wrong −2, floor 0.
		{"partial exact", partial, Answer{Kind: KindMultiple, Indexes: []int{0, 2}}, 4},
		{"partial half", partial, Answer{Kind: KindMultiple, Indexes: []int{2}}, 2},
		{"partial all correct and one wrong", partial, Answer{Kind: KindMultiple, Indexes: []int{0, 1, 2}}, 2},
		{"partial one correct one wrong", partial, Answer{Kind: KindMultiple, Indexes: []int{0, 3}}, 0},
		{"partial every option", partial, Answer{Kind: KindMultiple, Indexes: []int{0, 1, 2, 3}}, 0},
		{"partial only wrong floors at 0", partial, Answer{Kind: KindMultiple, Indexes: []int{1, 3}}, 0},
		{"partial nothing chosen", partial, Answer{Kind: KindMultiple}, 0},
		// C=3, W=1, 2 points.
		{"partial one of three", partial3, Answer{Kind: KindMultiple, Indexes: []int{0}}, 0.67},
		{"partial two of three", partial3, Answer{Kind: KindMultiple, Indexes: []int{0, 1}}, 1.33},
		{"partial three of three and the wrong one", partial3, Answer{Kind: KindMultiple, Indexes: []int{0, 1, 2, 3}}, 0},
		// W=0: choosing more cannot cost anything.
		{"partial without wrong options", allCorrect, Answer{Kind: KindMultiple, Indexes: []int{1}}, 1},

		{"true_false right", tf, Answer{Kind: KindTrueFalse, Bool: false}, 1},
		{"true_false wrong", tf, Answer{Kind: KindTrueFalse, Bool: true}, 0},
		{"true_false without stored answer", Question{Kind: KindTrueFalse, Points: 1}, Answer{Kind: KindTrueFalse}, 0},

		{"pt exact", textPT, Answer{Kind: KindShortText, Text: "Proteção social"}, 3},
		{"pt without accents", textPT, Answer{Kind: KindShortText, Text: "protecao social"}, 3},
		{"pt upper case and spaces", textPT, Answer{Kind: KindShortText, Text: "  PROTEÇÃO    SOCIAL "}, 3},
		{"pt decomposed accents", textPT, Answer{Kind: KindShortText, Text: "Prote\u0063\u0327\u0061\u0303o social"}, 3},
		{"pt other word", textPT, Answer{Kind: KindShortText, Text: "proteção"}, 0},
		{"pt missing space", textPT, Answer{Kind: KindShortText, Text: "protecaosocial"}, 0},
		{"es without tilde", textES, Answer{Kind: KindShortText, Text: "pena"}, 3},
		{"es second accepted", textES, Answer{Kind: KindShortText, Text: "SEGURIDAD SOCIAL"}, 3},
		{"es wrong", textES, Answer{Kind: KindShortText, Text: "seguridade social"}, 0},
		{"empty text", textES, Answer{Kind: KindShortText, Text: "   "}, 0},
		{"empty text against blank accepted", Question{Kind: KindShortText, Points: 1, Accepted: []string{" "}}, Answer{Kind: KindShortText, Text: ""}, 0},

		{"numeric exact", num, Answer{Kind: KindNumeric, Number: 3.3}, 5},
		{"numeric at upper tolerance", num, Answer{Kind: KindNumeric, Number: 3.4}, 5},
		{"numeric at lower tolerance", num, Answer{Kind: KindNumeric, Number: 3.2}, 5},
		{"numeric just outside", num, Answer{Kind: KindNumeric, Number: 3.41}, 0},
		{"numeric far", num, Answer{Kind: KindNumeric, Number: -3.3}, 0},
		{"numeric NaN", num, Answer{Kind: KindNumeric, Number: math.NaN()}, 0},
		{"numeric Inf", num, Answer{Kind: KindNumeric, Number: math.Inf(1)}, 0},
		{"numeric tolerance 0 float noise", exact, Answer{Kind: KindNumeric, Number: 0.30000000000000004}, 1},
		{"numeric tolerance 0 other", exact, Answer{Kind: KindNumeric, Number: 0.31}, 0},
		{"numeric overflowing difference", Question{Kind: KindNumeric, Points: 1, AnswerNumber: numPtr(-1e308), Tolerance: 1}, Answer{Kind: KindNumeric, Number: 1e308}, 0},
		{"numeric near MaxFloat64", big, Answer{Kind: KindNumeric, Number: 1}, 0},
		{"numeric at MaxFloat64", big, Answer{Kind: KindNumeric, Number: math.MaxFloat64}, 1},
		{"numeric negative tolerance counts as 0", Question{Kind: KindNumeric, Points: 1, AnswerNumber: numPtr(2), Tolerance: -5}, Answer{Kind: KindNumeric, Number: 3}, 0},

		{"zero points", Question{Kind: KindTrueFalse, AnswerBool: boolPtr(true)}, Answer{Kind: KindTrueFalse, Bool: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Grade(tt.q, tt.a); got != tt.want {
				t.Errorf("Grade = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestGradeMultipleBounds tries every choice on every arrangement of four
// options, in both modes.
func TestGradeMultipleBounds(t *testing.T) {
	for arrangement := 1; arrangement < 16; arrangement++ { // at least one correct
		options := make([]Option, 4)
		for i := range options {
			options[i] = Option{Text: "o", Correct: arrangement&(1<<i) != 0}
		}
		for _, partialCredit := range []bool{false, true} {
			q := Question{Kind: KindMultiple, Points: 3, Options: options, PartialCredit: partialCredit}
			grade := func(choice int) float64 {
				var chosen []int
				for i := range options {
					if choice&(1<<i) != 0 {
						chosen = append(chosen, i)
					}
				}
				return Grade(q, Answer{Kind: KindMultiple, Indexes: chosen})
			}
			for choice := 0; choice < 16; choice++ {
				got := grade(choice)
				if got < 0 || got > 3 {
					t.Fatalf("arrangement %04b choice %04b partial %v: score %v out of [0, 3]", arrangement, choice, partialCredit, got)
				}
				if choice == arrangement && got != 3 {
					t.Errorf("arrangement %04b partial %v: exactly the correct options score %v, want 3", arrangement, partialCredit, got)
				}
				if choice == 15 && arrangement != 15 && got != 0 {
					t.Errorf("arrangement %04b partial %v: every option scores %v, want 0", arrangement, partialCredit, got)
				}
				if !partialCredit && choice != arrangement && got != 0 {
					t.Errorf("arrangement %04b choice %04b: all-or-nothing scores %v, want 0", arrangement, choice, got)
				}
				if !partialCredit {
					continue
				}
				// Choosing one more correct option never lowers the score; one
				// more wrong option never raises it.
				for i := range options {
					if choice&(1<<i) != 0 {
						continue
					}
					more := grade(choice | 1<<i)
					if options[i].Correct && more < got || !options[i].Correct && more > got {
						t.Errorf("arrangement %04b: adding option %d to %04b moves the score from %v to %v", arrangement, i, choice, got, more)
					}
				}
			}
		}
	}
}

func TestGradeAll(t *testing.T) {
	quiz := []Question{
		{ID: 1, Kind: KindSingle, Points: 1, Options: opts(true, false)},
		{ID: 2, Kind: KindTrueFalse, Points: 1, AnswerBool: boolPtr(true)},
		{ID: 3, Kind: KindShortText, Points: 1, Accepted: []string{"Conceição"}},
	}
	right := Answers{
		1: {Kind: KindSingle, Index: 0},
		2: {Kind: KindTrueFalse, Bool: true},
		3: {Kind: KindShortText, Text: "conceicao"},
	}
	twoRight := Answers{1: right[1], 2: right[2], 3: {Kind: KindShortText, Text: "concepção"}}
	partial := []Question{
		{ID: 1, Kind: KindMultiple, Points: 1, PartialCredit: true, Options: opts(true, true, true, false)},
		{ID: 2, Kind: KindSingle, Points: 2, Options: opts(true, false)},
	}
	tenPoints := []Question{
		{ID: 1, Kind: KindNumeric, Points: 7, AnswerNumber: numPtr(7)},
		{ID: 2, Kind: KindNumeric, Points: 3, AnswerNumber: numPtr(3)},
	}

	tests := []struct {
		name        string
		questions   []Question
		answers     Answers
		passPercent int
		want        Result
	}{
		{"all right", quiz, right, 100, Result{Score: 3, MaxScore: 3, Percent: 100, Passed: true}},
		{"nothing answered", quiz, nil, 50, Result{Score: 0, MaxScore: 3, Percent: 0, Passed: false}},
		{"pass mark 0 passes an empty submission", quiz, Answers{}, 0, Result{Score: 0, MaxScore: 3, Percent: 0, Passed: true}},
		{"two of three below 67", quiz, twoRight, 67, Result{Score: 2, MaxScore: 3, Percent: 66.67, Passed: false}},
		{"two of three above 66", quiz, twoRight, 66, Result{Score: 2, MaxScore: 3, Percent: 66.67, Passed: true}},
		{"exactly at the pass mark", tenPoints, Answers{1: {Kind: KindNumeric, Number: 7}}, 70, Result{Score: 7, MaxScore: 10, Percent: 70, Passed: true}},
		{"answers to other questions ignored", quiz, Answers{99: {Kind: KindSingle, Index: 0}}, 0, Result{Score: 0, MaxScore: 3, Percent: 0, Passed: true}},
		// 1 × (1/3) = 0.33 of 3 points → 11%.
		{"partial credit sums rounded", partial, Answers{1: {Kind: KindMultiple, Indexes: []int{0}}}, 10, Result{Score: 0.33, MaxScore: 3, Percent: 11, Passed: true}},
		{"no questions", nil, nil, 0, Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GradeAll(tt.questions, tt.answers, tt.passPercent); got != tt.want {
				t.Errorf("GradeAll = %+v, want %+v", got, tt.want)
			}
		})
	}
}
