package assessment

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Answers also come from plain HTML forms, which work without JavaScript.
// A form is turned into the very body the JSON API takes and read by
// DecodeAnswers, so both paths obey the same rules and report the same
// problems.

// formPrefix starts the name of every answer field: "q12" answers question 12.
const formPrefix = "q"

// FormField returns the name of the form field that answers question id.
func FormField(id int64) string { return formPrefix + strconv.FormatInt(id, 10) }

var (
	integerForm = regexp.MustCompile(`^-?[0-9]+$`)
	decimalForm = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
)

// FormBody turns the fields of an answer form into a submit body,
// {"answers": {…}}, for DecodeAnswers. Fields named by FormField carry the
// answers, by the question's kind: single, the chosen option's index;
// multiple, one field per chosen index; true_false, "true" or "false";
// short_text, the text; numeric, a number, where a decimal comma is read as
// a point ("3,5" is 3.5) as people write it in Spanish and Portuguese.
// Other fields (the CSRF token, buttons) are ignored. A question's field
// sent empty is null, which clears a saved answer (Save merges); a question
// whose field is not sent at all is left out, keeping its saved answer.
// Browsers send no field for a set of checkboxes none of which is checked,
// so a form with a multiple question carries an extra empty field for it
// (an empty value never counts as an answer).
//
// FormBody never refuses anything: a value that does not fit becomes one
// DecodeAnswers reports ("abc" for a number becomes a string, which is
// answers.wrong_type), so a form and the API get the same messages.
func FormBody(form map[string][]string, questions []Question) []byte {
	kinds := make(map[string]Kind, len(questions))
	for _, q := range questions {
		kinds[strconv.FormatInt(q.ID, 10)] = q.Kind
	}
	keys := make([]string, 0, len(form))
	for name := range form {
		if id, ok := strings.CutPrefix(name, formPrefix); ok {
			keys = append(keys, id)
		}
	}
	slices.Sort(keys)

	var b bytes.Buffer
	b.WriteString(`{"answers":{`)
	first := true
	for _, id := range keys {
		kind, known := kinds[id]
		values := nonEmpty(form[formPrefix+id], kind)
		if len(values) == 0 && !known {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(&b, id)
		b.WriteByte(':')
		switch {
		case len(values) == 0:
			b.WriteString("null") // sent empty: the learner cleared it
		case kind == KindMultiple:
			b.WriteByte('[')
			for i, v := range values {
				if i > 0 {
					b.WriteByte(',')
				}
				writeIndex(&b, v)
			}
			b.WriteByte(']')
		case len(values) > 1:
			// One answer sent several times: a list, which no kind but
			// multiple accepts, so DecodeAnswers reports a wrong type.
			b.WriteByte('[')
			for i, v := range values {
				if i > 0 {
					b.WriteByte(',')
				}
				writeString(&b, v)
			}
			b.WriteByte(']')
		case kind == KindSingle:
			writeIndex(&b, values[0])
		case kind == KindTrueFalse && (values[0] == "true" || values[0] == "false"):
			b.WriteString(values[0])
		case kind == KindNumeric:
			writeNumber(&b, values[0])
		default:
			writeString(&b, values[0])
		}
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

// nonEmpty drops empty values. Text answers are kept as typed (grading
// ignores outer spaces); other values are trimmed.
func nonEmpty(values []string, kind Kind) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if kind != KindShortText {
			v = strings.TrimSpace(v)
		}
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

// writeIndex writes an option index: an integer as a JSON number (out of
// range ones included, for DecodeAnswers to report), anything else as a string.
func writeIndex(b *bytes.Buffer, v string) {
	if !integerForm.MatchString(v) {
		writeString(b, v)
		return
	}
	// JSON allows no leading zeros; "007" is 7 to a person.
	sign, digits := "", v
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	if digits = strings.TrimLeft(digits, "0"); digits == "" {
		digits = "0"
	}
	b.WriteString(sign + digits)
}

// writeNumber writes a numeric answer as a JSON number when it reads as
// one, with a decimal comma or forms JSON lacks ("+2", ".5", "5.").
func writeNumber(b *bytes.Buffer, v string) {
	if strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		v = strings.Replace(v, ",", ".", 1)
	}
	if !decimalForm.MatchString(v) {
		writeString(b, v)
		return
	}
	if isJSONNumber([]byte(v)) && json.Valid([]byte(v)) {
		b.WriteString(v) // as written, so DecodeAnswers judges its range
		return
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !finite(f) {
		writeString(b, v)
		return
	}
	b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
}

func writeString(b *bytes.Buffer, s string) {
	data, _ := json.Marshal(s) // a string always marshals
	b.Write(data)
}

// FormValues returns the form field values that give answer a, for showing
// saved answers in a form: FormBody of them decodes back to a.
func FormValues(a Answer) []string {
	switch a.Kind {
	case KindSingle:
		return []string{strconv.Itoa(a.Index)}
	case KindMultiple:
		out := make([]string, len(a.Indexes))
		for i, idx := range a.Indexes {
			out[i] = strconv.Itoa(idx)
		}
		return out
	case KindTrueFalse:
		return []string{strconv.FormatBool(a.Bool)}
	case KindShortText:
		return []string{a.Text}
	case KindNumeric:
		return []string{strconv.FormatFloat(a.Number, 'g', -1, 64)}
	}
	return nil
}
