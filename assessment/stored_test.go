package assessment

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestStoredAnswers: answers stored with an attempt are read back even
// when questions changed since; what no longer fits is dropped, never a panic.
func TestStoredAnswers(t *testing.T) {
	changed := []Question{
		{ID: 10, Kind: KindSingle, Prompt: "?", Points: 1, Options: opts(true, false)}, // had 3 options
		{ID: 12, Kind: KindShortText, Prompt: "?", Points: 1, Accepted: []string{"x"}}, // was true_false
		{ID: 13, Kind: KindShortText, Prompt: "?", Points: 1, Accepted: []string{"x"}},
	}
	tests := []struct {
		name string
		raw  string
		qs   []Question
		want Answers
	}{
		{"as saved", `{"10": 1, "13": "João"}`, answerQuiz, Answers{10: {Kind: KindSingle, Index: 1}, 13: {Kind: KindShortText, Text: "João"}}},
		{"nothing saved", `{}`, answerQuiz, Answers{}},
		{"empty column", ``, answerQuiz, Answers{}},
		{"not an object", `[1]`, answerQuiz, Answers{}},
		{"questions changed", `{"10": 2, "12": true, "13": "João"}`, changed, Answers{13: {Kind: KindShortText, Text: "João"}}},
		{"questions gone", `{"10": 0, "11": [0], "12": true, "13": "a", "14": 1, "99": 1}`, changed[:1], Answers{10: {Kind: KindSingle, Index: 0}}},
		{"no questions left", `{"10": 0}`, nil, Answers{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := storedAnswers(json.RawMessage(tt.raw), tt.qs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("storedAnswers(%s) = %v, want %v", tt.raw, got, tt.want)
			}
		})
	}
}
