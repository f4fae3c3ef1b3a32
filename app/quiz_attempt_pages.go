package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// Learners' pages: a quiz's overview with their attempts, the attempt
// form, and the result with its review. They work without JavaScript;
// quiz.js adds a live countdown and saves as the learner goes.

// quizPage is a quiz's overview.
type quizPage struct {
	Page
	Quiz   *assessment.Quiz
	Course *courses.Course
	// Instructions are the quiz's instructions, one paragraph per line.
	Instructions []string
	// Facts about the quiz, ready to show.
	PassMark, TimeLimit, Attempts, Questions, Review string
	CanEdit                                          bool
	Standing                                         *assessment.Standing
	Rows                                             []attemptRow
	// Notice explains why an action was refused (no attempts left).
	Notice string
}

// attemptRow is one of the learner's attempts in the overview.
type attemptRow struct {
	Number  int
	URL     string
	Started string
	Status  string
	Result  string
	Passed  bool
	Open    bool
}

func (s *server) showQuizPage(c *fiber.Ctx) error {
	return s.renderQuizPage(c, "", fiber.StatusOK)
}

func (s *server) renderQuizPage(c *fiber.Ctx, notice string, status int) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ov, err := s.quizzes.Overview(ctx, actor(c), id)
	if err != nil {
		return err
	}
	acc := ov.Access
	q := ov.Quiz
	tr := s.i18n.Printer(lang(c))
	p := s.page(c, "quiz.title")
	p.Title = q.Title
	page := quizPage{Page: p, Quiz: q, Course: acc.Course, CanEdit: ov.CanEdit, Standing: ov.Standing, Notice: notice,
		PassMark: formatPercent(tr.Lang, float64(q.PassPercent)), Review: tr.T("quiz.review_learner." + string(q.Review))}
	for _, line := range strings.Split(q.Instructions, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			page.Instructions = append(page.Instructions, line)
		}
	}
	page.TimeLimit = tr.T("quiz.no_time_limit")
	if q.TimeLimitSeconds > 0 {
		page.TimeLimit = formatDuration(tr, q.TimeLimit())
	}
	page.Attempts = tr.T("quiz.unlimited")
	if q.MaxAttempts > 0 {
		page.Attempts = strconv.Itoa(q.MaxAttempts)
	}
	perAttempt := q.QuestionCount
	if q.DrawCount > 0 && q.DrawCount < perAttempt {
		perAttempt = q.DrawCount
	}
	page.Questions = strconv.Itoa(perAttempt)
	if st := ov.Standing; st != nil {
		for i := range st.Attempts {
			a := &st.Attempts[i]
			row := attemptRow{Number: a.Number, URL: attemptPath(a.ID), Started: p.Time(a.StartedAt),
				Status: tr.T("quiz.status." + attemptStatus(a)), Passed: a.Passed, Open: !a.Submitted()}
			if a.Submitted() {
				row.Result = tr.N("quiz.score_of", a.MaxScore, formatDecimal(tr.Lang, a.Score), formatPercent(tr.Lang, a.Percent))
			}
			page.Rows = append(page.Rows, row)
		}
	}
	c.Status(status)
	return s.render(c, "pages/quizzes/show", page)
}

// startAttemptPage starts (or resumes) the learner's attempt and opens it.
func (s *server) startAttemptPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, _, err := s.quizzes.Start(c.UserContext(), actor(c), id)
	switch {
	case errors.Is(err, assessment.ErrNoAttemptsLeft), errors.Is(err, assessment.ErrConcurrentStart):
		he, _ := asHTTPError(err)
		return s.renderQuizPage(c, s.i18n.Printer(lang(c)).T(he.Msg.Key), he.Status)
	case err != nil:
		return err
	}
	return c.Redirect(attemptPath(d.Attempt.ID), fiber.StatusSeeOther)
}

// attemptPage is an open attempt as its learner answers it, or a closed
// one with its result (and review when allowed).
type attemptPage struct {
	Page
	Quiz      *assessment.Quiz
	Attempt   *assessment.Attempt
	Questions []questionView
	// Open attempts: time left, and the sequence number of the next save.
	SecondsLeft int
	TimeLeft    string
	Deadline    string
	NextSeq     int64
	// Closed attempts: the result, and whether answers are shown.
	Result  string
	Passed  bool
	Review  bool
	Owner   bool
	Learner bool // the viewer took it (not an editor looking)
	// Notice tells why a save or submit was not done; Errors is set when
	// answers do not fit (shown beside each question).
	Notice   string
	HasError bool
	// CanRetry: the learner may start another attempt (not offered once
	// the quiz is passed).
	CanRetry bool
	QuizURL  string
	// Confirm: the learner asked to submit with questions unanswered, which
	// Unanswered lists (Summary counts the answered ones); the page asks
	// them to answer those or to confirm.
	Confirm    bool
	Summary    string
	Unanswered []unansweredLink
	// Language is the course's, which the quiz's title, questions and
	// options are written in: they carry lang= (WCAG 3.1.2), since the
	// page's own language is the viewer's.
	Language string
}

// unansweredLink points to an unanswered question of the attempt form.
type unansweredLink struct {
	Number int
	Anchor string
}

// questionView is one question of an attempt page.
type questionView struct {
	Number int
	ID     int64
	Field  string
	Kind   string
	Prompt string
	Points string
	// Options in this attempt's order, checked as answered.
	Options []optionView
	// Value is the text or number typed; True and False say which
	// true_false answer is checked.
	Value       string
	True, False bool
	Error       string
	// Review (closed attempts, when the quiz allows it).
	Score     string
	Correct   bool
	Right     string // the correct answer, for kinds without options
	Answered  bool
	YourValue string // the learner's answer, for kinds without options
}

// optionView is one option of a question.
type optionView struct {
	Index   int
	InputID string
	Text    string
	Checked bool
	Correct bool // review only
}

func (s *server) showAttemptPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.quizzes.Attempt(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return s.renderAttempt(c, d, nil, nil, "", fiber.StatusOK)
}

// renderAttempt renders the attempt form (open attempts of the viewer) or
// the result page. values are the form's fields to show (nil: the saved
// answers); errs are messages by question id.
func (s *server) renderAttempt(c *fiber.Ctx, d *assessment.AttemptDetail, values map[string][]string, errs map[int64]string, notice string, status int) error {
	tr := s.i18n.Printer(lang(c))
	a := d.Attempt
	p := s.page(c, "quiz.attempt.title")
	p.Title = tr.T("quiz.attempt.heading", d.Quiz.Title, a.Number)
	page := attemptPage{Page: p, Quiz: d.Quiz, Attempt: a, SecondsLeft: d.SecondsLeft, Review: d.Review,
		Owner: d.Owner, Learner: d.Owner, Notice: notice, NextSeq: a.LastSaveSeq + 1, QuizURL: quizPath(d.Quiz.ID), Language: d.Language}
	if values == nil {
		values = map[string][]string{}
		for id, ans := range d.Answers {
			values[assessment.FormField(id)] = assessment.FormValues(ans)
		}
	}
	page.HasError = len(errs) > 0
	if d.SecondsLeft >= 0 {
		page.TimeLeft = formatDuration(tr, time.Duration(d.SecondsLeft)*time.Second)
		page.Deadline = p.Time(*a.Deadline)
	}
	if a.Submitted() {
		page.Result = tr.N("quiz.score_of", a.MaxScore, formatDecimal(tr.Lang, a.Score), formatPercent(tr.Lang, a.Percent))
		page.Passed = a.Passed
		if d.Owner {
			if ov, err := s.quizzes.Overview(c.UserContext(), actor(c), d.Quiz.ID); err == nil && ov.Standing != nil {
				page.CanRetry = ov.Standing.CanRetry()
			}
		}
	} else if c.Query("confirm") == "1" {
		if missing := d.Unanswered(); len(missing) > 0 {
			page.Confirm = true
			page.Summary = tr.T("quiz2.confirm.summary", len(d.Questions)-len(missing), len(d.Questions))
			for _, n := range missing {
				page.Unanswered = append(page.Unanswered, unansweredLink{Number: n,
					Anchor: "question-" + strconv.FormatInt(d.Questions[n-1].Question.ID, 10)})
			}
		}
	}
	for i, pq := range d.Questions {
		page.Questions = append(page.Questions, questionViewOf(tr, d, i+1, pq, values, errs[pq.Question.ID]))
	}
	c.Status(status)
	if d.Owner && !a.Submitted() {
		return s.render(c, "pages/quizzes/attempt", page)
	}
	return s.render(c, "pages/quizzes/result", page)
}

func questionViewOf(tr i18n.Printer, d *assessment.AttemptDetail, number int, pq assessment.Presented, values map[string][]string, errMsg string) questionView {
	q := pq.Question
	field := assessment.FormField(q.ID)
	given := values[field]
	v := questionView{Number: number, ID: q.ID, Field: field, Kind: string(q.Kind), Prompt: q.Prompt, Error: errMsg,
		Points: tr.T("quiz.points", q.Points)}
	chosen := map[string]bool{}
	for _, g := range given {
		chosen[strings.TrimSpace(g)] = true
	}
	for _, o := range pq.Public().Options {
		idx := strconv.Itoa(o.Index)
		v.Options = append(v.Options, optionView{Index: o.Index, InputID: fmt.Sprintf("%s-%d", field, o.Index), Text: o.Text,
			Checked: chosen[idx], Correct: q.Options[o.Index].Correct})
	}
	switch q.Kind {
	case assessment.KindTrueFalse:
		v.True, v.False = chosen["true"], chosen["false"]
	case assessment.KindShortText, assessment.KindNumeric:
		v.Value = first(given)
	}
	if !d.Review {
		for i := range v.Options {
			v.Options[i].Correct = false // never in the page before the review rule allows it
		}
		return v
	}
	ans, answered := d.Answers[q.ID]
	score := questionScore(d, q)
	v.Answered, v.Correct = answered, score >= float64(q.Points)
	v.Score = tr.N("quiz.points_of", q.Points, formatDecimal(tr.Lang, score))
	switch q.Kind {
	case assessment.KindTrueFalse:
		if q.AnswerBool != nil {
			v.Right = tr.T("quiz.answer." + strconv.FormatBool(*q.AnswerBool))
		}
		if answered {
			v.YourValue = tr.T("quiz.answer." + strconv.FormatBool(ans.Bool))
		}
	case assessment.KindShortText:
		v.Right = strings.Join(q.Accepted, " · ")
		v.YourValue = ans.Text
	case assessment.KindNumeric:
		if q.AnswerNumber != nil {
			v.Right = formatDecimal(tr.Lang, *q.AnswerNumber)
			if q.Tolerance > 0 {
				v.Right += " ± " + formatDecimal(tr.Lang, q.Tolerance)
			}
		}
		if answered {
			v.YourValue = strconv.FormatFloat(ans.Number, 'f', -1, 64)
			if decimalComma(tr.Lang) {
				v.YourValue = strings.Replace(v.YourValue, ".", ",", 1)
			}
		}
	}
	return v
}

// answerAttemptPage saves or submits the attempt form ("action" says
// which). The form's answers are merged into those saved. A submit that
// would leave questions unanswered saves them and leads to the attempt's
// confirmation step (?confirm=1), whose button ("confirm") submits anyway.
// Whose attempt it is and whether it is still open, assessment decides.
func (s *server) answerAttemptPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := checkAnswersBody(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	d, err := s.quizzes.Attempt(ctx, actor(c), id)
	if err != nil {
		return err
	}
	form := postedForm(c)
	body := assessment.FormBody(form, questionsOf(d))
	action := first(form["action"])
	var saved assessment.SaveResult
	switch action {
	case "submit":
		_, err = s.quizzes.SubmitAnswered(ctx, currentUser(c).ID, id, body)
	case "confirm":
		_, err = s.quizzes.Submit(ctx, currentUser(c).ID, id, body)
	default:
		seq, _ := strconv.ParseInt(first(form["seq"]), 10, 64)
		saved, err = s.quizzes.Save(ctx, currentUser(c).ID, id, seq, body)
	}
	switch {
	case errors.Is(err, assessment.ErrUnanswered):
		return c.Redirect(attemptPath(id)+"?confirm=1#confirm", fiber.StatusSeeOther)
	case err != nil:
		return s.attemptFormError(c, id, form, err)
	case action == "submit" || action == "confirm":
		return s.redirectWithFlash(c, attemptPath(id), "quiz.flash.submitted")
	case !saved.Saved:
		return s.redirectWithFlash(c, attemptPath(id), "quiz.flash.stale")
	}
	return s.redirectWithFlash(c, attemptPath(id), "quiz.flash.saved")
}

// attemptFormError shows what went wrong with a save or submit: the form
// again with a message by each answer that does not fit (422, the input
// kept), or the result of an attempt closed by its deadline (422) or
// already closed (409).
func (s *server) attemptFormError(c *fiber.Ctx, id int64, form map[string][]string, err error) error {
	tr := s.i18n.Printer(lang(c))
	var ae *assessment.AnswerError
	var notice string
	status := fiber.StatusOK
	switch {
	case errors.As(err, &ae):
		notice, status = tr.T("quiz.error.invalid_answers"), fiber.StatusUnprocessableEntity
	case errors.Is(err, assessment.ErrDeadlinePassed):
		notice, status = tr.T("quiz.error.deadline_passed"), fiber.StatusUnprocessableEntity
		form = nil
	case errors.Is(err, assessment.ErrAlreadySubmitted):
		notice, status = tr.T("quiz.error.already_submitted"), fiber.StatusConflict
		form = nil
	default:
		return err
	}
	d, derr := s.quizzes.Attempt(c.UserContext(), actor(c), id)
	if derr != nil {
		return derr
	}
	errs := map[int64]string{}
	if ae != nil {
		for field, key := range ae.Fields {
			qid, perr := strconv.ParseInt(strings.TrimPrefix(field, "answers."), 10, 64)
			if perr != nil {
				notice += " " + tr.T(key)
				continue
			}
			errs[qid] = tr.T(key)
		}
	}
	return s.renderAttempt(c, d, form, errs, notice, status)
}

func questionsOf(d *assessment.AttemptDetail) []assessment.Question {
	out := make([]assessment.Question, len(d.Questions))
	for i, p := range d.Questions {
		out[i] = p.Question
	}
	return out
}

// autosaveAttempt is the save quiz.js sends as the learner goes: the form's
// fields, answered in JSON so the script can tell what happened; its errors
// too, by the one error handler.
func (s *server) autosaveAttempt(c *fiber.Ctx) error {
	answerErrorsInJSON(c)
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := checkAnswersBody(c); err != nil {
		return err
	}
	d, err := s.quizzes.Attempt(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	form := postedForm(c)
	seq, _ := strconv.ParseInt(first(form["seq"]), 10, 64)
	res, err := s.quizzes.Save(c.UserContext(), currentUser(c).ID, id, seq, assessment.FormBody(form, questionsOf(d)))
	if err != nil {
		return err
	}
	return c.JSON(res)
}
