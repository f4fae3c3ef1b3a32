package assessment

import "math"

// Result is a graded attempt, the answer to a submit.
type Result struct {
	Score    float64 `json:"score"`     // sum of the questions' scores, 2 decimals
	MaxScore int     `json:"max_score"` // sum of the questions' points
	Percent  float64 `json:"percent"`   // Score as a percentage of MaxScore, 2 decimals
	Passed   bool    `json:"passed"`
}

// Grade returns the score of answer a to question q, from 0 to q.Points,
// rounded to 2 decimals. An unanswered question, or an answer of another kind
// than the question, scores 0. Full points go to:
//   - single: the correct option;
//   - true_false: the right value;
//   - short_text: an answer equal to one of Accepted once both are
//     normalized: case, accents, outer spaces and runs of inner spaces are
//     ignored ("  PROTEÇÃO  social" matches "protecao social");
//   - numeric: an answer with |given − answer| <= Tolerance. The comparison
//     allows a few units in the last place of the operands, because binary
//     floating point computes 3.4 − 3.3 as 0.10000000000000009 and a learner
//     answering 3.4 to "3.3 ± 0.1" is right;
//   - multiple, all-or-nothing: exactly the correct options.
//
// A multiple question with PartialCredit, having C correct and W wrong
// options of which the learner chose c correct and w wrong, scores
//
//	Points × max(0, c/C − w/W)
//
// (the w/W term is 0 when W = 0). Each correct choice earns an equal share and
// each wrong choice costs an equal share of the wrong ones, so choosing every
// option scores 0 instead of rewarding guessing.
func Grade(q Question, a Answer) float64 {
	if a.Kind != q.Kind || q.Points <= 0 {
		return 0
	}
	var credit float64 // fraction of the points earned, 0..1
	switch q.Kind {
	case KindSingle:
		if a.Index >= 0 && a.Index < len(q.Options) && q.Options[a.Index].Correct {
			credit = 1
		}
	case KindMultiple:
		credit = multipleCredit(q, a.Indexes)
	case KindTrueFalse:
		if q.AnswerBool != nil && a.Bool == *q.AnswerBool {
			credit = 1
		}
	case KindShortText:
		if textMatches(q.Accepted, a.Text) {
			credit = 1
		}
	case KindNumeric:
		if q.AnswerNumber != nil && withinTolerance(a.Number, *q.AnswerNumber, q.Tolerance) {
			credit = 1
		}
	}
	credit = math.Max(0, math.Min(1, credit))
	return round2(float64(q.Points) * credit)
}

// multipleCredit applies the formula documented on Grade. Indexes out of
// range or repeated (never left by DecodeAnswers) are ignored.
func multipleCredit(q Question, chosen []int) float64 {
	picked := make([]bool, len(q.Options))
	for _, i := range chosen {
		if i >= 0 && i < len(picked) {
			picked[i] = true
		}
	}
	var correct, wrong, hits, misses int
	for i, o := range q.Options {
		switch {
		case o.Correct:
			correct++
			if picked[i] {
				hits++
			}
		default:
			wrong++
			if picked[i] {
				misses++
			}
		}
	}
	if correct == 0 {
		return 0
	}
	if !q.PartialCredit {
		if hits == correct && misses == 0 {
			return 1
		}
		return 0
	}
	credit := float64(hits) / float64(correct)
	if wrong > 0 {
		credit -= float64(misses) / float64(wrong)
	}
	return math.Max(0, credit)
}

// textMatches reports whether given equals one of accepted once both are
// normalized. Empty text never matches, even against a blank accepted answer
// that validation would have refused.
func textMatches(accepted []string, given string) bool {
	g := normalizeText(given)
	if g == "" {
		return false
	}
	for _, a := range accepted {
		if normalizeText(a) == g {
			return true
		}
	}
	return false
}

// withinTolerance reports whether |given − answer| <= tolerance, allowing for
// the rounding of decimal input to binary (see Grade). NaN never matches; a
// negative or NaN tolerance counts as 0.
func withinTolerance(given, answer, tolerance float64) bool {
	if !finite(given) || !finite(answer) {
		return false
	}
	if !(tolerance > 0) {
		tolerance = 0
	}
	diff := math.Abs(given - answer) // +Inf when the subtraction overflows: no match
	scale := math.Max(math.Max(math.Abs(given), math.Abs(answer)), tolerance)
	// One unit in the last place of scale, measured downwards so that it stays
	// finite at math.MaxFloat64.
	ulp := scale - math.Nextafter(scale, 0)
	return diff <= tolerance+4*ulp
}

// GradeAll grades an attempt: questions are the attempt's questions and
// answers the learner's, missing ones scoring 0. It passes when Percent, as
// rounded and shown to the learner, is at least passPercent, so a learner is
// never shown "70%" and failed at a pass mark of 70. A quiz without points
// (which ValidateQuiz refuses) has Percent 0 and never passes.
func GradeAll(questions []Question, answers Answers, passPercent int) Result {
	var r Result
	for _, q := range questions {
		if q.Points > 0 {
			r.MaxScore += q.Points
		}
		r.Score += Grade(q, answers[q.ID])
	}
	r.Score = round2(r.Score)
	if r.MaxScore > 0 {
		r.Percent = round2(r.Score * 100 / float64(r.MaxScore))
		r.Passed = r.Percent >= float64(passPercent)
	}
	return r
}

// round2 rounds to 2 decimals, half away from zero.
func round2(x float64) float64 {
	return math.Round(x*100) / 100
}
