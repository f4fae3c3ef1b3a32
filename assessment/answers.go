package assessment

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Answer is a learner's answer to one question. Kind says which field holds
// it; the zero Answer (Kind "") is an unanswered question and grades 0.
type Answer struct {
	Kind    Kind
	Index   int     // single: the chosen option's stored index
	Indexes []int   // multiple: the chosen options' stored indexes, ascending, no repeats
	Bool    bool    // true_false
	Text    string  // short_text, as typed (normalized only when graded)
	Number  float64 // numeric, always finite
}

// MarshalJSON writes the answer as the learner sent it: an index, a list of
// indexes, a bool, a string or a number (null when unanswered). An Answers
// map marshalled under the key "answers" is therefore a submit body that
// DecodeAnswers reads back to the same Answers.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case KindSingle:
		return json.Marshal(a.Index)
	case KindMultiple:
		if a.Indexes == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(a.Indexes)
	case KindTrueFalse:
		return json.Marshal(a.Bool)
	case KindShortText:
		return json.Marshal(a.Text)
	case KindNumeric:
		return json.Marshal(a.Number)
	}
	return []byte("null"), nil
}

// Answers are a learner's answers by question id. A question without an entry
// was not answered.
type Answers map[int64]Answer

// AnswerError reports a submit body that cannot be graded. Nothing of such a
// body is graded, so a learner never loses an attempt to a client's mistake.
type AnswerError struct {
	// Fields maps "answers" (the body as a whole) or "answers.<question id>"
	// (the key as sent) to a message key. A body that is not JSON of the form
	// {"answers": {…}} has the single entry "answers" → "answers.malformed";
	// the web layer answers it with 400 and other AnswerErrors with 422.
	Fields map[string]string
}

// Error lists the problems in a stable order, for logs and tests.
func (e *AnswerError) Error() string {
	return "assessment: invalid answers: " + describe(e.Fields)
}

// Message keys for AnswerError.Fields.
const (
	keyAnswersMalformed  = "answers.malformed"
	keyAnswersTooMany    = "answers.too_many"
	keyUnknownQuestion   = "answers.unknown_question"
	keyDuplicateQuestion = "answers.duplicate_question"
	keyWrongType         = "answers.wrong_type"
	keyIndexOutOfRange   = "answers.index_out_of_range"
	keyDuplicateIndex    = "answers.duplicate_index"
	keyNumberOutOfRange  = "answers.number_out_of_range"
	keyTextTooLong       = "answers.text_too_long"
	keyAnswerTextInvalid = "answers.text_invalid"
)

var errMalformed = errors.New("malformed")

// DecodeAnswers reads a submit body, {"answers": {"<question id>": answer}},
// against the questions of the attempt. By kind an answer is: single, an
// option index (a JSON integer); multiple, a list of distinct indexes;
// true_false, a bool; short_text, a string of at most MaxTextAnswerLen
// characters; numeric, a number that fits a float64. Indexes are positions in
// the question's stored Options, as in PublicOption.Index.
//
// A missing or null answer leaves its question unanswered. Anything else that
// does not fit (malformed JSON, other top-level keys, ids not in questions,
// written other than in plain decimal, repeated ids, more answers than
// questions, wrong JSON types, indexes out of range or repeated, overlong
// text) is an *AnswerError listing every problem found. DecodeAnswers reads
// untrusted input and never panics; callers should still cap the body size.
func DecodeAnswers(body []byte, questions []Question) (Answers, error) {
	changes, err := decodeChanges(body, questions)
	if err != nil {
		return nil, err
	}
	answers := make(Answers, len(changes))
	for id, a := range changes {
		if a.Kind != "" {
			answers[id] = a
		}
	}
	return answers, nil
}

// AnswerChanges are what a save or a submit body changes in an attempt's
// saved answers, by question: a new answer, or the zero Answer for one sent
// as null, which clears it. Questions the body leaves out keep the answer
// saved before, so a client may send only what changed.
type AnswerChanges map[int64]Answer

// Merge returns the answers a with changes made: a question's new answer
// replaces its old one, a zero Answer removes it. a is left alone.
func (a Answers) Merge(changes AnswerChanges) Answers {
	out := make(Answers, len(a)+len(changes))
	for id, ans := range a {
		out[id] = ans
	}
	for id, ans := range changes {
		if ans.Kind == "" {
			delete(out, id)
			continue
		}
		out[id] = ans
	}
	return out
}

// submitChanges reads the body of a submit: no body, {} and
// {"answers": {}} change nothing, so the saved answers are graded as saved.
func submitChanges(body []byte, questions []Question) (AnswerChanges, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	members := 0
	if eachMember(body, func(string, json.RawMessage) error { members++; return nil }) == nil && members == 0 {
		return nil, nil
	}
	return decodeChanges(body, questions)
}

// decodeChanges reads a submit body as DecodeAnswers does, keeping the
// answers sent as null as zero Answers: to a save, null clears an answer.
func decodeChanges(body []byte, questions []Question) (AnswerChanges, error) {
	var inner json.RawMessage
	err := eachMember(body, func(key string, value json.RawMessage) error {
		if key != "answers" || inner != nil {
			return errMalformed
		}
		inner = value
		return nil
	})
	if err != nil || inner == nil {
		return nil, bodyError(keyAnswersMalformed)
	}

	byID := make(map[string]*Question, len(questions))
	for i := range questions {
		// The canonical decimal form only: "012" or "+12" must not alias 12.
		byID[strconv.FormatInt(questions[i].ID, 10)] = &questions[i]
	}
	answers := make(AnswerChanges)
	fields := make(map[string]string)
	seen := make(map[string]bool)
	err = eachMember(inner, func(key string, value json.RawMessage) error {
		if len(seen) == len(questions) {
			// Bounds the work and the size of the error for hostile bodies.
			return errTooMany
		}
		field := "answers." + key
		if seen[key] {
			fields[field] = keyDuplicateQuestion
			return nil
		}
		seen[key] = true
		q, ok := byID[key]
		if !ok {
			fields[field] = keyUnknownQuestion
			return nil
		}
		a, problem := decodeAnswer(*q, value)
		if problem != "" {
			fields[field] = problem
			return nil
		}
		answers[q.ID] = a
		return nil
	})
	switch {
	case errors.Is(err, errTooMany):
		return nil, bodyError(keyAnswersTooMany)
	case err != nil:
		return nil, bodyError(keyAnswersMalformed)
	case len(fields) > 0:
		return nil, &AnswerError{Fields: fields}
	}
	return answers, nil
}

var errTooMany = errors.New("too many answers")

func bodyError(key string) *AnswerError {
	return &AnswerError{Fields: map[string]string{"answers": key}}
}

// eachMember calls fn for each member of the JSON object in data, in order,
// repeated keys included, which json.Unmarshal into a map would silently
// collapse. It returns errMalformed unless data is exactly one JSON object.
func eachMember(data []byte, fn func(key string, value json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errMalformed
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errMalformed
		}
		key, ok := tok.(string)
		if !ok {
			return errMalformed
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return errMalformed
		}
		if err := fn(key, value); err != nil {
			return err
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return errMalformed
	}
	if _, err := dec.Token(); err != io.EOF {
		return errMalformed // trailing data after the object
	}
	return nil
}

// decodeAnswer reads one syntactically valid JSON value as q's answer. It
// returns the zero Answer for null, or a message key when the value does not
// fit q.
func decodeAnswer(q Question, raw json.RawMessage) (Answer, string) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return Answer{}, ""
	}
	switch q.Kind {
	case KindSingle:
		i, problem := decodeIndex(raw, len(q.Options))
		return Answer{Kind: q.Kind, Index: i}, problem

	case KindMultiple:
		if len(raw) == 0 || raw[0] != '[' {
			return Answer{}, keyWrongType
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return Answer{}, keyWrongType
		}
		indexes := make([]int, 0, len(items))
		for _, item := range items {
			i, problem := decodeIndex(bytes.TrimSpace(item), len(q.Options))
			if problem != "" {
				return Answer{}, problem
			}
			indexes = append(indexes, i)
		}
		slices.Sort(indexes)
		for k := 1; k < len(indexes); k++ {
			if indexes[k] == indexes[k-1] {
				return Answer{}, keyDuplicateIndex
			}
		}
		return Answer{Kind: q.Kind, Indexes: indexes}, ""

	case KindTrueFalse:
		switch string(raw) {
		case "true":
			return Answer{Kind: q.Kind, Bool: true}, ""
		case "false":
			return Answer{Kind: q.Kind, Bool: false}, ""
		}
		return Answer{}, keyWrongType

	case KindShortText:
		if len(raw) == 0 || raw[0] != '"' {
			return Answer{}, keyWrongType
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Answer{}, keyWrongType
		}
		if utf8.RuneCountInString(s) > MaxTextAnswerLen {
			return Answer{}, keyTextTooLong
		}
		// PostgreSQL text refuses NUL; storing the answer must not turn bad input into a 500.
		if strings.ContainsRune(s, 0) {
			return Answer{}, keyAnswerTextInvalid
		}
		return Answer{Kind: q.Kind, Text: s}, ""

	case KindNumeric:
		if !isJSONNumber(raw) {
			return Answer{}, keyWrongType
		}
		// The JSON decoder has checked the syntax; ParseFloat fails only on
		// range, returning ±Inf, and JSON has no NaN or Inf literals.
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return Answer{}, keyNumberOutOfRange
		}
		return Answer{Kind: q.Kind, Number: f}, ""
	}
	// A question of unknown kind (never valid) accepts no answer.
	return Answer{}, keyWrongType
}

// decodeIndex reads a JSON integer that must index one of n options.
// Numbers written with a fraction or exponent ("1.0", "1e0") are not indexes.
func decodeIndex(raw []byte, n int) (int, string) {
	if !isJSONNumber(raw) {
		return 0, keyWrongType
	}
	i, err := strconv.Atoi(string(raw))
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, keyIndexOutOfRange
	case err != nil:
		return 0, keyWrongType
	case i < 0 || i >= n:
		return 0, keyIndexOutOfRange
	}
	return i, ""
}

// isJSONNumber reports whether a valid JSON value is a number.
func isJSONNumber(raw []byte) bool {
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}
