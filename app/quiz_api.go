package app

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
)

// quizRequest is a quiz as the API sends it. Absent fields of a PATCH keep
// their value; absent questions keep the pool.
type quizRequest struct {
	Title            string                 `json:"title"`
	ModuleID         *int64                 `json:"module_id"`
	Instructions     string                 `json:"instructions"`
	Required         bool                   `json:"required"`
	PassPercent      *int                   `json:"pass_percent"`
	MaxAttempts      int                    `json:"max_attempts"`
	TimeLimitSeconds int                    `json:"time_limit_seconds"`
	Shuffle          bool                   `json:"shuffle"`
	DrawCount        int                    `json:"draw_count"`
	Review           assessment.Review      `json:"review"`
	Questions        *[]assessment.Question `json:"questions"`
}

func (r *quizRequest) normalize() {
	r.Title = strings.TrimSpace(r.Title)
	r.Review = assessment.Review(strings.TrimSpace(string(r.Review)))
}

func requestOf(p assessment.QuizParams) quizRequest {
	pass := p.PassPercent
	return quizRequest{Title: p.Title, ModuleID: p.ModuleID, Instructions: p.Instructions, Required: p.Required,
		PassPercent: &pass, MaxAttempts: p.MaxAttempts, TimeLimitSeconds: p.TimeLimitSeconds, Shuffle: p.Shuffle,
		DrawCount: p.DrawCount, Review: p.Review}
}

// params returns the quiz settings; a missing pass mark is a field to fix.
func (r *quizRequest) params() (assessment.QuizParams, error) {
	if r.PassPercent == nil {
		return assessment.QuizParams{}, validationError(map[string]message{"pass_percent": {Key: "validation.required"}})
	}
	return assessment.QuizParams{ModuleID: r.ModuleID, Title: r.Title, Instructions: r.Instructions, Required: r.Required,
		PassPercent: *r.PassPercent, MaxAttempts: r.MaxAttempts, TimeLimitSeconds: r.TimeLimitSeconds,
		Shuffle: r.Shuffle, DrawCount: r.DrawCount, Review: r.Review}, nil
}

// listQuizzes lists the quizzes of a course the caller may see.
func (s *server) listQuizzes(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	acc, err := s.courses.Access(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	quizzes, err := s.quizzes.CourseQuizzes(c.UserContext(), acc)
	if err != nil {
		return err
	}
	items := make([]quizJSON, len(quizzes))
	for i, ov := range quizzes {
		items[i] = newQuizJSON(ov.Quiz, ov.Standing)
	}
	return c.JSON(list[quizJSON]{Items: items, Total: len(items)})
}

// createQuiz adds a quiz with its questions to a course.
func (s *server) createQuiz(c *fiber.Ctx) error {
	courseID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	req := quizRequest{Review: assessment.ReviewAfterAttempt}
	if err := parseBody(c, &req); err != nil {
		return err
	}
	p, err := req.params()
	if err != nil {
		return err
	}
	// The API creates a quiz with its questions: none is an error to fix
	// (pages instead create it empty and add questions one by one).
	questions := []assessment.Question{}
	if req.Questions != nil {
		questions = *req.Questions
	}
	q, err := s.quizzes.CreateQuiz(c.UserContext(), actor(c), courseID, p, questions)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(newQuizJSON(q, nil))
}

// showQuiz returns a quiz: with its questions to editors, with the
// learner's attempts to learners.
func (s *server) showQuiz(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ov, err := s.quizzes.Overview(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	q := ov.Quiz
	if ov.CanEdit {
		if q, err = s.quizzes.EditableQuiz(c.UserContext(), actor(c), id); err != nil {
			return err
		}
	}
	return c.JSON(newQuizJSON(q, ov.Standing))
}

// updateQuiz changes a quiz's settings and, when the body has questions,
// replaces its pool (questions with an id are kept and changed).
func (s *server) updateQuiz(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.quizzes.EditableQuiz(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	req := requestOf(q.Params())
	if err := parseBody(c, &req); err != nil {
		return err
	}
	p, err := req.params()
	if err != nil {
		return err
	}
	q, err = s.quizzes.UpdateQuiz(c.UserContext(), actor(c), id, p, req.Questions)
	if err != nil {
		return err
	}
	return c.JSON(newQuizJSON(q, nil))
}

// deleteQuiz removes a quiz, or archives it once attempted.
func (s *server) deleteQuiz(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.quizzes.DeleteQuiz(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// startAttempt starts an attempt (201), or returns the learner's open one
// (200) so a retried request never spends a second attempt.
func (s *server) startAttempt(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, created, err := s.quizzes.Start(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return startedJSON(c, d, created)
}

// startedJSON answers a start: 201 with a new attempt, 200 with the open one.
func startedJSON(c *fiber.Ctx, d *assessment.AttemptDetail, created bool) error {
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(newAttemptJSON(d))
}

// readStart is startAttempt's statement (readsToken): it reads the
// token's user with the quiz, their standing and its pool
// (assessment.StartForToken), where every other API route looks the token
// up first. A malformed address goes the usual way, which says so after
// the token, as does a statement that found nobody or no quiz.
func (s *server) readStart(c *fiber.Ctx, token string) (*accounts.User, func() error, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, nil
	}
	u, d, created, err := s.quizzes.StartForToken(c.UserContext(), token, id)
	if u == nil {
		return nil, nil, err
	}
	return u, func() error { return startedJSON(c, d, created) }, err
}

// listAttempts lists the caller's attempts at a quiz.
func (s *server) listAttempts(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ov, err := s.quizzes.Overview(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	items := []attemptSummary{}
	if ov.Standing != nil {
		for i := range ov.Standing.Attempts {
			items = append(items, newAttemptSummary(&ov.Standing.Attempts[i]))
		}
	}
	return c.JSON(list[attemptSummary]{Items: items, Total: len(items)})
}

// showAttempt returns an attempt to its learner (or the quiz's editors).
func (s *server) showAttempt(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.quizzes.Attempt(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(newAttemptJSON(d))
}

// saveRequest is a save: the answers so far and the save's sequence number.
type saveRequest struct {
	Seq     *int64          `json:"seq"`
	Answers json.RawMessage `json:"answers"`
}

// saveAnswers stores the answers so far of the caller's open attempt,
// unless a save with the same or a higher seq came first.
func (s *server) saveAnswers(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := checkAnswersBody(c); err != nil {
		return err
	}
	var req saveRequest
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return errMalformed
	}
	if req.Seq == nil {
		return validationError(map[string]message{"seq": {Key: "validation.required"}})
	}
	body := append(append([]byte(`{"answers":`), req.Answers...), '}')
	if req.Answers == nil {
		body = nil // no answers at all: malformed, said by DecodeAnswers
	}
	res, err := s.quizzes.Save(c.UserContext(), currentUser(c).ID, id, *req.Seq, body)
	if err != nil {
		return s.submittedError(c, err)
	}
	return c.JSON(res)
}

// submitAttempt grades the caller's open attempt: 200 with the result; 409
// with the first result when it was submitted before; 422 after the time
// limit, once it is closed with the saved answers graded.
func (s *server) submitAttempt(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := checkAnswersBody(c); err != nil {
		return err
	}
	res, err := s.quizzes.Submit(c.UserContext(), currentUser(c).ID, id, c.Body())
	if err != nil {
		return s.submittedError(c, err)
	}
	return c.JSON(res)
}

// readSubmit is submitAttempt's statement (readsToken): it reads the
// token's user with the attempt (assessment.SubmitForToken), where every
// other API route looks the token up first. A malformed address or an
// answers body too large goes the usual way, which says so after the
// token, as does a statement that found nobody or no attempt.
func (s *server) readSubmit(c *fiber.Ctx, token string) (*accounts.User, func() error, error) {
	id, err := paramID(c, "id")
	if err != nil || checkAnswersBody(c) != nil {
		return nil, nil, nil
	}
	u, res, err := s.quizzes.SubmitForToken(c.UserContext(), token, id, c.Body())
	if u == nil {
		return nil, nil, err
	}
	return u, func() error {
		if err != nil {
			return s.submittedError(c, err)
		}
		return c.JSON(res)
	}, nil
}

// submittedBody is the 409 of a repeated submit: the error and, beside it,
// the result the attempt got the first time, unchanged.
type submittedBody struct {
	Error errorDetail `json:"error"`
	assessment.Result
}

// submittedError answers a repeated submit or save with the first result;
// other errors go to the error handler.
func (s *server) submittedError(c *fiber.Ctx, err error) error {
	var se *assessment.SubmittedError
	if !errors.As(err, &se) {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	return c.Status(fiber.StatusConflict).JSON(submittedBody{
		Error:  errorDetail{Code: "already_submitted", Message: tr.T("quiz.error.already_submitted")},
		Result: se.Result,
	})
}

// quizResults returns a quiz's attempts and statistics to its editors.
func (s *server) quizResults(c *fiber.Ctx) error {
	res, _, err := s.quizResultsOf(c)
	if err != nil {
		return err
	}
	out := resultsJSON{Items: make([]resultJSON, len(res.Rows)), Total: res.Total, Questions: make([]statsJSON, len(res.Questions))}
	for i := range res.Rows {
		out.Items[i] = newResultJSON(&res.Rows[i])
	}
	if res.Next != nil {
		out.Next = res.Next.String()
	}
	for i, st := range res.Questions {
		out.Questions[i] = newStatsJSON(st)
	}
	return c.JSON(out)
}
