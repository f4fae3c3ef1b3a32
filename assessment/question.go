package assessment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind says how a question is answered, and so what a learner sends back.
type Kind string

// The question kinds. The string values are the API's `kind` field.
const (
	KindSingle    Kind = "single"     // one option; the learner sends its index
	KindMultiple  Kind = "multiple"   // several options; the learner sends a list of indexes
	KindTrueFalse Kind = "true_false" // the learner sends a bool
	KindShortText Kind = "short_text" // the learner sends text, matched against Accepted
	KindNumeric   Kind = "numeric"    // the learner sends a number, matched within Tolerance
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindSingle, KindMultiple, KindTrueFalse, KindShortText, KindNumeric:
		return true
	}
	return false
}

// hasOptions reports whether questions of kind k are answered by choosing options.
func (k Kind) hasOptions() bool { return k == KindSingle || k == KindMultiple }

// Limits on instructor input. They keep one quiz's stored size and the page a
// learner sees reasonable; the web layer may show them next to the form fields.
// Lengths count characters (runes), not bytes, so "Conceição" is 9 long.
const (
	MaxQuestions     = 200  // questions in one quiz (the pool an attempt draws from)
	MaxPoints        = 1000 // points of one question
	MaxPromptLen     = 2000 // characters in a prompt
	MaxOptions       = 20   // options of a single or multiple question
	MaxOptionLen     = 500  // characters in an option's text
	MaxAccepted      = 20   // accepted answers of a short_text question
	MaxAcceptedLen   = 200  // characters in one accepted answer
	MaxTextAnswerLen = 1000 // characters in a learner's short_text answer
)

// Option is one choice of a single or multiple question. Its position in
// Question.Options is its index: the number learners send back, whatever order
// an attempt displays the options in.
type Option struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

// Question is one question as the instructor wrote it, correct answers included.
// Never send it to a learner: send Presented.Public instead.
//
// Points is a whole number so that a quiz's maximum score is exact and sums
// never drift; fractional results come only from partial credit and are
// carried as float64 scores rounded to 2 decimals (see Grade).
//
// Which fields matter depends on Kind:
//   - single, multiple: Options (and PartialCredit for multiple);
//   - true_false: AnswerBool;
//   - short_text: Accepted;
//   - numeric: AnswerNumber and Tolerance.
//
// In JSON, AnswerBool and AnswerNumber are the one API field `answer`
// (bool for true_false, number for numeric). Because Question has its own
// JSON methods, a struct that embeds it would marshal as the Question alone;
// keep it in a named field instead.
type Question struct {
	ID     int64  `json:"id,omitempty"`
	Kind   Kind   `json:"kind"`
	Prompt string `json:"prompt"`
	Points int    `json:"points"`

	Options []Option `json:"options,omitempty"`
	// PartialCredit, for multiple only, grades by the formula in Grade instead
	// of all-or-nothing.
	PartialCredit bool `json:"partial_credit,omitempty"`

	Accepted []string `json:"accepted,omitempty"`

	AnswerBool   *bool    `json:"-"`
	AnswerNumber *float64 `json:"-"`
	// Tolerance is how far a numeric answer may be from AnswerNumber and still
	// count: |given − answer| <= Tolerance.
	Tolerance float64 `json:"tolerance,omitempty"`
}

// questionFields has Question's fields without its JSON methods, so those
// methods can delegate the ordinary fields to encoding/json.
type questionFields Question

type questionJSON struct {
	questionFields
	Answer json.RawMessage `json:"answer,omitempty"`
}

// MarshalJSON writes q in the API's shape, with `answer` for true_false and
// numeric questions.
func (q Question) MarshalJSON() ([]byte, error) {
	out := questionJSON{questionFields: questionFields(q)}
	var err error
	switch {
	case q.Kind == KindTrueFalse && q.AnswerBool != nil:
		out.Answer, err = json.Marshal(*q.AnswerBool)
	case q.Kind == KindNumeric && q.AnswerNumber != nil:
		out.Answer, err = json.Marshal(*q.AnswerNumber)
	}
	if err != nil {
		return nil, fmt.Errorf("assessment: marshal question %d answer: %w", q.ID, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("assessment: marshal question %d: %w", q.ID, err)
	}
	return b, nil
}

// UnmarshalJSON reads the API's shape. A bool `answer` sets AnswerBool and a
// number sets AnswerNumber, whatever the kind; any other `answer` is left
// unset so that ValidateQuestion reports the question's missing answer under
// its field instead of failing the whole request. A number too large for
// float64 becomes ±Inf, which ValidateQuestion rejects for the same reason.
func (q *Question) UnmarshalJSON(data []byte) error {
	var in questionJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("assessment: decode question: %w", err)
	}
	*q = Question(in.questionFields)
	raw := bytes.TrimSpace(in.Answer)
	switch {
	case bytes.Equal(raw, []byte("true")), bytes.Equal(raw, []byte("false")):
		b := raw[0] == 't'
		q.AnswerBool = &b
	case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		// json.Unmarshal has checked the syntax; only the range can fail here.
		f, _ := strconv.ParseFloat(string(raw), 64)
		q.AnswerNumber = &f
	}
	return nil
}

// Settings are the quiz-wide rules an instructor sets that this package checks.
type Settings struct {
	PassPercent      int `json:"pass_percent"`       // 0..100; a result passes at Percent >= PassPercent
	MaxAttempts      int `json:"max_attempts"`       // 0 means unlimited
	TimeLimitSeconds int `json:"time_limit_seconds"` // 0 means no time limit
	DrawCount        int `json:"draw_count"`         // questions per attempt; 0 means all
}

// ValidationError reports instructor input that breaks a quiz rule.
type ValidationError struct {
	// Fields maps a field path to a message key, one key per path, e.g.
	// "questions[2].options" → "quiz.single_needs_one_correct" or
	// "questions[0].options[1].text" → "quiz.option_text_required".
	// Paths follow the API's JSON names.
	Fields map[string]string
}

// Error lists the problems in a stable order, for logs and tests.
func (e *ValidationError) Error() string {
	return "assessment: invalid quiz: " + describe(e.Fields)
}

// Message keys for ValidationError.Fields.
const (
	keyQuestionsRequired     = "quiz.questions_required"
	keyQuestionsTooMany      = "quiz.questions_too_many"
	keyPassPercentRange      = "quiz.pass_percent_range"
	keyMaxAttemptsNegative   = "quiz.max_attempts_negative"
	keyTimeLimitNegative     = "quiz.time_limit_negative"
	keyDrawCountRange        = "quiz.draw_count_range"
	keyDuplicateID           = "quiz.duplicate_id"
	keyKindUnknown           = "quiz.kind_unknown"
	keyPromptRequired        = "quiz.prompt_required"
	keyPromptTooLong         = "quiz.prompt_too_long"
	keyTextInvalid           = "quiz.text_invalid"
	keyPointsRange           = "quiz.points_range"
	keyOptionsTooFew         = "quiz.options_too_few"
	keyOptionsTooMany        = "quiz.options_too_many"
	keyOptionsNotAllowed     = "quiz.options_not_allowed"
	keyOptionTextRequired    = "quiz.option_text_required"
	keyOptionTextTooLong     = "quiz.option_text_too_long"
	keySingleNeedsOneCorrect = "quiz.single_needs_one_correct"
	keyMultipleNeedsCorrect  = "quiz.multiple_needs_correct"
	keyTrueFalseNeedsAnswer  = "quiz.true_false_needs_answer"
	keyAcceptedRequired      = "quiz.accepted_required"
	keyAcceptedTooMany       = "quiz.accepted_too_many"
	keyAcceptedEmpty         = "quiz.accepted_empty"
	keyAcceptedTooLong       = "quiz.accepted_too_long"
	keyAcceptedNotAllowed    = "quiz.accepted_not_allowed"
	keyNumericNeedsAnswer    = "quiz.numeric_needs_answer"
	keyNumberNotFinite       = "quiz.number_not_finite"
	keyToleranceNegative     = "quiz.tolerance_negative"
)

// MessageKeys returns every message key this package reports, in
// ValidationError and AnswerError, so the web layer can check that its
// catalogs translate each one.
func MessageKeys() []string {
	return []string{
		keyQuestionsRequired, keyQuestionsTooMany, keyPassPercentRange,
		keyMaxAttemptsNegative, keyTimeLimitNegative, keyDrawCountRange,
		keyDuplicateID, keyKindUnknown, keyPromptRequired, keyPromptTooLong,
		keyTextInvalid, keyPointsRange, keyOptionsTooFew, keyOptionsTooMany,
		keyOptionsNotAllowed, keyOptionTextRequired, keyOptionTextTooLong,
		keySingleNeedsOneCorrect, keyMultipleNeedsCorrect, keyTrueFalseNeedsAnswer,
		keyAcceptedRequired, keyAcceptedTooMany, keyAcceptedEmpty,
		keyAcceptedTooLong, keyAcceptedNotAllowed, keyNumericNeedsAnswer,
		keyNumberNotFinite, keyToleranceNegative,

		keyAnswersMalformed, keyAnswersTooMany, keyUnknownQuestion,
		keyDuplicateQuestion, keyWrongType, keyIndexOutOfRange,
		keyDuplicateIndex, keyNumberOutOfRange, keyTextTooLong, keyAnswerTextInvalid,

		keyTitleRequired, keyTitleTooLong, keyInstructionsTooLong,
		keyReviewUnknown, keyModuleUnknown, keyQuestionUnknown,
	}
}

// problems collects the first message key found for each field path: the
// first is the most basic one (too few options before which one is correct).
type problems map[string]string

func (p problems) add(path, key string) {
	if _, ok := p[path]; !ok {
		p[path] = key
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: p}
}

// ValidateQuestion checks one question on its own. Field paths in the
// returned *ValidationError are relative to the question ("options",
// "options[1].text"). It returns nil when q is valid.
func ValidateQuestion(q Question) error {
	p := problems{}
	p.question("", q)
	return p.err()
}

// ValidateQuiz checks a quiz's settings and its question pool. Field paths in
// the returned *ValidationError are the API's ("pass_percent",
// "questions[2].options"). It returns nil when the quiz is valid.
func ValidateQuiz(s Settings, questions []Question) error {
	p := problems{}
	if s.PassPercent < 0 || s.PassPercent > 100 {
		p.add("pass_percent", keyPassPercentRange)
	}
	if s.MaxAttempts < 0 {
		p.add("max_attempts", keyMaxAttemptsNegative)
	}
	if s.TimeLimitSeconds < 0 {
		p.add("time_limit_seconds", keyTimeLimitNegative)
	}
	if s.DrawCount < 0 || s.DrawCount > len(questions) {
		p.add("draw_count", keyDrawCountRange)
	}
	switch {
	case len(questions) == 0:
		// A quiz without questions has a maximum score of 0 and could never be passed.
		p.add("questions", keyQuestionsRequired)
	case len(questions) > MaxQuestions:
		// Stop here: validating each would only make the answer huge.
		p.add("questions", keyQuestionsTooMany)
		return p.err()
	}
	seen := make(map[int64]bool, len(questions))
	for i, q := range questions {
		prefix := "questions[" + strconv.Itoa(i) + "]."
		// Answers are keyed by question id, so two stored questions must not share one.
		if q.ID != 0 {
			if seen[q.ID] {
				p.add(prefix+"id", keyDuplicateID)
			}
			seen[q.ID] = true
		}
		p.question(prefix, q)
	}
	return p.err()
}

// question adds q's problems under prefix ("" or "questions[2].").
func (p problems) question(prefix string, q Question) {
	p.text(prefix+"prompt", q.Prompt, MaxPromptLen, keyPromptRequired, keyPromptTooLong)
	if q.Points < 1 || q.Points > MaxPoints {
		p.add(prefix+"points", keyPointsRange)
	}
	if !q.Kind.Valid() {
		p.add(prefix+"kind", keyKindUnknown)
		return
	}

	if q.Kind.hasOptions() {
		p.options(prefix, q)
	} else if len(q.Options) > 0 {
		p.add(prefix+"options", keyOptionsNotAllowed)
	}
	if q.Kind != KindShortText && len(q.Accepted) > 0 {
		p.add(prefix+"accepted", keyAcceptedNotAllowed)
	}

	switch q.Kind {
	case KindTrueFalse:
		if q.AnswerBool == nil {
			p.add(prefix+"answer", keyTrueFalseNeedsAnswer)
		}
	case KindShortText:
		p.accepted(prefix, q.Accepted)
	case KindNumeric:
		switch {
		case q.AnswerNumber == nil:
			p.add(prefix+"answer", keyNumericNeedsAnswer)
		case !finite(*q.AnswerNumber):
			p.add(prefix+"answer", keyNumberNotFinite)
		}
		switch {
		case !finite(q.Tolerance):
			// An infinite tolerance would accept every number.
			p.add(prefix+"tolerance", keyNumberNotFinite)
		case q.Tolerance < 0:
			p.add(prefix+"tolerance", keyToleranceNegative)
		}
	}
}

func (p problems) options(prefix string, q Question) {
	switch {
	case len(q.Options) < 2:
		p.add(prefix+"options", keyOptionsTooFew)
	case len(q.Options) > MaxOptions:
		p.add(prefix+"options", keyOptionsTooMany)
		return
	}
	correct := 0
	for j, o := range q.Options {
		path := prefix + "options[" + strconv.Itoa(j) + "].text"
		p.text(path, o.Text, MaxOptionLen, keyOptionTextRequired, keyOptionTextTooLong)
		if o.Correct {
			correct++
		}
	}
	if q.Kind == KindSingle && correct != 1 {
		p.add(prefix+"options", keySingleNeedsOneCorrect)
	}
	if q.Kind == KindMultiple && correct == 0 {
		p.add(prefix+"options", keyMultipleNeedsCorrect)
	}
}

func (p problems) accepted(prefix string, accepted []string) {
	switch {
	case len(accepted) == 0:
		p.add(prefix+"accepted", keyAcceptedRequired)
		return
	case len(accepted) > MaxAccepted:
		p.add(prefix+"accepted", keyAcceptedTooMany)
		return
	}
	for j, a := range accepted {
		path := prefix + "accepted[" + strconv.Itoa(j) + "]"
		// Judged as grading compares, after normalizing: an accepted answer of
		// only spaces or accents would otherwise be stored and never match.
		if normalizeText(a) == "" {
			p.add(path, keyAcceptedEmpty)
		}
		p.text(path, a, MaxAcceptedLen, keyAcceptedEmpty, keyAcceptedTooLong)
	}
}

// text checks a required text field: not blank, at most maxLen characters,
// and no NUL, which PostgreSQL text columns refuse.
func (p problems) text(path, s string, maxLen int, keyRequired, keyTooLong string) {
	switch {
	case strings.TrimSpace(s) == "":
		p.add(path, keyRequired)
	case utf8.RuneCountInString(s) > maxLen:
		p.add(path, keyTooLong)
	case strings.ContainsRune(s, 0) || !utf8.ValidString(s):
		p.add(path, keyTextInvalid)
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// describe writes fields as "path=key" pairs sorted by path.
func describe(fields map[string]string) string {
	paths := make([]string, 0, len(fields))
	for path := range fields {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	var b strings.Builder
	for i, path := range paths {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(path + "=" + fields[path])
	}
	return b.String()
}

// Presented is one question of an attempt, as that attempt shows it. An
// attempt stores its Presented list (question ids in order and each
// OptionOrder) so that reloading the attempt shows the same page.
type Presented struct {
	Question Question
	// OptionOrder lists stored option indexes in display order: the learner
	// sees Question.Options[OptionOrder[0]] first. It is nil for kinds
	// without options.
	OptionOrder []int
}

// Draw picks the questions of a new attempt from pool: n of them chosen at
// random, or all when n <= 0 or n >= len(pool). Without shuffleQuestions the
// picked questions keep the pool's order; without shuffleOptions every
// question shows its options in stored order. A nil rng uses a randomly
// seeded one; tests pass a seeded rng for repeatable draws.
//
// The returned questions share their Options and Accepted slices with pool.
func Draw(pool []Question, n int, shuffleQuestions, shuffleOptions bool, rng *rand.Rand) []Presented {
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	var picked []int
	if n > 0 && n < len(pool) {
		picked = rng.Perm(len(pool))[:n]
		if !shuffleQuestions {
			slices.Sort(picked)
		}
	} else {
		picked = make([]int, len(pool))
		for i := range picked {
			picked[i] = i
		}
		if shuffleQuestions {
			rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
		}
	}

	out := make([]Presented, len(picked))
	for k, i := range picked {
		q := pool[i]
		out[k].Question = q
		if !q.Kind.hasOptions() {
			continue
		}
		order := make([]int, len(q.Options))
		for j := range order {
			order[j] = j
		}
		if shuffleOptions {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		out[k].OptionOrder = order
	}
	return out
}

// PublicQuestion is what a learner may see of a question. It has no field
// for correct answers, so none can leak by mistake.
type PublicQuestion struct {
	ID      int64          `json:"id"`
	Kind    Kind           `json:"kind"`
	Prompt  string         `json:"prompt"`
	Points  int            `json:"points"`
	Options []PublicOption `json:"options,omitempty"`
}

// PublicOption is one option as a learner sees it. Index is the option's
// place in the stored question, the number the learner sends back.
type PublicOption struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
}

// Public returns the learner's view of p, options in display order. An
// OptionOrder that is not a permutation of the options (a damaged stored
// attempt) falls back to stored order rather than hiding or repeating options.
func (p Presented) Public() PublicQuestion {
	q := p.Question
	pub := PublicQuestion{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Points: q.Points}
	if !q.Kind.hasOptions() || len(q.Options) == 0 {
		return pub
	}
	order := p.OptionOrder
	if !isPermutation(order, len(q.Options)) {
		order = nil
	}
	pub.Options = make([]PublicOption, len(q.Options))
	for k := range pub.Options {
		i := k
		if order != nil {
			i = order[k]
		}
		pub.Options[k] = PublicOption{Index: i, Text: q.Options[i].Text}
	}
	return pub
}

func isPermutation(order []int, n int) bool {
	if len(order) != n {
		return false
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			return false
		}
		seen[i] = true
	}
	return true
}
