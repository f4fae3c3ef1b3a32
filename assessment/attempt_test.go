package assessment_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

func TestStartFixesTheAttempt(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(func(p *assessment.QuizParams) { p.DrawCount = 3; p.Shuffle = true; p.TimeLimitSeconds = 600 })
	learner, e := w.learner()

	a := w.start(learner, q.ID)
	if a.Number != 1 || a.EnrolmentID != e.ID || len(a.Layout) != 3 {
		t.Fatalf("attempt %+v", a)
	}
	if a.Deadline == nil || !a.Deadline.Equal(w.clock.Now().Add(10*time.Minute)) {
		t.Errorf("deadline %v, want start + 10 min", a.Deadline)
	}
	first, err := w.svc.Attempt(ctx, learner, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Starting again (a reload, a second tab) gives back the same attempt.
	again, created, err := w.svc.Start(ctx, learner, q.ID)
	if err != nil || created || again.Attempt.ID != a.ID {
		t.Fatalf("second start: %v, created %v, attempt %d; want attempt %d resumed", err, created, again.Attempt.ID, a.ID)
	}
	second, err := w.svc.Attempt(ctx, learner, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first.Public(), second.Public()) {
		t.Errorf("reload shows\n%v\nfirst showed\n%v", second.Public(), first.Public())
	}
	if first.SecondsLeft != 600 {
		t.Errorf("seconds left %d, want 600", first.SecondsLeft)
	}
}

func TestNotEnrolledCannotStart(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	outsider := courses.ActorFor(w.user("learner", nil))
	if _, _, err := w.svc.Start(ctx, outsider, q.ID); !errors.Is(err, assessment.ErrNotEnrolled) {
		t.Errorf("start without enrolment: %v, want ErrNotEnrolled", err)
	}
	if _, _, err := w.svc.Start(ctx, w.teacher, q.ID); !errors.Is(err, assessment.ErrNotEnrolled) {
		t.Errorf("instructor starts: %v, want ErrNotEnrolled", err)
	}
}

func TestSubmitGradesOnTheServer(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, q.ID)
	qs := w.attemptQuestions(learner, a.ID)

	res, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(qs, true))
	if err != nil {
		t.Fatal(err)
	}
	if res != (assessment.Result{Score: 6, MaxScore: 6, Percent: 100, Passed: true}) {
		t.Errorf("all right: %+v", res)
	}
	d, err := w.svc.Attempt(ctx, learner, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Attempt.Submitted() || d.Attempt.Result() != res || !d.Review {
		t.Errorf("stored attempt %+v, review %v", d.Attempt, d.Review)
	}
	if len(d.Answers) != 5 {
		t.Errorf("stored answers %v", d.Answers)
	}

	b := w.start(learner, q.ID)
	res, err = w.svc.Submit(ctx, learner.UserID, b.ID, answersBody(w.attemptQuestions(learner, b.ID), false))
	if err != nil {
		t.Fatal(err)
	}
	if res != (assessment.Result{Score: 0, MaxScore: 6, Percent: 0, Passed: false}) {
		t.Errorf("all wrong: %+v", res)
	}
	ov, err := w.svc.Overview(ctx, learner, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := ov.Standing; len(st.Attempts) != 2 || st.Best == nil || st.Best.ID != a.ID || !st.Passed() || st.AttemptsLeft != -1 {
		t.Errorf("standing %+v", st)
	}
}

// TestTimeLimit moves an injected clock instead of sleeping.
func TestTimeLimit(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(func(p *assessment.QuizParams) { p.TimeLimitSeconds = 60 })
	learner, _ := w.learner()
	grace := w.svc.Grace()

	// Within the grace period a submit still counts: it was sent in time.
	a := w.start(learner, q.ID)
	qs := w.attemptQuestions(learner, a.ID)
	w.clock.Advance(59 * time.Second)
	if d, _ := w.svc.Attempt(ctx, learner, a.ID); d.SecondsLeft != 1 {
		t.Errorf("seconds left after 59 s: %d, want 1", d.SecondsLeft)
	}
	w.clock.Advance(1*time.Second + grace)
	if res, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(qs, true)); err != nil || !res.Passed {
		t.Fatalf("submit at the end of the grace period: %+v, %v", res, err)
	}

	// After the grace period the submit is refused and the saved answers count.
	b := w.start(learner, q.ID)
	qs = w.attemptQuestions(learner, b.ID)
	if _, err := w.svc.Save(ctx, learner.UserID, b.ID, 1, answersBody(qs[:2], true)); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute + grace + time.Second)
	_, err := w.svc.Submit(ctx, learner.UserID, b.ID, answersBody(qs, true))
	if !errors.Is(err, assessment.ErrDeadlinePassed) {
		t.Fatalf("late submit: %v, want ErrDeadlinePassed", err)
	}
	d, err := w.svc.Attempt(ctx, learner, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := d.Attempt
	want := 0.0
	for _, q := range qs[:2] {
		want += float64(q.Points)
	}
	if !got.Submitted() || !got.TimedOut || got.Score != want || !got.SubmittedAt.Equal(*got.Deadline) {
		t.Errorf("closed attempt: submitted %v at %v (deadline %v), timed out %v, score %v; want the saved answers' %v",
			got.Submitted(), got.SubmittedAt, got.Deadline, got.TimedOut, got.Score, want)
	}
	if _, err := w.svc.Submit(ctx, learner.UserID, b.ID, nil); !errors.Is(err, assessment.ErrAlreadySubmitted) {
		t.Errorf("submit after closing: %v, want ErrAlreadySubmitted", err)
	}

	// An open attempt left past its deadline is closed when next touched.
	c := w.start(learner, q.ID)
	w.clock.Advance(2 * time.Hour)
	ov, err := w.svc.Overview(ctx, learner, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Standing.Open != nil || !ov.Standing.Attempts[2].TimedOut || ov.Standing.Attempts[2].ID != c.ID {
		t.Errorf("expired attempt not closed: %+v", ov.Standing.Attempts)
	}
	if _, err := w.svc.Save(ctx, learner.UserID, c.ID, 5, []byte(`{"answers":{}}`)); !errors.Is(err, assessment.ErrAlreadySubmitted) {
		t.Errorf("save to a closed attempt: %v, want ErrAlreadySubmitted", err)
	}
}

// TestConcurrentDoubleSubmit: of many simultaneous submits of one attempt,
// exactly one is graded; the others see that first result.
func TestConcurrentDoubleSubmit(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, q.ID)
	qs := w.attemptQuestions(learner, a.ID)

	const n = 12
	results := make([]assessment.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(qs, i%2 == 0))
		}()
	}
	close(start)
	wg.Wait()

	var winner *assessment.Result
	for i := range n {
		if errs[i] == nil {
			if winner != nil {
				t.Fatalf("two submits graded: %+v and %+v", *winner, results[i])
			}
			winner = &results[i]
		}
	}
	if winner == nil {
		t.Fatalf("no submit succeeded: %v", errs)
	}
	for i := range n {
		var se *assessment.SubmittedError
		if errs[i] != nil && (!errors.As(errs[i], &se) || se.Result != *winner) {
			t.Errorf("repeated submit: %v, want SubmittedError with %+v", errs[i], *winner)
		}
	}
	d, err := w.svc.Attempt(ctx, learner, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Attempt.Result() != *winner {
		t.Errorf("stored %+v, want %+v", d.Attempt.Result(), *winner)
	}
}

// TestAttemptLimitUnderConcurrency: simultaneous starts never make more
// attempts than the quiz allows.
func TestAttemptLimitUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(func(p *assessment.QuizParams) { p.MaxAttempts = 2 })
	learner, _ := w.learner()
	first := w.start(learner, q.ID)
	if _, err := w.svc.Submit(ctx, learner.UserID, first.ID, nil); err != nil {
		t.Fatal(err)
	}

	const n = 10
	ids := make([]int64, n)
	created := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			a, c, err := w.svc.Start(ctx, learner, q.ID)
			if err == nil {
				ids[i], created[i] = a.Attempt.ID, c
			}
			errs[i] = err
		}()
	}
	close(gate)
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("start %d: %v", i, errs[i])
		}
		if created[i] {
			made++
		}
		if ids[i] != ids[0] {
			t.Errorf("starts got attempts %v, want one and the same", ids)
			break
		}
	}
	if made != 1 {
		t.Errorf("%d attempts created by simultaneous starts, want 1", made)
	}
	var count int
	if err := w.db.NewRaw("SELECT count(*) FROM attempts WHERE quiz_id = ? AND user_id = ?", q.ID, learner.UserID).Scan(ctx, &count); err != nil {
		t.Fatal(err)
	}
	if count != 2 {
		t.Errorf("%d attempts stored, want 2", count)
	}
	if _, err := w.svc.Submit(ctx, learner.UserID, ids[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.Start(ctx, learner, q.ID); !errors.Is(err, assessment.ErrNoAttemptsLeft) {
		t.Errorf("third attempt: %v, want ErrNoAttemptsLeft", err)
	}
}

func TestAnotherLearnersAttemptIsNotFound(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	owner, _ := w.learner()
	intruder, _ := w.learner()
	a := w.start(owner, q.ID)

	if _, err := w.svc.Attempt(ctx, intruder, a.ID); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("read: %v, want ErrNotFound", err)
	}
	if _, err := w.svc.Save(ctx, intruder.UserID, a.ID, 1, []byte(`{"answers":{}}`)); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("save: %v, want ErrNotFound", err)
	}
	if _, err := w.svc.Submit(ctx, intruder.UserID, a.ID, nil); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("submit: %v, want ErrNotFound", err)
	}
	if d, err := w.svc.Attempt(ctx, owner, a.ID); err != nil || d.Attempt.Submitted() {
		t.Errorf("owner's attempt after the intrusion: %v", err)
	}
	// The course's instructor may look at it, with the answers.
	if d, err := w.svc.Attempt(ctx, w.teacher, a.ID); err != nil || d.Owner || !d.Review {
		t.Errorf("instructor reads the attempt: %v", err)
	}
}

// TestSaveNeverOverwritesNewer: saves carry a sequence number; a late or
// repeated one is ignored.
func TestSaveNeverOverwritesNewer(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, q.ID)
	qs := w.attemptQuestions(learner, a.ID)
	text := qs[slices.IndexFunc(qs, func(q assessment.Question) bool { return q.Kind == assessment.KindShortText })]
	save := func(seq int64, answer string) assessment.SaveResult {
		t.Helper()
		res, err := w.svc.Save(ctx, learner.UserID, a.ID, seq, fmt.Appendf(nil, `{"answers":{"%d":%q}}`, text.ID, answer))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	saved := func() string {
		d, err := w.svc.Attempt(ctx, learner, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d.Answers[text.ID].Text
	}

	if r := save(5, "cinco"); !r.Saved || r.LastSaveSeq != 5 {
		t.Fatalf("first save %+v", r)
	}
	if r := save(3, "três (late)"); r.Saved || r.LastSaveSeq != 5 {
		t.Errorf("late save %+v, want ignored", r)
	}
	if r := save(5, "cinco again"); r.Saved {
		t.Errorf("repeated save %+v, want ignored", r)
	}
	if got := saved(); got != "cinco" {
		t.Errorf("saved %q, want cinco", got)
	}

	// Saves racing in any order leave the newest.
	var wg sync.WaitGroup
	for _, seq := range rand.Perm(30) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			save(int64(10+seq), fmt.Sprintf("save %d", 10+seq))
		}()
	}
	wg.Wait()
	if got := saved(); got != "save 39" {
		t.Errorf("after racing saves: %q, want save 39", got)
	}
	// Submitting without a body grades what was saved.
	res, err := w.svc.Submit(ctx, learner.UserID, a.ID, nil)
	if err != nil || res.Score != 0 {
		t.Errorf("submit of the saved answers: %+v, %v", res, err)
	}
}

// TestBadAnswersKeepTheAttemptOpen: untrusted answers are refused with a
// reason and nothing is graded.
func TestBadAnswersKeepTheAttemptOpen(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, q.ID)
	qs := w.attemptQuestions(learner, a.ID)
	byKind := map[assessment.Kind]int64{}
	for _, q := range qs {
		byKind[q.Kind] = q.ID
	}
	for name, body := range map[string]string{
		"malformed":      `{"answers": `,
		"unknown id":     `{"answers": {"99999999": 1}}`,
		"wrong type":     fmt.Sprintf(`{"answers": {"%d": "yes"}}`, byKind[assessment.KindTrueFalse]),
		"index too high": fmt.Sprintf(`{"answers": {"%d": 7}}`, byKind[assessment.KindSingle]),
		"huge string":    fmt.Sprintf(`{"answers": {"%d": "%s"}}`, byKind[assessment.KindShortText], strings.Repeat("ç", 5000)),
	} {
		_, err := w.svc.Submit(ctx, learner.UserID, a.ID, []byte(body))
		var ae *assessment.AnswerError
		if !errors.As(err, &ae) {
			t.Errorf("%s: %v, want *AnswerError", name, err)
		}
		if _, err := w.svc.Save(ctx, learner.UserID, a.ID, 1, []byte(body)); !errors.As(err, &ae) {
			t.Errorf("%s saved: %v, want *AnswerError", name, err)
		}
	}
	if d, err := w.svc.Attempt(ctx, learner, a.ID); err != nil || d.Attempt.Submitted() || d.Attempt.LastSaveSeq != 0 {
		t.Errorf("attempt after bad answers: %+v, %v", d.Attempt, err)
	}
}

func TestReviewRules(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	for _, tt := range []struct {
		review                    assessment.Review
		whileOpen, failed, passed bool
	}{
		{assessment.ReviewNever, false, false, false},
		{assessment.ReviewAfterAttempt, false, true, true},
		{assessment.ReviewAfterPass, false, false, true},
	} {
		q := w.quiz(func(p *assessment.QuizParams) { p.Review = tt.review })
		learner, _ := w.learner()
		review := func(id int64) bool {
			d, err := w.svc.Attempt(ctx, learner, id)
			if err != nil {
				t.Fatal(err)
			}
			return d.Review
		}
		a := w.start(learner, q.ID)
		if got := review(a.ID); got != tt.whileOpen {
			t.Errorf("%s, open attempt: review %v", tt.review, got)
		}
		if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(w.attemptQuestions(learner, a.ID), false)); err != nil {
			t.Fatal(err)
		}
		if got := review(a.ID); got != tt.failed {
			t.Errorf("%s, failed attempt: review %v, want %v", tt.review, got, tt.failed)
		}
		b := w.start(learner, q.ID)
		if _, err := w.svc.Submit(ctx, learner.UserID, b.ID, answersBody(w.attemptQuestions(learner, b.ID), true)); err != nil {
			t.Fatal(err)
		}
		if got := review(b.ID); got != tt.passed {
			t.Errorf("%s, passed attempt: review %v, want %v", tt.review, got, tt.passed)
		}
	}
}

// TestPassingRequiredQuizCompletesCourse: the course completes when every
// module is done and the required quiz passed, in either order.
func TestPassingRequiredQuizCompletesCourse(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 1)
	q := w.quiz(func(p *assessment.QuizParams) { p.Required = true })
	w.quiz(nil) // not required: never blocks completion
	learner, e := w.learner()

	got, err := w.courses.CompleteModule(ctx, learner.UserID, e.ID, w.modules[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != courses.EnrolmentActive || got.ProgressPercent != 50 {
		t.Fatalf("after the module: %s %d%%, want active 50%%", got.Status, got.ProgressPercent)
	}
	a := w.start(learner, q.ID)
	if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(w.attemptQuestions(learner, a.ID), false)); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.courses.Enrolment(ctx, learner.UserID, w.course.ID); got.Status != courses.EnrolmentActive {
		t.Fatalf("after failing the quiz: %s", got.Status)
	}
	b := w.start(learner, q.ID)
	if _, err := w.svc.Submit(ctx, learner.UserID, b.ID, answersBody(w.attemptQuestions(learner, b.ID), true)); err != nil {
		t.Fatal(err)
	}
	got, err = w.courses.Enrolment(ctx, learner.UserID, w.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != courses.EnrolmentCompleted || got.CompletedAt == nil || got.ProgressPercent != 100 {
		t.Errorf("after passing: %s at %v, %d%%; want completed", got.Status, got.CompletedAt, got.ProgressPercent)
	}

	// Quiz first, module last.
	other, e2 := w.learner()
	c := w.start(other, q.ID)
	if _, err := w.svc.Submit(ctx, other.UserID, c.ID, answersBody(w.attemptQuestions(other, c.ID), true)); err != nil {
		t.Fatal(err)
	}
	if got, err := w.courses.CompleteModule(ctx, other.UserID, e2.ID, w.modules[0].ID); err != nil || got.Status != courses.EnrolmentCompleted {
		t.Errorf("module after the quiz: %v, %v", got, err)
	}
}

// TestConcurrentQuizAndModuleCompletion: a submit that passes the required
// quiz and the completion of the last module, at once, complete the course
// once and do not deadlock.
func TestConcurrentQuizAndModuleCompletion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 1)
	q := w.quiz(func(p *assessment.QuizParams) { p.Required = true })
	var completions int
	w.courses.OnCompleted(func(ctx context.Context, db bun.IDB, e *courses.Enrolment) error {
		completions++
		return nil
	})
	for range 5 {
		learner, e := w.learner()
		a := w.start(learner, q.ID)
		body := answersBody(w.attemptQuestions(learner, a.ID), true)
		var wg sync.WaitGroup
		var submitErr, moduleErr error
		wg.Add(2)
		go func() { defer wg.Done(); _, submitErr = w.svc.Submit(ctx, learner.UserID, a.ID, body) }()
		go func() {
			defer wg.Done()
			_, moduleErr = w.courses.CompleteModule(ctx, learner.UserID, e.ID, w.modules[0].ID)
		}()
		wg.Wait()
		if submitErr != nil || moduleErr != nil {
			t.Fatalf("submit: %v; module: %v", submitErr, moduleErr)
		}
		if got, _ := w.courses.Enrolment(ctx, learner.UserID, w.course.ID); got.Status != courses.EnrolmentCompleted {
			t.Errorf("enrolment %s, want completed", got.Status)
		}
	}
	if completions != 5 {
		t.Errorf("%d completions, want 5", completions)
	}
}
