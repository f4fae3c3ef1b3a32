package assessment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Limits on a quiz's own texts, besides those on its questions.
const (
	MaxTitleLen        = 200   // characters in a quiz's title
	MaxInstructionsLen = 10000 // characters in a quiz's instructions
)

// QuizParams are what an instructor sets on a quiz, besides its questions.
type QuizParams struct {
	ModuleID         *int64
	Title            string
	Instructions     string
	Required         bool
	PassPercent      int
	MaxAttempts      int
	TimeLimitSeconds int
	Shuffle          bool
	DrawCount        int
	Review           Review
}

// Params returns the settings of q, for a form or a partial update to start from.
func (q *Quiz) Params() QuizParams {
	return QuizParams{ModuleID: q.ModuleID, Title: q.Title, Instructions: q.Instructions, Required: q.Required,
		PassPercent: q.PassPercent, MaxAttempts: q.MaxAttempts, TimeLimitSeconds: q.TimeLimitSeconds,
		Shuffle: q.Shuffle, DrawCount: q.DrawCount, Review: q.Review}
}

func (p QuizParams) settings() Settings {
	return Settings{PassPercent: p.PassPercent, MaxAttempts: p.MaxAttempts,
		TimeLimitSeconds: p.TimeLimitSeconds, DrawCount: p.DrawCount}
}

func (p QuizParams) apply(q *Quiz) {
	q.ModuleID, q.Title, q.Instructions, q.Required = p.ModuleID, p.Title, p.Instructions, p.Required
	q.PassPercent, q.MaxAttempts, q.TimeLimitSeconds = p.PassPercent, p.MaxAttempts, p.TimeLimitSeconds
	q.Shuffle, q.DrawCount, q.Review = p.Shuffle, p.DrawCount, p.Review
}

// Message keys of the quiz's own fields and of editing its pool.
const (
	keyTitleRequired       = "quiz.title_required"
	keyTitleTooLong        = "quiz.title_too_long"
	keyInstructionsTooLong = "quiz.instructions_too_long"
	keyReviewUnknown       = "quiz.review_unknown"
	keyModuleUnknown       = "quiz.module_unknown"
	keyQuestionUnknown     = "quiz.question_unknown"
)

// validateQuiz checks p against pool. With allowEmpty, an empty pool is
// accepted: a quiz written in pages is created first and given questions
// one by one, and stays closed to learners until it has one.
func (s *Service) validateQuiz(ctx context.Context, db bun.IDB, courseID int64, p QuizParams, pool []Question, allowEmpty bool) error {
	moduleOK := true
	if p.ModuleID != nil {
		var err error
		if moduleOK, err = courses.LiveModuleInCourse(ctx, db, *p.ModuleID, courseID); err != nil {
			return err
		}
	}
	return checkQuiz(p, pool, allowEmpty, moduleOK)
}

// checkQuiz is validateQuiz once the database has said whether p's module
// (if any) is a live module of the quiz's course.
func checkQuiz(p QuizParams, pool []Question, allowEmpty, moduleOK bool) error {
	pr := problems{}
	pr.text("title", p.Title, MaxTitleLen, keyTitleRequired, keyTitleTooLong)
	switch {
	case utf8.RuneCountInString(p.Instructions) > MaxInstructionsLen:
		pr.add("instructions", keyInstructionsTooLong)
	case !utf8.ValidString(p.Instructions) || containsNUL(p.Instructions):
		pr.add("instructions", keyTextInvalid)
	}
	if !p.Review.Valid() {
		pr.add("review", keyReviewUnknown)
	}
	if !moduleOK {
		pr.add("module_id", keyModuleUnknown)
	}
	if err := ValidateQuiz(p.settings(), pool); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		for path, key := range ve.Fields {
			if allowEmpty && key == keyQuestionsRequired {
				continue
			}
			pr.add(path, key)
		}
	}
	return pr.err()
}

// checkPoolIDs checks that the questions of a new pool that carry an id
// are questions of the current pool live.
func checkPoolIDs(live, questions []Question) error {
	ids := make(map[int64]bool, len(live))
	for _, q := range live {
		ids[q.ID] = true
	}
	pr := problems{}
	for i, q := range questions {
		if q.ID != 0 && !ids[q.ID] {
			pr.add("questions["+strconv.Itoa(i)+"].id", keyQuestionUnknown)
		}
	}
	return pr.err()
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// CreateQuiz adds a quiz to a course with its questions in the given order.
// Pass nil questions to create an empty quiz and add questions later (the
// pages do); an empty non-nil list is refused like any quiz without
// questions. Only the course's instructors and admins may.
func (s *Service) CreateQuiz(ctx context.Context, actor courses.Actor, courseID int64, p QuizParams, questions []Question) (*Quiz, error) {
	if _, err := s.QuizCourse(ctx, actor, courseID); err != nil {
		return nil, err
	}
	if questions != nil {
		questions = slices.Clone(questions) // ids are filled in below: leave the caller's alone
	}
	for i := range questions {
		questions[i].ID = 0 // a new quiz's questions are new
	}
	q := &Quiz{CourseID: courseID}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.validateQuiz(ctx, tx, courseID, p, questions, questions == nil); err != nil {
			return err
		}
		p.apply(q)
		now := s.now()
		q.CreatedAt, q.UpdatedAt = now, now
		store := NewStore(tx)
		if err := store.InsertQuiz(ctx, q); err != nil {
			return err
		}
		for i := range questions {
			if err := store.InsertQuestion(ctx, q.ID, i+1, &questions[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessment: create quiz in course %d: %w", courseID, err)
	}
	q.Questions, q.QuestionCount = questions, len(questions)
	return q, nil
}

// EditableQuiz returns a quiz with its question pool, correct answers
// included, to those who may edit it.
func (s *Service) EditableQuiz(ctx context.Context, actor courses.Actor, quizID int64) (*Quiz, error) {
	q, err := s.editable(ctx, actor, quizID)
	if err != nil {
		return nil, err
	}
	if q.Questions, err = NewStore(s.db).Questions(ctx, quizID); err != nil {
		return nil, err
	}
	q.QuestionCount = len(q.Questions)
	return q, nil
}

// UpdateQuiz changes a quiz's settings and, when questions is not nil,
// replaces its pool: questions with the id of one of the quiz's questions
// change it, questions without id are added, the quiz's questions not
// listed are removed, and the list's order becomes the pool's order.
//
// Changing a question changes it for attempts still open; submitted
// attempts keep the scores they got.
func (s *Service) UpdateQuiz(ctx context.Context, actor courses.Actor, quizID int64, p QuizParams, questions *[]Question) (*Quiz, error) {
	if _, err := s.editable(ctx, actor, quizID); err != nil {
		return nil, err
	}
	var q *Quiz
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		var err error
		if q, err = store.LockQuiz(ctx, quizID); err != nil {
			return err
		}
		pool, err := store.Questions(ctx, quizID)
		if err != nil {
			return err
		}
		if questions == nil {
			if err := s.validateQuiz(ctx, tx, q.CourseID, p, pool, true); err != nil {
				return err
			}
		} else if err := s.replacePool(ctx, tx, q, p, pool, *questions); err != nil {
			return err
		}
		p.apply(q)
		return store.UpdateQuiz(ctx, q, s.now())
	})
	if err != nil {
		return nil, fmt.Errorf("assessment: update quiz %d: %w", quizID, err)
	}
	return s.EditableQuiz(ctx, actor, quizID)
}

// replacePool validates and stores a quiz's new question pool.
func (s *Service) replacePool(ctx context.Context, tx bun.IDB, q *Quiz, p QuizParams, pool, questions []Question) error {
	questions = slices.Clone(questions) // new ones get ids below: leave the caller's alone
	if err := s.validateQuiz(ctx, tx, q.CourseID, p, questions, false); err != nil {
		return err
	}
	if err := checkPoolIDs(pool, questions); err != nil {
		return err
	}
	kept := make(map[int64]bool, len(questions))
	for _, nq := range questions {
		kept[nq.ID] = true
	}
	store, now := NewStore(tx), s.now()
	for _, old := range pool {
		if !kept[old.ID] {
			if err := store.RemoveQuestion(ctx, q.ID, old.ID, now); err != nil {
				return err
			}
		}
	}
	for i := range questions {
		var err error
		if questions[i].ID == 0 {
			err = store.InsertQuestion(ctx, q.ID, i+1, &questions[i])
		} else {
			err = store.UpdateQuestion(ctx, q.ID, i+1, questions[i], now)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteQuiz removes a quiz. A quiz someone has attempted is archived
// instead: it leaves the course and its completion rules, and its results
// stay readable.
func (s *Service) DeleteQuiz(ctx context.Context, actor courses.Actor, quizID int64) error {
	if _, err := s.editable(ctx, actor, quizID); err != nil {
		return err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockQuiz(ctx, quizID); err != nil {
			return err
		}
		used, err := store.HasAttempts(ctx, quizID)
		if err != nil {
			return err
		}
		if used {
			return store.ArchiveQuiz(ctx, quizID, s.now())
		}
		return store.DeleteQuiz(ctx, quizID)
	})
	if err != nil {
		return fmt.Errorf("assessment: delete quiz %d: %w", quizID, err)
	}
	return nil
}

// AddQuestion adds q at the end of a quiz's pool and returns it with its id.
// Field paths of a *ValidationError are the question's own ("options[1].text").
func (s *Service) AddQuestion(ctx context.Context, actor courses.Actor, quizID int64, q Question) (Question, error) {
	if _, err := s.editable(ctx, actor, quizID); err != nil {
		return Question{}, err
	}
	q.ID = 0
	if err := ValidateQuestion(q); err != nil {
		return Question{}, err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockQuiz(ctx, quizID); err != nil {
			return err
		}
		pool, err := store.Questions(ctx, quizID)
		if err != nil {
			return err
		}
		if len(pool) >= MaxQuestions {
			return &ValidationError{Fields: map[string]string{"questions": keyQuestionsTooMany}}
		}
		pos, err := store.NextPosition(ctx, quizID)
		if err != nil {
			return err
		}
		return store.InsertQuestion(ctx, quizID, pos, &q)
	})
	if err != nil {
		return Question{}, fmt.Errorf("assessment: add question to quiz %d: %w", quizID, err)
	}
	return q, nil
}

// EditableQuestion returns a question and its quiz to those who may edit it.
func (s *Service) EditableQuestion(ctx context.Context, actor courses.Actor, questionID int64) (Question, *Quiz, error) {
	quizID, err := NewStore(s.db).QuestionQuiz(ctx, questionID)
	if err != nil {
		return Question{}, nil, err
	}
	quiz, err := s.editable(ctx, actor, quizID)
	if err != nil {
		return Question{}, nil, err
	}
	q, _, err := NewStore(s.db).Question(ctx, questionID)
	return q, quiz, err
}

// UpdateQuestion replaces the question with id by q, keeping its place.
// It returns the question's quiz.
func (s *Service) UpdateQuestion(ctx context.Context, actor courses.Actor, questionID int64, q Question) (*Quiz, error) {
	_, quiz, err := s.EditableQuestion(ctx, actor, questionID)
	if err != nil {
		return nil, err
	}
	q.ID = questionID
	if err := ValidateQuestion(q); err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockQuiz(ctx, quiz.ID); err != nil {
			return err
		}
		_, pos, err := store.Question(ctx, questionID)
		if err != nil {
			return err
		}
		return store.UpdateQuestion(ctx, quiz.ID, pos, q, s.now())
	})
	if err != nil {
		return nil, fmt.Errorf("assessment: update question %d: %w", questionID, err)
	}
	return quiz, nil
}

// DeleteQuestion takes a question out of its quiz and returns the quiz.
// A question an attempt drew is archived, so that attempt keeps its review.
func (s *Service) DeleteQuestion(ctx context.Context, actor courses.Actor, questionID int64) (*Quiz, error) {
	_, quiz, err := s.EditableQuestion(ctx, actor, questionID)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockQuiz(ctx, quiz.ID); err != nil {
			return err
		}
		return store.RemoveQuestion(ctx, quiz.ID, questionID, s.now())
	})
	if err != nil {
		return nil, fmt.Errorf("assessment: delete question %d: %w", questionID, err)
	}
	return quiz, nil
}

// MoveQuestion swaps a question with the one before it (up) or after it in
// the pool, and returns the quiz. Moving past either end changes nothing.
func (s *Service) MoveQuestion(ctx context.Context, actor courses.Actor, questionID int64, up bool) (*Quiz, error) {
	_, quiz, err := s.EditableQuestion(ctx, actor, questionID)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		if _, err := store.LockQuiz(ctx, quiz.ID); err != nil {
			return err
		}
		pool, err := store.Questions(ctx, quiz.ID)
		if err != nil {
			return err
		}
		i := -1
		for k := range pool {
			if pool[k].ID == questionID {
				i = k
			}
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if i < 0 || j < 0 || j >= len(pool) {
			return nil
		}
		pool[i], pool[j] = pool[j], pool[i]
		// Renumbering the whole pool also repairs ties left by archiving.
		for k := range pool {
			if err := store.SetQuestionPosition(ctx, pool[k].ID, k+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessment: move question %d: %w", questionID, err)
	}
	return quiz, nil
}
