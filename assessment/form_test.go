package assessment

import (
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestFormBody(t *testing.T) {
	tests := []struct {
		name string
		form string // as a browser encodes it
		want Answers
	}{
		{"one of each kind", "q10=1&q11=2&q11=0&q12=false&q13=+Jo%C3%A3o+&q14=3%2C5&csrf=x&action=save",
			Answers{
				10: {Kind: KindSingle, Index: 1},
				11: {Kind: KindMultiple, Indexes: []int{0, 2}},
				12: {Kind: KindTrueFalse, Bool: false},
				13: {Kind: KindShortText, Text: " João "},
				14: {Kind: KindNumeric, Number: 3.5},
			}},
		{"nothing answered", "csrf=x", Answers{}},
		{"empty fields are unanswered", "q10=&q13=++&q14=", Answers{}},
		{"decimal point", "q14=-2.25", Answers{14: {Kind: KindNumeric, Number: -2.25}}},
		{"plus sign and bare fraction", "q14=%2B.5", Answers{14: {Kind: KindNumeric, Number: 0.5}}},
		{"trailing point", "q14=5.", Answers{14: {Kind: KindNumeric, Number: 5}}},
		{"exponent", "q14=1e3", Answers{14: {Kind: KindNumeric, Number: 1000}}},
		{"spaces around a number", "q14=+7+", Answers{14: {Kind: KindNumeric, Number: 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			body := FormBody(form, answerQuiz)
			got, err := DecodeAnswers(body, answerQuiz)
			if err != nil {
				t.Fatalf("DecodeAnswers(%s): %v", body, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("answers of %s = %v, want %v", body, got, tt.want)
			}
		})
	}
}

// TestFormBodyErrors: what does not fit gets the API's own messages.
func TestFormBodyErrors(t *testing.T) {
	tests := []struct {
		name string
		form string
		want map[string]string
	}{
		{"number with letters", "q14=tres", map[string]string{"answers.14": keyWrongType}},
		{"number with two commas", "q14=1%2C000%2C5", map[string]string{"answers.14": keyWrongType}},
		{"number with comma and point", "q14=1.000%2C5", map[string]string{"answers.14": keyWrongType}},
		{"number out of range", "q14=1e999", map[string]string{"answers.14": keyNumberOutOfRange}},
		{"infinity is not a number", "q14=Inf", map[string]string{"answers.14": keyWrongType}},
		{"index not a number", "q10=first", map[string]string{"answers.10": keyWrongType}},
		{"index out of range", "q10=3", map[string]string{"answers.10": keyIndexOutOfRange}},
		{"huge index", "q10=99999999999999999999999", map[string]string{"answers.10": keyIndexOutOfRange}},
		{"index with fraction", "q11=0.5", map[string]string{"answers.11": keyWrongType}},
		{"repeated index", "q11=1&q11=1", map[string]string{"answers.11": keyDuplicateIndex}},
		{"single sent twice", "q10=0&q10=1", map[string]string{"answers.10": keyWrongType}},
		{"true_false other word", "q12=yes", map[string]string{"answers.12": keyWrongType}},
		{"unknown question", "q99=1", map[string]string{"answers.99": keyUnknownQuestion}},
		{"not an id", "qabc=1", map[string]string{"answers.abc": keyUnknownQuestion}},
		{"text too long", "q13=" + strings.Repeat("a", MaxTextAnswerLen+1), map[string]string{"answers.13": keyTextTooLong}},
		{"text with NUL", "q13=a%00b", map[string]string{"answers.13": keyAnswerTextInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			body := FormBody(form, answerQuiz)
			_, err = DecodeAnswers(body, answerQuiz)
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("DecodeAnswers(%s) = %v, want *AnswerError", body, err)
			}
			if !maps.Equal(ae.Fields, tt.want) {
				t.Errorf("fields of %s = %v, want %v", body, ae.Fields, tt.want)
			}
		})
	}
}

func TestFormValuesRoundTrip(t *testing.T) {
	answers := Answers{
		10: {Kind: KindSingle, Index: 2},
		11: {Kind: KindMultiple, Indexes: []int{1, 3}},
		12: {Kind: KindTrueFalse, Bool: true},
		13: {Kind: KindShortText, Text: "Peña \"Conceição\""},
		14: {Kind: KindNumeric, Number: 0.30000000000000004},
	}
	form := url.Values{}
	for id, a := range answers {
		form[FormField(id)] = FormValues(a)
	}
	got, err := DecodeAnswers(FormBody(form, answerQuiz), answerQuiz)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, answers) {
		t.Errorf("round trip = %v, want %v", got, answers)
	}
}

// FuzzFormBody feeds arbitrary form encodings through FormBody and
// DecodeAnswers: the body is always well-formed JSON, bad values are
// *AnswerError never a panic, and accepted answers fit their questions and
// show again in a form as themselves. Run it with
//
//	go test -run '^$' -fuzz FuzzFormBody -fuzztime 60s ./assessment/
func FuzzFormBody(f *testing.F) {
	for _, seed := range []string{
		"q10=1&q11=2&q11=0&q12=false&q13=+Jo%C3%A3o+&q14=3%2C5&csrf=x",
		"q14=1e999&q10=-0&q16=0&q16=1&q16=2",
		"q15=0&q15=0&q99=1&qx=%FF",
		"q13=%00&q12=true&q12=false",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		body := FormBody(form, fuzzQuiz)
		if !json.Valid(body) {
			t.Fatalf("FormBody(%q) = %s, not JSON", raw, body)
		}
		answers, err := DecodeAnswers(body, fuzzQuiz)
		if err != nil {
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is %T", err, err)
			}
			if ae.Fields["answers"] == keyAnswersMalformed {
				t.Fatalf("FormBody(%q) = %s is malformed", raw, body)
			}
			return
		}
		again := url.Values{}
		for id, a := range answers {
			q := questionByID(fuzzQuiz, id)
			if q == nil {
				t.Fatalf("answer to question %d, which is not in the quiz", id)
			}
			checkAnswerFits(t, *q, a)
			again[FormField(id)] = FormValues(a)
		}
		back, err := DecodeAnswers(FormBody(again, fuzzQuiz), fuzzQuiz)
		if err != nil {
			t.Fatalf("answers %v shown in a form do not decode: %v", answers, err)
		}
		if r1, r2 := GradeAll(fuzzQuiz, answers, 50), GradeAll(fuzzQuiz, back, 50); r1 != r2 {
			t.Fatalf("answers %v grade %+v, shown in a form and sent again %+v", answers, r1, r2)
		}
	})
}
