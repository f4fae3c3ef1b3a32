package assessment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
)

// Start begins an attempt at a quiz for an enrolled learner: it draws the
// questions, fixes their order and their options' order, and sets the
// deadline. A learner who has an open attempt gets it back instead (created
// is false), so a double click or a second tab never spends an attempt.
// The attempt comes as its learner sees it, as Attempt returns it.
//
// Nothing is locked while the quiz, the learner's attempts and the pool
// are read: the attempt is inserted in one statement only if the pool is
// still the one it was drawn from (Store.InsertAttempt; a change means one
// more draw), and the unique (quiz, learner, number) constraint makes two
// simultaneous starts take one number, so they cannot both take the last
// attempt or both open one: the second reads again and gets the first's
// attempt back.
func (s *Service) Start(ctx context.Context, actor courses.Actor, quizID int64) (d *AttemptDetail, created bool, err error) {
	return s.startFrom(ctx, actor, quizID, nil)
}

// startRead is what QuizToStart read: the quiz, the learner's standing at
// it and its pool; and, when the statement read it too
// (QuizToStartForToken), the learner's standing in the quiz's course.
type startRead struct {
	quiz   *Quiz
	st     StartState
	pool   []Question
	access *courses.AccessRead
}

// startFrom is Start, its first try with first (when not nil) as what
// QuizToStart would read: every later try reads again.
func (s *Service) startFrom(ctx context.Context, actor courses.Actor, quizID int64, first *startRead) (d *AttemptDetail, created bool, err error) {
	for range startTries {
		d, created, err = s.start(ctx, actor, quizID, first)
		first = nil
		if !errors.Is(err, errStartAgain) {
			break
		}
	}
	if errors.Is(err, errStartAgain) {
		err = ErrConcurrentStart
	}
	if err != nil {
		return nil, false, fmt.Errorf("assessment: start quiz %d: %w", quizID, err)
	}
	return d, created, nil
}

// startTries bounds the draws of one start while authors change the pool.
const startTries = 3

// errStartAgain: between the reads and the insert, the pool changed or
// another start of the same learner took the attempt's number.
var errStartAgain = errors.New("assessment: quiz pool or attempts changed while starting")

func (s *Service) start(ctx context.Context, actor courses.Actor, quizID int64, first *startRead) (*AttemptDetail, bool, error) {
	store := NewStore(s.db)
	var (
		quiz *Quiz
		st   StartState
		pool []Question
		acc  *courses.Access
		err  error
	)
	if first != nil {
		quiz, st, pool = first.quiz, first.st, first.pool
	} else if quiz, st, pool, err = store.QuizToStart(ctx, quizID, actor.UserID); err != nil {
		return nil, false, err
	}
	// Starting needs the enrolment, not its progress; courses decides on
	// what the first statement read of it, when it did, with the errors
	// AccessUncounted gives.
	if first != nil && first.access != nil {
		acc, err = first.access.Access(actor)
	} else {
		acc, err = s.courses.AccessUncounted(ctx, actor, quiz.CourseID)
	}
	if err != nil {
		return nil, false, err
	}
	if err := takeable(quiz, acc); err != nil {
		return nil, false, err
	}
	if st.Open {
		// The rare path: an attempt is open, to resume, or past its
		// deadline, to close before a new one starts.
		if d, err := s.resumeOpen(ctx, store, quizID, actor.UserID, acc.Course.Language); d != nil || err != nil {
			return d, false, err
		}
		if quiz, st, pool, err = store.QuizToStart(ctx, quizID, actor.UserID); err != nil {
			return nil, false, err
		}
	}
	if quiz.MaxAttempts > 0 && st.Taken >= quiz.MaxAttempts {
		return nil, false, ErrNoAttemptsLeft
	}
	if len(pool) == 0 {
		return nil, false, ErrNotFound
	}
	now := s.now()
	a := &Attempt{QuizID: quizID, EnrolmentID: acc.Enrolment.ID, UserID: actor.UserID, Number: st.LastNumber + 1, StartedAt: now}
	if limit := quiz.TimeLimit(); limit > 0 {
		deadline := now.Add(limit)
		a.Deadline = &deadline
	}
	drawn := Draw(pool, quiz.DrawCount, quiz.Shuffle, quiz.Shuffle, nil)
	for _, p := range drawn {
		a.Layout = append(a.Layout, Slot{QuestionID: p.Question.ID, OptionOrder: p.OptionOrder})
	}
	// The pool and its version were read in one statement: the insert
	// happens only if no change to the quiz came in between.
	inserted, err := store.InsertAttempt(ctx, a, quiz.PoolVersion)
	switch {
	case postgres.Code(err) == postgres.UniqueViolation, err == nil && !inserted:
		return nil, false, errStartAgain
	case err != nil:
		return nil, false, err
	}
	for i := range drawn {
		if !drawn[i].Question.Kind.hasOptions() {
			drawn[i].OptionOrder = nil
		}
	}
	return s.present(a, quiz, drawn, acc.Course.Language, true), true, nil
}

// resumeOpen returns the learner's open attempt at the quiz, after closing
// those past their deadline; nil when none is left open.
func (s *Service) resumeOpen(ctx context.Context, store *Store, quizID, userID int64, language string) (*AttemptDetail, error) {
	quiz, attempts, err := store.QuizWithAttempts(ctx, quizID, userID)
	if err != nil {
		return nil, err
	}
	if s.anyExpired(attempts) {
		if err := s.closeExpired(ctx, quizID, userID); err != nil {
			return nil, err
		}
		if quiz, attempts, err = store.QuizWithAttempts(ctx, quizID, userID); err != nil {
			return nil, err
		}
	}
	for i := range attempts {
		if !attempts[i].Submitted() {
			a, err := store.Attempt(ctx, attempts[i].ID)
			if err != nil {
				return nil, err
			}
			return s.detail(ctx, a, quiz, language, true)
		}
	}
	return nil, nil
}

// takeable says whether the actor may take the quiz: it must be open and
// the actor enrolled in its (published or archived) course.
func takeable(quiz *Quiz, acc *courses.Access) error {
	if !open(quiz) {
		return ErrNotFound
	}
	if acc.Enrolment == nil || acc.Course.Status == courses.StatusDraft {
		return ErrNotEnrolled
	}
	return nil
}

// AttemptDetail is an attempt as one viewer may see it.
type AttemptDetail struct {
	Attempt *Attempt
	Quiz    *Quiz
	// Questions are the attempt's questions in display order, correct
	// answers included: show a learner only their Public form until Review.
	Questions []Presented
	// Answers are the saved answers of an open attempt, or those graded.
	Answers Answers
	// SecondsLeft until the deadline of an open attempt (0 once it has
	// passed), or -1 when there is no time limit or the attempt is closed.
	SecondsLeft int
	// Review: the viewer may see the correct answers and each question's
	// score. Learners may when the quiz's review rule allows it; those who
	// may edit the quiz always may.
	Review bool
	// Owner: the viewer is the learner who took the attempt, the only one
	// who may save and submit it.
	Owner bool
	// Language is the course's language, the one its quiz and questions
	// are written in, which may differ from the viewer's (pages mark the
	// content with it: WCAG 3.1.2).
	Language string
}

// Public returns the attempt's questions as the learner may see them.
func (d *AttemptDetail) Public() []PublicQuestion {
	out := make([]PublicQuestion, len(d.Questions))
	for i, p := range d.Questions {
		out[i] = p.Public()
	}
	return out
}

// Attempt returns an attempt to the learner who took it, or to those who
// may edit its quiz. Anyone else gets ErrNotFound, as for a missing one.
// An open attempt past its deadline and grace is closed first.
func (s *Service) Attempt(ctx context.Context, actor courses.Actor, attemptID int64) (*AttemptDetail, error) {
	a, err := NewStore(s.db).Attempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	owner := actor.SignedIn() && a.UserID == actor.UserID
	quiz, acc, err := s.quizAccess(ctx, actor, a.QuizID)
	switch {
	case owner && err != nil:
		return nil, err
	case !owner && (err != nil || !acc.CanEdit()):
		return nil, fmt.Errorf("assessment: attempt %d: %w", attemptID, ErrNotFound)
	}
	if s.expired(a) {
		if err := s.expire(ctx, a.ID); err != nil {
			return nil, err
		}
		if a, err = NewStore(s.db).Attempt(ctx, attemptID); err != nil {
			return nil, err
		}
	}
	return s.detail(ctx, a, quiz, acc.Course.Language, owner)
}

// detail builds the view of attempt a of quiz, in a course written in
// language, for its learner (owner) or for an editor of the quiz.
func (s *Service) detail(ctx context.Context, a *Attempt, quiz *Quiz, language string, owner bool) (*AttemptDetail, error) {
	qs, err := s.attemptQuestions(ctx, a)
	if err != nil {
		return nil, err
	}
	d := s.present(a, quiz, qs, language, owner)
	if owner && a.Submitted() && quiz.Review == ReviewAfterPass {
		passed, err := NewStore(s.db).HasPassed(ctx, a.QuizID, a.UserID)
		if err != nil {
			return nil, err
		}
		d.Review = passed
	}
	return d, nil
}

// present is an attempt with its questions qs, in its order, as its owner
// or another viewer sees it. Review after a pass is for detail to decide.
func (s *Service) present(a *Attempt, quiz *Quiz, qs []Presented, language string, owner bool) *AttemptDetail {
	d := &AttemptDetail{Attempt: a, Quiz: quiz, Questions: qs, Answers: storedAnswers(a.Answers, questionsOf(qs)),
		Owner: owner, SecondsLeft: -1, Language: language}
	if !a.Submitted() && a.Deadline != nil {
		d.SecondsLeft = max(0, int(a.Deadline.Sub(s.now()).Seconds()))
	}
	switch {
	case !owner:
		d.Review = true
	case !a.Submitted():
	case quiz.Review == ReviewAfterAttempt:
		d.Review = true
	}
	return d
}

// attemptQuestions returns the attempt's questions in its order. A question
// missing from the database (never the case unless rows were removed by
// hand) is left out rather than failing the page.
func (s *Service) attemptQuestions(ctx context.Context, a *Attempt) ([]Presented, error) {
	byID, err := NewStore(s.db).QuestionsByID(ctx, a.QuizID, a.QuestionIDs())
	if err != nil {
		return nil, err
	}
	return layoutQuestions(a, byID), nil
}

// layoutQuestions is attemptQuestions with the questions read (byID).
func layoutQuestions(a *Attempt, byID map[int64]Question) []Presented {
	out := make([]Presented, 0, len(a.Layout))
	for _, slot := range a.Layout {
		q, ok := byID[slot.QuestionID]
		if !ok {
			continue
		}
		p := Presented{Question: q}
		if q.Kind.hasOptions() {
			p.OptionOrder = slot.OptionOrder
		}
		out = append(out, p)
	}
	return out
}

func questionsOf(ps []Presented) []Question {
	out := make([]Question, len(ps))
	for i, p := range ps {
		out[i] = p.Question
	}
	return out
}

// storedAnswers reads answers stored with an attempt. Stored answers were
// decoded against the attempt's questions when saved; if a question has
// since changed so that its answer no longer fits (an option removed, the
// kind changed) or is gone, that answer is dropped and the others kept.
func storedAnswers(raw json.RawMessage, questions []Question) Answers {
	var members map[string]json.RawMessage
	// Nothing saved (every new attempt, and most submits, which send the
	// answers then): nothing to decode, where the round trip through
	// DecodeAnswers below was a few percent of a quiz pair's server CPU.
	if len(raw) == 0 || json.Unmarshal(raw, &members) != nil || len(members) == 0 {
		return Answers{}
	}
	known := make(map[string]bool, len(questions))
	for _, q := range questions {
		known[strconv.FormatInt(q.ID, 10)] = true
	}
	for key := range members {
		if !known[key] {
			delete(members, key)
		}
	}
	for range 2 {
		body, err := json.Marshal(map[string]any{"answers": members})
		if err != nil {
			return Answers{}
		}
		answers, err := DecodeAnswers(body, questions)
		if err == nil {
			return answers
		}
		var ae *AnswerError
		if !errors.As(err, &ae) {
			return Answers{}
		}
		for field := range ae.Fields {
			key, ok := strings.CutPrefix(field, "answers.")
			if !ok {
				return Answers{} // the whole body, which the filter above rules out
			}
			delete(members, key)
		}
	}
	return Answers{}
}

// SaveResult tells a learner whether a save was kept.
type SaveResult struct {
	// Saved is false when a save with the same or a higher sequence number
	// was kept before: a late or repeated save never overwrites a newer one.
	Saved bool `json:"saved"`
	// LastSaveSeq is the sequence number of the answers now stored.
	LastSaveSeq int64 `json:"last_save_seq"`
}

// Save merges answers into the learner's open attempt, when seq is higher
// than the sequence number of the last save: body is a submit body
// ({"answers": {…}}) for any subset of the attempt's questions; each answer
// it carries replaces the one saved for its question, null clears one, and
// questions it leaves out keep theirs. It is checked like a submit, and
// nothing is stored when it does not fit (*AnswerError).
func (s *Service) Save(ctx context.Context, userID, attemptID, seq int64, body []byte) (SaveResult, error) {
	_, _, qs, err := s.ownAttemptQuiz(ctx, userID, attemptID)
	if err != nil {
		return SaveResult{}, err
	}
	changes, err := decodeChanges(body, questionsOf(qs))
	if err != nil {
		return SaveResult{}, err
	}
	saved, err := NewStore(s.db).MergeAnswers(ctx, attemptID, seq, changes)
	if err != nil {
		return SaveResult{}, fmt.Errorf("assessment: save attempt %d: %w", attemptID, err)
	}
	if saved {
		return SaveResult{Saved: true, LastSaveSeq: seq}, nil
	}
	// Nothing written: a newer save won, or the attempt was submitted meanwhile.
	a, err := NewStore(s.db).Attempt(ctx, attemptID)
	if err != nil {
		return SaveResult{}, err
	}
	if a.Submitted() {
		return SaveResult{}, submittedError(a)
	}
	return SaveResult{LastSaveSeq: a.LastSaveSeq}, nil
}

// ownAttemptQuiz returns the learner's open attempt for a save or a
// submit, with its quiz and its questions in its order, read together:
// ErrNotFound for someone else's, *SubmittedError for a closed one, and
// ErrDeadlinePassed (after closing it) for one past its deadline and grace.
func (s *Service) ownAttemptQuiz(ctx context.Context, userID, attemptID int64) (*Attempt, *Quiz, []Presented, error) {
	a, quiz, byID, err := NewStore(s.db).AttemptWithQuiz(ctx, attemptID)
	if err != nil {
		return nil, nil, nil, err
	}
	return s.openOwn(ctx, userID, a, quiz, byID)
}

// openOwn is ownAttemptQuiz's checks of the attempt a it read, with its
// quiz and the questions it presents by id.
func (s *Service) openOwn(ctx context.Context, userID int64, a *Attempt, quiz *Quiz, byID map[int64]Question) (*Attempt, *Quiz, []Presented, error) {
	attemptID := a.ID
	if a.UserID != userID {
		return nil, nil, nil, fmt.Errorf("attempt %d: %w", attemptID, ErrNotFound)
	}
	if a.Submitted() {
		return nil, nil, nil, submittedError(a)
	}
	if s.expired(a) {
		if err := s.expire(ctx, a.ID); err != nil {
			return nil, nil, nil, err
		}
		return nil, nil, nil, fmt.Errorf("attempt %d: %w", attemptID, ErrDeadlinePassed)
	}
	return a, quiz, layoutQuestions(a, byID), nil
}

// Submit grades the learner's open attempt and closes it. The answers
// graded are those saved, merged with the ones body carries (a submit body,
// {"answers": {…}}, as for Save): no body, {} and {"answers": {}} grade
// what is saved. It returns the result, or:
//   - *AnswerError when body does not fit the attempt's questions; nothing
//     is graded and the attempt stays open;
//   - *SubmittedError (errors.Is ErrAlreadySubmitted) when the attempt was
//     submitted before, with that first result unchanged;
//   - ErrDeadlinePassed after the deadline and grace, once the attempt is
//     closed with its saved answers graded;
//   - ErrNotFound for another learner's attempt.
//
// Passing a required quiz completes the course, in the same transaction,
// when nothing else is left to do.
func (s *Service) Submit(ctx context.Context, userID, attemptID int64, body []byte) (Result, error) {
	return s.submit(ctx, userID, attemptID, body, false)
}

// SubmitAnswered is Submit for a learner who has not confirmed leaving
// questions unanswered: when, body merged, some question of the attempt
// has no answer, it saves the merged answers, leaves the attempt open and
// returns *UnansweredError (errors.Is ErrUnanswered) with the questions'
// numbers, so the learner can answer them or confirm with Submit.
func (s *Service) SubmitAnswered(ctx context.Context, userID, attemptID int64, body []byte) (Result, error) {
	return s.submit(ctx, userID, attemptID, body, true)
}

func (s *Service) submit(ctx context.Context, userID, attemptID int64, body []byte, answeredOnly bool) (Result, error) {
	a, quiz, qs, err := s.ownAttemptQuiz(ctx, userID, attemptID)
	if err != nil {
		return Result{}, err
	}
	return s.submitOpen(ctx, a, quiz, qs, body, answeredOnly)
}

// submitOpen is submit of the learner's open attempt a, read with its quiz
// and its questions qs (ownAttemptQuiz).
func (s *Service) submitOpen(ctx context.Context, a *Attempt, quiz *Quiz, qs []Presented, body []byte, answeredOnly bool) (Result, error) {
	attemptID := a.ID
	changes, err := submitChanges(body, questionsOf(qs))
	if err != nil {
		return Result{}, err
	}
	if !quiz.Required && !answeredOnly {
		// Nothing but the attempt changes: one guarded statement instead of
		// a transaction, unless an answer was saved since it was read.
		answers := storedAnswers(a.Answers, questionsOf(qs)).Merge(changes)
		res, scores := grade(questionsOf(qs), answers, quiz.PassPercent)
		ok, err := NewStore(s.db).GradeIfUnchanged(ctx, a.ID, a.Answers, s.now(), false, res, answers, scores)
		if err != nil {
			return Result{}, fmt.Errorf("submit attempt %d: %w", attemptID, err)
		}
		if ok {
			return res, nil
		}
	}
	var out closed
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		out, err = s.close(ctx, tx, quiz, qs, a.ID, a.EnrolmentID, changes, answeredOnly)
		return err
	})
	switch {
	case err != nil:
		return Result{}, fmt.Errorf("submit attempt %d: %w", attemptID, err)
	case out.late:
		return Result{}, fmt.Errorf("submit attempt %d: %w", attemptID, ErrDeadlinePassed)
	case len(out.unanswered) > 0:
		return Result{}, &UnansweredError{AttemptID: attemptID, Numbers: out.unanswered}
	}
	return out.res, nil
}

// expired reports whether an open attempt is past its deadline and grace.
func (s *Service) expired(a *Attempt) bool {
	return !a.Submitted() && a.Deadline != nil && s.now().After(a.Deadline.Add(s.grace))
}

// closeExpired closes a quiz's open attempts past their deadline and grace
// (of one learner, or of all when userID is 0), grading their saved answers.
func (s *Service) closeExpired(ctx context.Context, quizID, userID int64) error {
	ids, err := NewStore(s.db).ExpiredAttempts(ctx, quizID, userID, s.now().Add(-s.grace))
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.expire(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// expire closes one attempt past its deadline, grading its saved answers.
func (s *Service) expire(ctx context.Context, attemptID int64) error {
	a, err := NewStore(s.db).Attempt(ctx, attemptID)
	if err != nil {
		return err
	}
	quiz, err := NewStore(s.db).Quiz(ctx, a.QuizID)
	if err != nil {
		return err
	}
	qs, err := s.attemptQuestions(ctx, a)
	if err != nil {
		return err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.close(ctx, tx, quiz, qs, a.ID, a.EnrolmentID, nil, false)
		if errors.Is(err, ErrAlreadySubmitted) {
			return nil // closed by someone else meanwhile
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("close expired attempt %d: %w", attemptID, err)
	}
	return nil
}

// closed is what close did: graded the attempt (res), graded it with its
// saved answers because its time was up (late), or left it open with the
// merged answers saved because questions were unanswered.
// grade grades answers to questions: the result, and each question's score.
func grade(questions []Question, answers Answers, passPercent int) (Result, map[int64]float64) {
	res := GradeAll(questions, answers, passPercent)
	scores := make(map[int64]float64, len(questions))
	for _, q := range questions {
		scores[q.ID] = Grade(q, answers[q.ID])
	}
	return res, scores
}

type closed struct {
	res        Result
	late       bool
	unanswered []int
}

// close grades and closes an open attempt inside tx, with its saved answers
// merged with changes. With answeredOnly, an attempt that would leave a
// question unanswered is not closed: the merged answers are saved instead.
// The enrolment is locked before the attempt: completing the course
// (CheckCompletion) locks it too, as does completing a module, and taking
// the locks in one order everywhere keeps them from deadlocking.
//
// An attempt found submitted is *SubmittedError. One past its deadline and
// grace is graded with its saved answers whatever changes says, closed at
// its deadline, and late is true.
func (s *Service) close(ctx context.Context, tx bun.Tx, quiz *Quiz, qs []Presented, attemptID, enrolmentID int64, changes AnswerChanges, answeredOnly bool) (closed, error) {
	// Only a required quiz can complete the course (CheckCompletion
	// below), and only then is the enrolment locked first, in the order
	// every completion takes its locks.
	if quiz.Required {
		if err := courses.LockEnrolment(ctx, tx, enrolmentID); err != nil {
			return closed{}, err
		}
	}
	store := NewStore(tx)
	a, err := store.LockAttempt(ctx, attemptID)
	if err != nil {
		return closed{}, err
	}
	if a.Submitted() {
		return closed{}, submittedError(a)
	}
	questions := questionsOf(qs)
	closedAt := s.now()
	late := s.expired(a)
	if late {
		changes, closedAt = nil, *a.Deadline
	}
	answers := storedAnswers(a.Answers, questions).Merge(changes)
	if missing := unanswered(qs, answers); answeredOnly && !late && len(missing) > 0 {
		if err := store.SetAnswers(ctx, attemptID, answers); err != nil {
			return closed{}, err
		}
		return closed{unanswered: missing}, nil
	}
	res, scores := grade(questions, answers, quiz.PassPercent)
	if err := store.Grade(ctx, attemptID, closedAt, late, res, answers, scores); err != nil {
		return closed{}, err
	}
	if late {
		if err := s.timedOut(ctx, tx, a, quiz, res); err != nil {
			return closed{}, err
		}
	}
	if quiz.Required && res.Passed {
		if _, err := s.courses.CheckCompletion(ctx, tx, enrolmentID); err != nil {
			return closed{}, err
		}
	}
	return closed{res: res, late: late}, nil
}

// unanswered returns the numbers (from 1, in display order) of the
// questions that answers leaves without an answer.
func unanswered(qs []Presented, answers Answers) []int {
	var out []int
	for i, p := range qs {
		if _, ok := answers[p.Question.ID]; !ok {
			out = append(out, i+1)
		}
	}
	return out
}

// Unanswered returns the numbers (from 1, in display order) of the
// attempt's questions that have no answer.
func (d *AttemptDetail) Unanswered() []int { return unanswered(d.Questions, d.Answers) }

// submittedError is the error of a save or submit to closed attempt a.
func submittedError(a *Attempt) *SubmittedError {
	return &SubmittedError{AttemptID: a.ID, Result: a.Result(), TimedOut: a.TimedOut}
}
