package assessment

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
)

// answerQuiz has one question of each kind; its option counts bound indexes.
var answerQuiz = []Question{
	{ID: 10, Kind: KindSingle, Prompt: "¿Cuál?", Points: 1, Options: opts(false, true, false)},
	{ID: 11, Kind: KindMultiple, Prompt: "Quais?", Points: 2, Options: opts(true, false, true, false)},
	{ID: 12, Kind: KindTrueFalse, Prompt: "True?", Points: 1, AnswerBool: boolPtr(true)},
	{ID: 13, Kind: KindShortText, Prompt: "Nome?", Points: 1, Accepted: []string{"Conceição"}},
	{ID: 14, Kind: KindNumeric, Prompt: "How many?", Points: 1, AnswerNumber: numPtr(3.5), Tolerance: 0.5},
}

func TestDecodeAnswers(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Answers
	}{
		{
			"one of each kind",
			`{"answers": {"10": 1, "11": [2, 0], "12": false, "13": "  João Conceição ", "14": -2.5e1}}`,
			Answers{
				10: {Kind: KindSingle, Index: 1},
				11: {Kind: KindMultiple, Indexes: []int{0, 2}},
				12: {Kind: KindTrueFalse, Bool: false},
				13: {Kind: KindShortText, Text: "  João Conceição "},
				14: {Kind: KindNumeric, Number: -25},
			},
		},
		{"no answers", `{"answers": {}}`, Answers{}},
		{"null leaves a question unanswered", `{"answers": {"10": null, "12": true}}`, Answers{12: {Kind: KindTrueFalse, Bool: true}}},
		{"multiple with nothing chosen", `{"answers": {"11": []}}`, Answers{11: {Kind: KindMultiple, Indexes: []int{}}}},
		{"negative zero index", `{"answers": {"10": -0}}`, Answers{10: {Kind: KindSingle, Index: 0}}},
		{"escaped key", `{"answers": {"\u0031\u0030": 2}}`, Answers{10: {Kind: KindSingle, Index: 2}}},
		{"text at the length cap", `{"answers": {"13": "` + strings.Repeat("ã", MaxTextAnswerLen) + `"}}`,
			Answers{13: {Kind: KindShortText, Text: strings.Repeat("ã", MaxTextAnswerLen)}}},
		{"surrounding white space", " \n{\"answers\":{\"12\":true}}\n ", Answers{12: {Kind: KindTrueFalse, Bool: true}}},
		{"largest float", `{"answers": {"14": 1.7976931348623157e308}}`, Answers{14: {Kind: KindNumeric, Number: 1.7976931348623157e308}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeAnswers([]byte(tt.body), answerQuiz)
			if err != nil {
				t.Fatalf("DecodeAnswers: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeAnswers = %v, want %v", got, tt.want)
			}
		})
	}
}

// decodeErrorCases are bodies DecodeAnswers refuses, with the fields and keys
// it must report. TestMessageKeys also uses them.
var decodeErrorCases = []struct {
	name string
	body string
	want map[string]string
}{
	{"empty body", ``, map[string]string{"answers": keyAnswersMalformed}},
	{"not JSON", `answers=1`, map[string]string{"answers": keyAnswersMalformed}},
	{"truncated", `{"answers": {"10": 1`, map[string]string{"answers": keyAnswersMalformed}},
	{"trailing comma", `{"answers": {"10": 1,}}`, map[string]string{"answers": keyAnswersMalformed}},
	{"null body", `null`, map[string]string{"answers": keyAnswersMalformed}},
	{"array body", `[]`, map[string]string{"answers": keyAnswersMalformed}},
	{"missing answers", `{}`, map[string]string{"answers": keyAnswersMalformed}},
	{"misspelt answers", `{"answer": {"10": 1}}`, map[string]string{"answers": keyAnswersMalformed}},
	{"answers in other case", `{"Answers": {"10": 1}}`, map[string]string{"answers": keyAnswersMalformed}},
	{"other top-level key", `{"answers": {}, "score": 100}`, map[string]string{"answers": keyAnswersMalformed}},
	{"answers twice", `{"answers": {"10": 0}, "answers": {"10": 1}}`, map[string]string{"answers": keyAnswersMalformed}},
	{"answers null", `{"answers": null}`, map[string]string{"answers": keyAnswersMalformed}},
	{"answers a list", `{"answers": [1, 2]}`, map[string]string{"answers": keyAnswersMalformed}},
	{"trailing data", `{"answers": {}} {}`, map[string]string{"answers": keyAnswersMalformed}},
	{"bad value syntax", `{"answers": {"10": tru}}`, map[string]string{"answers": keyAnswersMalformed}},
	{"NaN literal", `{"answers": {"14": NaN}}`, map[string]string{"answers": keyAnswersMalformed}},

	{"more answers than questions", `{"answers": {"10": 0, "11": [], "12": true, "13": "", "14": 1, "15": 0}}`,
		map[string]string{"answers": keyAnswersTooMany}},

	{"unknown id", `{"answers": {"99": 0}}`, map[string]string{"answers.99": keyUnknownQuestion}},
	{"id not a number", `{"answers": {"abc": 0}}`, map[string]string{"answers.abc": keyUnknownQuestion}},
	{"id with leading zero", `{"answers": {"010": 0}}`, map[string]string{"answers.010": keyUnknownQuestion}},
	{"id with plus sign", `{"answers": {"+10": 0}}`, map[string]string{"answers.+10": keyUnknownQuestion}},
	{"repeated id", `{"answers": {"10": 0, "10": 1}}`, map[string]string{"answers.10": keyDuplicateQuestion}},

	{"single as string", `{"answers": {"10": "1"}}`, map[string]string{"answers.10": keyWrongType}},
	{"single with fraction", `{"answers": {"10": 1.0}}`, map[string]string{"answers.10": keyWrongType}},
	{"single with exponent", `{"answers": {"10": 1e0}}`, map[string]string{"answers.10": keyWrongType}},
	{"single as list", `{"answers": {"10": [1]}}`, map[string]string{"answers.10": keyWrongType}},
	{"single as bool", `{"answers": {"10": true}}`, map[string]string{"answers.10": keyWrongType}},
	{"multiple as number", `{"answers": {"11": 0}}`, map[string]string{"answers.11": keyWrongType}},
	{"multiple with strings", `{"answers": {"11": ["0"]}}`, map[string]string{"answers.11": keyWrongType}},
	{"multiple with null", `{"answers": {"11": [0, null]}}`, map[string]string{"answers.11": keyWrongType}},
	{"multiple with fraction", `{"answers": {"11": [0.5]}}`, map[string]string{"answers.11": keyWrongType}},
	{"true_false as string", `{"answers": {"12": "true"}}`, map[string]string{"answers.12": keyWrongType}},
	{"true_false as number", `{"answers": {"12": 1}}`, map[string]string{"answers.12": keyWrongType}},
	{"short_text as number", `{"answers": {"13": 5}}`, map[string]string{"answers.13": keyWrongType}},
	{"short_text as object", `{"answers": {"13": {"text": "x"}}}`, map[string]string{"answers.13": keyWrongType}},
	{"numeric as string", `{"answers": {"14": "3.5"}}`, map[string]string{"answers.14": keyWrongType}},
	{"numeric as bool", `{"answers": {"14": true}}`, map[string]string{"answers.14": keyWrongType}},

	{"single past the last option", `{"answers": {"10": 3}}`, map[string]string{"answers.10": keyIndexOutOfRange}},
	{"single negative", `{"answers": {"10": -1}}`, map[string]string{"answers.10": keyIndexOutOfRange}},
	{"single beyond int64", `{"answers": {"10": 99999999999999999999}}`, map[string]string{"answers.10": keyIndexOutOfRange}},
	{"multiple past the last option", `{"answers": {"11": [0, 4]}}`, map[string]string{"answers.11": keyIndexOutOfRange}},
	{"multiple repeated index", `{"answers": {"11": [2, 0, 2]}}`, map[string]string{"answers.11": keyDuplicateIndex}},
	{"number too large", `{"answers": {"14": 1e999}}`, map[string]string{"answers.14": keyNumberOutOfRange}},
	{"number too small", `{"answers": {"14": -2e308}}`, map[string]string{"answers.14": keyNumberOutOfRange}},
	{"text too long", `{"answers": {"13": "` + strings.Repeat("ã", MaxTextAnswerLen+1) + `"}}`,
		map[string]string{"answers.13": keyTextTooLong}},
	{"text with NUL", `{"answers": {"13": "a\u0000b"}}`, map[string]string{"answers.13": keyAnswerTextInvalid}},

	{"every problem reported", `{"answers": {"10": 7, "11": [1, 1], "12": "yes", "99": 0}}`, map[string]string{
		"answers.10": keyIndexOutOfRange,
		"answers.11": keyDuplicateIndex,
		"answers.12": keyWrongType,
		"answers.99": keyUnknownQuestion,
	}},
}

func TestDecodeAnswersErrors(t *testing.T) {
	for _, tt := range decodeErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeAnswers([]byte(tt.body), answerQuiz)
			if got != nil {
				t.Errorf("DecodeAnswers returned answers %v with an error", got)
			}
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("DecodeAnswers error = %v (%T), want *AnswerError", err, err)
			}
			if !maps.Equal(ae.Fields, tt.want) {
				t.Errorf("Fields = %v, want %v", ae.Fields, tt.want)
			}
		})
	}
}

func TestDecodeAnswersWithoutQuestions(t *testing.T) {
	got, err := DecodeAnswers([]byte(`{"answers": {}}`), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("empty answers to no questions = %v, %v; want none, nil", got, err)
	}
	_, err = DecodeAnswers([]byte(`{"answers": {"1": 0}}`), nil)
	var ae *AnswerError
	if !errors.As(err, &ae) || ae.Fields["answers"] != keyAnswersTooMany {
		t.Errorf("an answer to no questions: error %v, want %s", err, keyAnswersTooMany)
	}
}

func TestAnswerErrorMessageIsStable(t *testing.T) {
	err := &AnswerError{Fields: map[string]string{"answers.12": keyWrongType, "answers.10": keyIndexOutOfRange}}
	want := "assessment: invalid answers: answers.10=answers.index_out_of_range, answers.12=answers.wrong_type"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// TestAnswersJSONRoundTrip checks that Answers marshalled as a submit body
// decode back to themselves, so stored answers can be re-read and re-graded.
func TestAnswersJSONRoundTrip(t *testing.T) {
	answers := Answers{
		10: {Kind: KindSingle, Index: 2},
		11: {Kind: KindMultiple, Indexes: []int{1, 3}},
		12: {Kind: KindTrueFalse, Bool: true},
		13: {Kind: KindShortText, Text: "Peña <b>&</b> \"Conceição\""},
		14: {Kind: KindNumeric, Number: 0.30000000000000004},
	}
	body, err := json.Marshal(map[string]Answers{"answers": answers})
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeAnswers(body, answerQuiz)
	if err != nil {
		t.Fatalf("DecodeAnswers(%s): %v", body, err)
	}
	if !reflect.DeepEqual(got, answers) {
		t.Errorf("round trip of %s = %v, want %v", body, got, answers)
	}
}

func TestAnswerMarshalJSON(t *testing.T) {
	tests := []struct {
		a    Answer
		want string
	}{
		{Answer{}, `null`},
		{Answer{Kind: KindSingle, Index: 0}, `0`},
		{Answer{Kind: KindMultiple}, `[]`},
		{Answer{Kind: KindMultiple, Indexes: []int{0, 2}}, `[0,2]`},
		{Answer{Kind: KindTrueFalse}, `false`},
		{Answer{Kind: KindShortText, Text: "João"}, `"João"`},
		{Answer{Kind: KindNumeric, Number: -2.5}, `-2.5`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.a)
		if err != nil || string(got) != tt.want {
			t.Errorf("json.Marshal(%+v) = %s, %v; want %s", tt.a, got, err, tt.want)
		}
	}
}
