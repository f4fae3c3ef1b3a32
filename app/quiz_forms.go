package app

import (
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/assessment"
)

// postedForm copies the fields of a form POST, every value of every
// field in order (Fiber reuses the memory behind them after the handler).
func postedForm(c *fiber.Ctx) map[string][]string {
	form := map[string][]string{}
	c.Request().PostArgs().VisitAll(func(key, value []byte) {
		k := string(key)
		form[k] = append(form[k], string(value))
	})
	return form
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// formNumber reads a number typed by a person: spaces around it and a
// decimal comma ("1,5") are fine. ok is false for anything else.
func formNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// formInt reads a whole number; empty is 0.
func formInt(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// quizForm is the settings form of a quiz, as typed: numbers stay text so
// a form shown again after an error keeps exactly what was entered.
type quizForm struct {
	Title            string
	ModuleID         string // "" for a final exam of the course
	Instructions     string
	Required         bool
	PassPercent      string
	MaxAttempts      string
	TimeLimitMinutes string // "" for no limit; decimals allowed
	Shuffle          bool
	DrawCount        string
	Review           string
}

func quizFormOf(q *assessment.Quiz) quizForm {
	f := quizForm{Title: q.Title, Instructions: q.Instructions, Required: q.Required,
		PassPercent: strconv.Itoa(q.PassPercent), MaxAttempts: strconv.Itoa(q.MaxAttempts),
		Shuffle: q.Shuffle, DrawCount: strconv.Itoa(q.DrawCount), Review: string(q.Review)}
	if q.ModuleID != nil {
		f.ModuleID = strconv.FormatInt(*q.ModuleID, 10)
	}
	if q.TimeLimitSeconds > 0 {
		f.TimeLimitMinutes = strconv.FormatFloat(float64(q.TimeLimitSeconds)/60, 'f', -1, 64)
	}
	return f
}

func newQuizForm() quizForm {
	return quizForm{PassPercent: "70", MaxAttempts: "0", DrawCount: "0", Review: string(assessment.ReviewAfterAttempt)}
}

func readQuizForm(form map[string][]string) quizForm {
	v := func(name string) string { return strings.TrimSpace(first(form[name])) }
	return quizForm{Title: v("title"), ModuleID: v("module_id"), Instructions: first(form["instructions"]),
		Required: v("required") != "", PassPercent: v("pass_percent"), MaxAttempts: v("max_attempts"),
		TimeLimitMinutes: v("time_limit_minutes"), Shuffle: v("shuffle") != "", DrawCount: v("draw_count"),
		Review: v("review")}
}

// params returns the settings, or a message per field that is not a number.
func (f quizForm) params() (assessment.QuizParams, map[string]message) {
	bad := map[string]message{}
	integer := func(field, s string) int {
		n, ok := formInt(s)
		if !ok {
			bad[field] = message{Key: "validation.invalid"}
		}
		return n
	}
	p := assessment.QuizParams{Title: f.Title, Instructions: strings.ReplaceAll(f.Instructions, "\r\n", "\n"),
		Required: f.Required, Shuffle: f.Shuffle, Review: assessment.Review(f.Review),
		PassPercent: integer("pass_percent", f.PassPercent), MaxAttempts: integer("max_attempts", f.MaxAttempts),
		DrawCount: integer("draw_count", f.DrawCount)}
	if f.ModuleID != "" {
		id, err := strconv.ParseInt(f.ModuleID, 10, 64)
		if err != nil {
			bad["module_id"] = message{Key: "validation.invalid"}
		}
		p.ModuleID = &id
	}
	if f.TimeLimitMinutes != "" {
		minutes, ok := formNumber(f.TimeLimitMinutes)
		switch {
		case !ok:
			bad["time_limit_minutes"] = message{Key: "validation.invalid"}
		case minutes*60 > math.MaxInt32:
			bad["time_limit_minutes"] = message{Key: "validation.invalid"}
		default:
			p.TimeLimitSeconds = int(math.Round(minutes * 60))
		}
	}
	return p, bad
}

// optionRow is one line of the options of a question form.
type optionRow struct {
	Index   int
	Text    string
	Correct bool
	Error   string
}

// questionForm is a question form as typed.
type questionForm struct {
	Kind          assessment.Kind
	Prompt        string
	Points        string
	PartialCredit bool
	Options       []optionRow
	Answer        string // true_false: "true" or "false"; numeric: the number
	Tolerance     string
	Accepted      string // one accepted answer per line
}

// blankOptionRows is how many empty option lines a form offers for new options.
const blankOptionRows = 2

func questionFormOf(q assessment.Question) questionForm {
	f := questionForm{Kind: q.Kind, Prompt: q.Prompt, Points: strconv.Itoa(q.Points), PartialCredit: q.PartialCredit,
		Accepted: strings.Join(q.Accepted, "\n")}
	for _, o := range q.Options {
		f.Options = append(f.Options, optionRow{Text: o.Text, Correct: o.Correct})
	}
	switch {
	case q.AnswerBool != nil:
		f.Answer = strconv.FormatBool(*q.AnswerBool)
	case q.AnswerNumber != nil:
		f.Answer = strconv.FormatFloat(*q.AnswerNumber, 'f', -1, 64)
	}
	if q.Kind == assessment.KindNumeric {
		f.Tolerance = strconv.FormatFloat(q.Tolerance, 'f', -1, 64)
	}
	return f.withBlankRows()
}

// withBlankRows numbers the option lines and adds empty ones to fill in.
func (f questionForm) withBlankRows() questionForm {
	if f.Kind != assessment.KindSingle && f.Kind != assessment.KindMultiple {
		f.Options = nil
		return f
	}
	n := min(assessment.MaxOptions, max(len(f.Options)+blankOptionRows, 4))
	for len(f.Options) < n {
		f.Options = append(f.Options, optionRow{})
	}
	for i := range f.Options {
		f.Options[i].Index = i
	}
	return f
}

func readQuestionForm(form map[string][]string, kind assessment.Kind) questionForm {
	f := questionForm{Kind: kind, Prompt: strings.ReplaceAll(first(form["prompt"]), "\r\n", "\n"),
		Points: strings.TrimSpace(first(form["points"])), PartialCredit: first(form["partial_credit"]) != "",
		Answer: strings.TrimSpace(first(form["answer"])), Tolerance: strings.TrimSpace(first(form["tolerance"])),
		Accepted: strings.ReplaceAll(first(form["accepted"]), "\r\n", "\n")}
	correct := map[string]bool{}
	for _, v := range form["option_correct"] {
		correct[v] = true
	}
	for i, text := range form["option_text"] {
		if i >= assessment.MaxOptions+blankOptionRows {
			break // more lines than any form offers
		}
		f.Options = append(f.Options, optionRow{Text: text, Correct: correct[strconv.Itoa(i)]})
	}
	return f
}

// question returns the question the form describes, which lines of the
// form its options came from (blank lines are left out), and a message per
// field that is not a number.
func (f questionForm) question() (assessment.Question, []int, map[string]message) {
	bad := map[string]message{}
	q := assessment.Question{Kind: f.Kind, Prompt: strings.TrimSpace(f.Prompt), PartialCredit: f.PartialCredit}
	points, ok := formInt(f.Points)
	if !ok {
		bad["points"] = message{Key: "validation.invalid"}
	}
	q.Points = points
	var rows []int
	for i, o := range f.Options {
		if strings.TrimSpace(o.Text) == "" {
			continue
		}
		q.Options = append(q.Options, assessment.Option{Text: strings.TrimSpace(o.Text), Correct: o.Correct})
		rows = append(rows, i)
	}
	for _, line := range strings.Split(f.Accepted, "\n") {
		if strings.TrimSpace(line) != "" {
			q.Accepted = append(q.Accepted, strings.TrimSpace(line))
		}
	}
	switch f.Kind {
	case assessment.KindTrueFalse:
		if b, err := strconv.ParseBool(f.Answer); err == nil && (f.Answer == "true" || f.Answer == "false") {
			q.AnswerBool = &b
		}
	case assessment.KindNumeric:
		if f.Answer != "" {
			if n, ok := formNumber(f.Answer); ok {
				q.AnswerNumber = &n
			} else {
				bad["answer"] = message{Key: "validation.invalid"}
			}
		}
		if f.Tolerance != "" {
			if n, ok := formNumber(f.Tolerance); ok {
				q.Tolerance = n
			} else {
				bad["tolerance"] = message{Key: "validation.invalid"}
			}
		}
	}
	return q, rows, bad
}
