package app

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
)

// A quiz's results for its instructors and admins: every attempt,
// filterable by institution and outcome, per-question statistics, and a
// CSV export for spreadsheets.

// resultsFilter reads ?institution_id=&passed=true|false&limit=&offset=&after=.
// after is the cursor of the page before (next in the JSON, the next link
// on the page); with it, offset only numbers the rows. offset alone still
// pages, for clients written before the cursor.
func resultsFilter(c *fiber.Ctx, paged bool) (assessment.ResultsFilter, error) {
	var f assessment.ResultsFilter
	if v := c.Query("institution_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, validationError(map[string]message{"institution_id": {Key: "validation.invalid"}})
		}
		f.InstitutionID = id
	}
	switch c.Query("passed") {
	case "":
	case "true":
		f.Passed = boolRef(true)
	case "false":
		f.Passed = boolRef(false)
	default:
		return f, validationError(map[string]message{"passed": {Key: "validation.invalid"}})
	}
	if paged {
		f.Limit, f.Offset = pagination(c)
		if v := c.Query("after"); v != "" {
			after, err := assessment.ParseResultsCursor(v)
			if err != nil {
				return f, validationError(map[string]message{"after": {Key: "validation.invalid"}})
			}
			f.After = after
		}
	}
	return f, nil
}

func boolRef(b bool) *bool { return &b }

// resultJSON is one attempt in the results.
type resultJSON struct {
	AttemptID       int64              `json:"attempt_id"`
	Learner         resultLearner      `json:"learner"`
	Institution     *resultInstitution `json:"institution"`
	Number          int                `json:"number"`
	Status          string             `json:"status"`
	StartedAt       time.Time          `json:"started_at"`
	SubmittedAt     *time.Time         `json:"submitted_at"`
	DurationSeconds *int               `json:"duration_seconds"`
	Score           float64            `json:"score"`
	MaxScore        int                `json:"max_score"`
	Percent         float64            `json:"percent"`
	Passed          bool               `json:"passed"`
}

type resultLearner struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type resultInstitution struct {
	ID      int64  `json:"id"`
	Acronym string `json:"acronym"`
	Name    string `json:"name"`
}

func rowStatus(r *assessment.ResultRow) string {
	switch {
	case !r.Submitted():
		return "in_progress"
	case r.TimedOut:
		return "timed_out"
	}
	return "submitted"
}

func newResultJSON(r *assessment.ResultRow) resultJSON {
	out := resultJSON{AttemptID: r.AttemptID, Learner: resultLearner{ID: r.UserID, Name: r.Learner, Email: r.Email},
		Number: r.Number, Status: rowStatus(r), StartedAt: r.StartedAt.UTC(), SubmittedAt: utcTime(r.SubmittedAt),
		Score: r.Score, MaxScore: r.MaxScore, Percent: r.Percent, Passed: r.Passed}
	if r.InstitutionID != nil {
		out.Institution = &resultInstitution{ID: *r.InstitutionID, Acronym: r.Institution, Name: r.InstitutionName}
	}
	if r.Submitted() {
		secs := int(r.Duration().Seconds())
		out.DurationSeconds = &secs
	}
	return out
}

// statsJSON is one question's statistics.
type statsJSON struct {
	Question  assessment.Question `json:"question"`
	Archived  bool                `json:"archived"`
	Presented int                 `json:"presented"`
	Answered  int                 `json:"answered"`
	Correct   int                 `json:"correct"`
	// Facility is the share of the question's points earned on average, 0..1.
	Facility float64       `json:"facility"`
	Options  []optionStats `json:"options,omitempty"`
}

// optionStats says how often an option was chosen.
type optionStats struct {
	Index   int    `json:"index"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
	Chosen  int    `json:"chosen"`
}

func newStatsJSON(st assessment.QuestionStats) statsJSON {
	out := statsJSON{Question: st.Question, Archived: st.Archived, Presented: st.Presented, Answered: st.Answered,
		Correct: st.Correct, Facility: st.Facility}
	for i, n := range st.OptionCounts {
		o := st.Question.Options[i]
		out.Options = append(out.Options, optionStats{Index: i, Text: o.Text, Correct: o.Correct, Chosen: n})
	}
	return out
}

// quizResultsOf returns one page of the results of the route's quiz
// under the request's filter, for the JSON answer and the page alike (the
// CSV file streams every attempt through assessment's export instead).
func (s *server) quizResultsOf(c *fiber.Ctx) (*assessment.Results, assessment.ResultsFilter, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, assessment.ResultsFilter{}, err
	}
	f, err := resultsFilter(c, true)
	if err != nil {
		return nil, f, err
	}
	res, err := s.quizzes.Results(c.UserContext(), actor(c), id, f)
	return res, f, err
}

// resultsJSON is the answer of GET /api/v1/quizzes/{id}/results.
type resultsJSON struct {
	Items []resultJSON `json:"items"`
	Total int          `json:"total"`
	// Next is the after= of the next page, "" on the last.
	Next      string      `json:"next"`
	Questions []statsJSON `json:"questions"`
}

// quizResultsCSV sends every attempt the filter keeps as a CSV file,
// UTF-8 with a byte order mark, headed and formatted in the reader's
// language (es and pt: ";" and decimal commas, as their spreadsheets expect).
func (s *server) quizResultsCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := resultsFilter(c, false)
	if err != nil {
		return err
	}
	x, err := s.quizzes.ExportResults(c.UserContext(), actor(c), id, f)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	var header []string
	for _, col := range []string{"learner", "email", "institution", "attempt", "started", "submitted", "duration",
		"score", "max_score", "percent", "passed"} {
		header = append(header, tr.T("quiz.csv."+col))
	}
	format := assessment.CSVFormat{Header: header, Yes: tr.T("quiz.yes"), No: tr.T("quiz.no"),
		Open: tr.T("quiz.status.in_progress"), Semicolon: decimalComma(tr.Lang)}
	return s.streamBody(c, fmt.Sprintf("quiz-%d-results.csv", x.Quiz.ID), func(ctx context.Context, w io.Writer) error {
		return x.WriteCSV(ctx, w, format)
	})
}

// resultsPage is a quiz's results page.
type resultsPage struct {
	Page
	Quiz         *assessment.Quiz
	Rows         []resultRowView
	Total        int
	Questions    []statsView
	Institutions template.HTML // the institution filter's options (institutionOptions)
	Outcomes     []choice
	Pager        pager
	Items        []resultRowView // for partials/pager
	CSVURL       string
	EditURL      string
}

type resultRowView struct {
	URL, Learner, Email, Institution, Started, Duration, Result, Status string
	Number                                                              int
	Passed, Submitted                                                   bool
}

type statsView struct {
	Number                       int
	Prompt, Kind, Facility       string
	Presented, Answered, Correct int
	Archived                     bool
	Options                      []optionStatsView
}

type optionStatsView struct {
	Text    string
	Correct bool
	Chosen  int
	Share   string
}

func (s *server) quizResultsPage(c *fiber.Ctx) error {
	res, f, err := s.quizResultsOf(c)
	if err != nil {
		return err
	}
	id := res.Quiz.ID
	insts, err := s.allInstitutions(c)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	p := s.page(c, "quiz.results.title")
	p.Title = tr.T("quiz.results.heading", res.Quiz.Title)
	page := resultsPage{Page: p, Quiz: res.Quiz, Total: res.Total, EditURL: editQuizPath(id)}
	page.Institutions = institutionOptions(insts, f.InstitutionID)
	passed := c.Query("passed")
	page.Outcomes = []choice{
		{Value: "", Label: tr.T("common.all"), Selected: passed == ""},
		{Value: "true", Label: tr.T("quiz.passed"), Selected: passed == "true"},
		{Value: "false", Label: tr.T("quiz.failed"), Selected: passed == "false"},
	}
	for i := range res.Rows {
		page.Rows = append(page.Rows, resultRowViewOf(p, &res.Rows[i]))
	}
	page.Items = page.Rows
	page.Pager = newPager(c, res.Total, f.Limit, f.Offset)
	if res.Next != nil {
		page.Pager.keyset(c, res.Next.String())
	} else {
		page.Pager.keyset(c, "")
	}
	for i, st := range res.Questions {
		page.Questions = append(page.Questions, statsViewOf(tr, i+1, st))
	}
	q := url.Values{}
	if f.InstitutionID != 0 {
		q.Set("institution_id", strconv.FormatInt(f.InstitutionID, 10))
	}
	if passed != "" {
		q.Set("passed", passed)
	}
	page.CSVURL = resultsPath(id) + ".csv"
	if len(q) > 0 {
		page.CSVURL += "?" + q.Encode()
	}
	return s.render(c, "pages/quizzes/results", page)
}

// resultRowViewOf writes one row of a quiz's results for the page p.
func resultRowViewOf(p Page, r *assessment.ResultRow) resultRowView {
	tr := p.tr
	v := resultRowView{URL: attemptPath(r.AttemptID), Learner: r.Learner, Email: r.Email, Institution: r.Institution,
		Started: p.Time(r.StartedAt), Number: r.Number, Passed: r.Passed, Submitted: r.Submitted(),
		Status: tr.T("quiz.status." + rowStatus(r))}
	if r.Submitted() {
		v.Duration = formatDuration(tr, r.Duration())
		v.Result = tr.N("quiz.score_of", r.MaxScore, formatDecimal(tr.Lang, r.Score), formatPercent(tr.Lang, r.Percent))
	}
	return v
}

func statsViewOf(tr i18n.Printer, number int, st assessment.QuestionStats) statsView {
	v := statsView{Number: number, Prompt: st.Question.Prompt, Kind: kindLabel(tr, st.Question.Kind),
		Presented: st.Presented, Answered: st.Answered, Correct: st.Correct, Archived: st.Archived,
		Facility: formatPercent(tr.Lang, st.Facility*100)}
	for i, n := range st.OptionCounts {
		share := "–"
		if st.Presented > 0 {
			share = formatPercent(tr.Lang, float64(n)*100/float64(st.Presented))
		}
		v.Options = append(v.Options, optionStatsView{Text: st.Question.Options[i].Text,
			Correct: st.Question.Options[i].Correct, Chosen: n, Share: share})
	}
	return v
}
