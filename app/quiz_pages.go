package app

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// Authoring pages: a quiz's settings, its questions, one form per
// question. Plain forms that work without JavaScript.

// choice is one option of a select or a set of radio buttons.
type choice struct {
	Value    string
	Label    string
	Selected bool
}

// quizFormPage is the settings form of a new quiz, or of an existing one
// with its question pool.
type quizFormPage struct {
	Page
	Course  *courses.Course
	Quiz    *assessment.Quiz // nil for a new quiz
	Action  string
	Form    quizForm
	Modules []choice
	Reviews []choice
	Errors  map[string]string
	// For an existing quiz: its pool and what can be added.
	Questions []poolItem
	Kinds     []choice
}

// poolItem is one question in the pool list of the quiz page.
type poolItem struct {
	ID          int64
	Number      int
	Kind        string
	Prompt      string
	Points      int
	First, Last bool
}

func kindLabel(tr i18n.Printer, k assessment.Kind) string { return tr.T("quiz.kind." + string(k)) }

var kinds = []assessment.Kind{assessment.KindSingle, assessment.KindMultiple, assessment.KindTrueFalse,
	assessment.KindShortText, assessment.KindNumeric}

// renderQuizForm shows the settings form (and, for a quiz, its pool).
func (s *server) renderQuizForm(c *fiber.Ctx, acc *courses.Access, q *assessment.Quiz, form quizForm, errs map[string]string) error {
	ctx := c.UserContext()
	mods, err := s.courses.Outline(ctx, acc)
	if err != nil {
		return err
	}
	titleKey := "quiz.new.title"
	if q != nil {
		titleKey = "quiz.edit.title"
	}
	p := s.page(c, titleKey)
	if q != nil {
		p.Title = q.Title
	}
	tr := s.i18n.Printer(lang(c))
	page := quizFormPage{Page: p, Course: acc.Course, Quiz: q, Form: form, Errors: errs,
		Action: "/manage/courses/" + strconv.FormatInt(acc.Course.ID, 10) + "/quizzes"}
	page.Modules = append(page.Modules, choice{Value: "", Label: tr.T("quiz.field.final_exam"), Selected: form.ModuleID == ""})
	for _, m := range mods {
		id := strconv.FormatInt(m.ID, 10)
		page.Modules = append(page.Modules, choice{Value: id, Label: m.Title, Selected: form.ModuleID == id})
	}
	for _, r := range assessment.Reviews {
		page.Reviews = append(page.Reviews, choice{Value: string(r), Label: tr.T("quiz.review." + string(r)), Selected: form.Review == string(r)})
	}
	if q != nil {
		page.Action = editQuizPath(q.ID)
		for i, qq := range q.Questions {
			page.Questions = append(page.Questions, poolItem{ID: qq.ID, Number: i + 1, Kind: kindLabel(tr, qq.Kind),
				Prompt: qq.Prompt, Points: qq.Points, First: i == 0, Last: i == len(q.Questions)-1})
		}
		for _, k := range kinds {
			page.Kinds = append(page.Kinds, choice{Value: string(k), Label: kindLabel(tr, k)})
		}
	}
	return s.render(c, "pages/quizzes/form", page)
}

// editableCourse returns the course of the :id parameter if the viewer may
// add quizzes to it (assessment decides).
func (s *server) editableCourse(c *fiber.Ctx) (*courses.Access, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.quizzes.QuizCourse(c.UserContext(), actor(c), id)
}

// editableQuiz returns the quiz of the :id parameter, with its pool, and
// its course, if the viewer may edit it.
func (s *server) editableQuiz(c *fiber.Ctx) (*assessment.Quiz, *courses.Access, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	q, err := s.quizzes.EditableQuiz(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.courses.Access(c.UserContext(), actor(c), q.CourseID)
	if err != nil {
		return nil, nil, err
	}
	return q, acc, nil
}

func (s *server) newQuizPage(c *fiber.Ctx) error {
	acc, err := s.editableCourse(c)
	if err != nil {
		return err
	}
	return s.renderQuizForm(c, acc, nil, newQuizForm(), nil)
}

// createQuizPage creates an empty quiz and goes on to its page, where
// questions are added.
func (s *server) createQuizPage(c *fiber.Ctx) error {
	acc, err := s.editableCourse(c)
	if err != nil {
		return err
	}
	form := readQuizForm(postedForm(c))
	p, bad := form.params()
	if len(bad) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderQuizForm(c, acc, nil, form, s.translateFields(c, validationError(bad)))
	}
	q, err := s.quizzes.CreateQuiz(c.UserContext(), actor(c), acc.Course.ID, p, nil)
	if err != nil {
		return s.quizFormError(c, acc, nil, form, err)
	}
	return s.redirectWithFlash(c, editQuizPath(q.ID), "quiz.flash.created")
}

// quizFormError shows the form again for errors about its fields.
func (s *server) quizFormError(c *fiber.Ctx, acc *courses.Access, q *assessment.Quiz, form quizForm, err error) error {
	if !fieldError(err) {
		return err
	}
	errs := s.translateFields(c, err)
	if m, ok := errs["time_limit_seconds"]; ok {
		errs["time_limit_minutes"] = m
	}
	c.Status(statusOf(err))
	return s.renderQuizForm(c, acc, q, form, errs)
}

func (s *server) editQuizPage(c *fiber.Ctx) error {
	q, acc, err := s.editableQuiz(c)
	if err != nil {
		return err
	}
	return s.renderQuizForm(c, acc, q, quizFormOf(q), nil)
}

func (s *server) updateQuizPage(c *fiber.Ctx) error {
	q, acc, err := s.editableQuiz(c)
	if err != nil {
		return err
	}
	form := readQuizForm(postedForm(c))
	p, bad := form.params()
	if len(bad) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderQuizForm(c, acc, q, form, s.translateFields(c, validationError(bad)))
	}
	if _, err := s.quizzes.UpdateQuiz(c.UserContext(), actor(c), q.ID, p, nil); err != nil {
		return s.quizFormError(c, acc, q, form, err)
	}
	return s.redirectWithFlash(c, editQuizPath(q.ID), "flash.saved")
}

func (s *server) deleteQuizPage(c *fiber.Ctx) error {
	q, _, err := s.editableQuiz(c)
	if err != nil {
		return err
	}
	if err := s.quizzes.DeleteQuiz(c.UserContext(), actor(c), q.ID); err != nil {
		return err
	}
	return s.redirectWithFlash(c, managePath(q.CourseID), "quiz.flash.deleted")
}

// questionFormPage is the form of one question.
type questionFormPage struct {
	Page
	Quiz      *assessment.Quiz
	Action    string
	Form      questionForm
	KindLabel string
	Errors    map[string]string
	// MaxOptions is shown next to the options.
	MaxOptions int
}

func (s *server) renderQuestionForm(c *fiber.Ctx, q *assessment.Quiz, action string, form questionForm, errs map[string]string) error {
	titleKey := "quiz.question.new"
	if !strings.HasSuffix(action, "/questions") {
		titleKey = "quiz.question.edit"
	}
	tr := s.i18n.Printer(lang(c))
	return s.render(c, "pages/quizzes/question_form", questionFormPage{Page: s.page(c, titleKey), Quiz: q,
		Action: action, Form: form.withBlankRows(), KindLabel: kindLabel(tr, form.Kind), Errors: errs,
		MaxOptions: assessment.MaxOptions})
}

func (s *server) newQuestionPage(c *fiber.Ctx) error {
	q, _, err := s.editableQuiz(c)
	if err != nil {
		return err
	}
	kind := assessment.Kind(c.Query("kind"))
	if !kind.Valid() {
		return errNotFound
	}
	form := questionForm{Kind: kind, Points: "1"}
	if kind == assessment.KindNumeric {
		form.Tolerance = "0"
	}
	return s.renderQuestionForm(c, q, editQuizPath(q.ID)+"/questions", form, nil)
}

func (s *server) createQuestionPage(c *fiber.Ctx) error {
	q, _, err := s.editableQuiz(c)
	if err != nil {
		return err
	}
	fields := postedForm(c)
	kind := assessment.Kind(first(fields["kind"]))
	if !kind.Valid() {
		return errMalformed
	}
	form := readQuestionForm(fields, kind)
	action := editQuizPath(q.ID) + "/questions"
	question, rows, bad := form.question()
	if len(bad) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderQuestionForm(c, q, action, form, s.translateFields(c, validationError(bad)))
	}
	if _, err := s.quizzes.AddQuestion(c.UserContext(), actor(c), q.ID, question); err != nil {
		return s.questionFormError(c, q, action, form, rows, err)
	}
	return s.redirectWithFlash(c, editQuizPath(q.ID), "quiz.flash.question_added")
}

// optionPath matches the field paths of one option ("options[2].text").
var optionPath = regexp.MustCompile(`^options\[([0-9]+)\]`)

// questionFormError shows the question form again with the messages of a
// validation error, each option's next to the line it came from.
func (s *server) questionFormError(c *fiber.Ctx, q *assessment.Quiz, action string, form questionForm, rows []int, err error) error {
	if !fieldError(err) {
		return err
	}
	errs := s.translateFields(c, err)
	for path, msg := range errs {
		m := optionPath.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		if k, _ := strconv.Atoi(m[1]); k < len(rows) && rows[k] < len(form.Options) {
			form.Options[rows[k]].Error = msg
		}
		delete(errs, path)
	}
	for path, msg := range errs {
		if strings.HasPrefix(path, "accepted[") {
			errs["accepted"] = msg
		}
	}
	c.Status(statusOf(err))
	return s.renderQuestionForm(c, q, action, form, errs)
}

// editableQuestion returns the question of the :id parameter and its quiz.
func (s *server) editableQuestion(c *fiber.Ctx) (assessment.Question, *assessment.Quiz, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return assessment.Question{}, nil, err
	}
	return s.quizzes.EditableQuestion(c.UserContext(), actor(c), id)
}

func questionPath(id int64) string { return "/manage/questions/" + strconv.FormatInt(id, 10) }

func (s *server) editQuestionPage(c *fiber.Ctx) error {
	question, q, err := s.editableQuestion(c)
	if err != nil {
		return err
	}
	return s.renderQuestionForm(c, q, questionPath(question.ID), questionFormOf(question), nil)
}

func (s *server) updateQuestionPage(c *fiber.Ctx) error {
	question, q, err := s.editableQuestion(c)
	if err != nil {
		return err
	}
	form := readQuestionForm(postedForm(c), question.Kind)
	action := questionPath(question.ID)
	changed, rows, bad := form.question()
	if len(bad) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderQuestionForm(c, q, action, form, s.translateFields(c, validationError(bad)))
	}
	if _, err := s.quizzes.UpdateQuestion(c.UserContext(), actor(c), question.ID, changed); err != nil {
		return s.questionFormError(c, q, action, form, rows, err)
	}
	return s.redirectWithFlash(c, editQuizPath(q.ID), "flash.saved")
}

func (s *server) deleteQuestionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.quizzes.DeleteQuestion(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, editQuizPath(q.ID), "quiz.flash.question_deleted")
}

func (s *server) moveQuestionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	dir := c.FormValue("direction")
	if dir != "up" && dir != "down" {
		return errMalformed
	}
	q, err := s.quizzes.MoveQuestion(c.UserContext(), actor(c), id, dir == "up")
	if err != nil {
		return err
	}
	return c.Redirect(editQuizPath(q.ID), fiber.StatusSeeOther)
}
