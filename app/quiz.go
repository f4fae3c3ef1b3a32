package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/locales"
)

// Quizzes and attempts: shared pieces of the pages and the API.
// The rules are assessment's; handlers here only translate between HTTP
// and its Service.

// answersBodyLimit caps a save or submit body. A quiz's longest legitimate
// answers (a few texts of MaxTextAnswerLen characters) are far below it.
const answersBodyLimit = 256 << 10

// errAnswersTooLarge answers a save or submit body over answersBodyLimit.
var errAnswersTooLarge = newHTTPError(fiber.StatusRequestEntityTooLarge, "too_large", "error.too_large")

func quizPath(id int64) string        { return fmt.Sprintf("/quizzes/%d", id) }
func attemptPath(id int64) string     { return fmt.Sprintf("/attempts/%d", id) }
func editQuizPath(id int64) string    { return fmt.Sprintf("/manage/quizzes/%d", id) }
func resultsPath(id int64) string     { return fmt.Sprintf("/manage/quizzes/%d/results", id) }
func newQuizPath(course int64) string { return fmt.Sprintf("/manage/courses/%d/quizzes/new", course) }

// quizSection is what partials/quizzes shows on a course or module page:
// its quizzes, with the viewer's standing, and for editors a link to add
// one. It carries its own translator so the partial can be called with
// {{template "partials/quizzes" .Quizzes}}.
type quizSection struct {
	Items  []quizItem
	NewURL string // editors only
	// CourseLang is the course's language, which the quizzes' titles are
	// written in; the section's own words are in the viewer's (the course
	// page places it inside an element marked with the course's).
	CourseLang string
	tr         i18n.Printer
}

// Lang is the viewer's language, the one of the section's own words.
func (q quizSection) Lang() string { return q.tr.Lang }

// T translates a catalog key for the partial.
func (q quizSection) T(key string, args ...any) string { return q.tr.T(key, args...) }

// quizItem is one quiz in a quizSection.
type quizItem struct {
	Title     string
	URL       string
	Required  bool
	Final     bool // a final exam of the course rather than a module's quiz
	Questions int
	// Status is the learner's: "not_started", "in_progress", "passed" or
	// "failed"; "" for editors who are not enrolled.
	Status string
	Best   string // the best percent, formatted, when there is one
	// EditURL and ResultsURL are set for editors.
	EditURL, ResultsURL string
}

// courseQuizzes returns the quiz section of a course page: every quiz of
// the course the viewer may see.
func (s *server) courseQuizzes(c *fiber.Ctx, acc *courses.Access) (quizSection, error) {
	list, err := s.quizzes.CourseQuizzes(c.UserContext(), acc)
	return s.quizSection(c, acc, list), err
}

// moduleQuizzes returns the quiz section of a module page: the quizzes
// attached to that module, read with it (courses.Reading.Attachments).
func (s *server) moduleQuizzes(c *fiber.Ctx, r *courses.Reading) (quizSection, error) {
	list, err := s.quizzes.ModuleQuizzes(r.Access, r.Attachments)
	return s.quizSection(c, r.Access, list), err
}

func (s *server) quizSection(c *fiber.Ctx, acc *courses.Access, list []assessment.Overview) quizSection {
	sec := quizSection{tr: s.i18n.Printer(lang(c)), CourseLang: acc.Course.Language}
	if acc.CanEdit() {
		sec.NewURL = newQuizPath(acc.Course.ID)
	}
	for _, ov := range list {
		q := ov.Quiz
		item := quizItem{Title: q.Title, URL: quizPath(q.ID), Required: q.Required, Final: q.ModuleID == nil,
			Questions: q.QuestionCount}
		if ov.CanEdit {
			item.EditURL, item.ResultsURL = editQuizPath(q.ID), resultsPath(q.ID)
		}
		if st := ov.Standing; st != nil {
			item.Status = standingStatus(st)
			if st.Best != nil {
				item.Best = formatPercent(sec.tr.Lang, st.Best.Percent)
			}
		}
		sec.Items = append(sec.Items, item)
	}
	return sec
}

func standingStatus(st *assessment.Standing) string {
	switch {
	case st.Passed():
		return "passed"
	case st.Open != nil:
		return "in_progress"
	case st.Best != nil:
		return "failed"
	}
	return "not_started"
}

// decimalComma reports whether lang writes 72,5 rather than 72.5.
func decimalComma(lang string) bool { return locales.Base(lang) == "es" || locales.Base(lang) == "pt" }

// formatDecimal writes x with at most 2 decimals, in the reader's style.
func formatDecimal(lang string, x float64) string {
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	if decimalComma(lang) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// formatPercent writes a percentage for people: "72,5 %" or "72.5%".
func formatPercent(lang string, x float64) string {
	if lang == "en" {
		return formatDecimal(lang, x) + "%"
	}
	return formatDecimal(lang, x) + "\u00a0%"
}

// formatDuration writes a duration as minutes and seconds ("12 min 05 s").
func formatDuration(tr i18n.Printer, d time.Duration) string {
	secs := int(d.Round(time.Second).Seconds())
	if secs >= 3600 {
		return tr.T("quiz.duration_hours", secs/3600, secs%3600/60)
	}
	return tr.T("quiz.duration", secs/60, secs%60)
}

// checkAnswersBody refuses save and submit bodies over answersBodyLimit
// before they are parsed.
func checkAnswersBody(c *fiber.Ctx) error {
	if len(c.Body()) > answersBodyLimit {
		return errAnswersTooLarge
	}
	return nil
}
