package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// benchParallelism is how many learners per CPU start and submit at once.
const benchParallelism = 8

// BenchmarkConcurrentSubmissions has many learners start an attempt and
// submit it at the same time, over HTTP on a real listener, against
// PostgreSQL: each operation is one start and one graded submit. Run it with
//
//	go test -run '^$' -bench ConcurrentSubmissions -benchtime 2000x ./app/
func BenchmarkConcurrentSubmissions(b *testing.B) {
	ctx := context.Background()
	e := newQuizEnv(b)
	store := accounts.NewStore(e.db)
	newUser := func(role accounts.Role) *accounts.User {
		u := &accounts.User{Email: unique("bench") + "@example.org", Name: "Conceição " + unique(""), Role: role, Locale: "pt-PT"}
		if err := store.InsertUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		return u
	}
	teacher := newUser(accounts.RoleInstructor)
	course, _ := quizCourse(b, e.db, teacher, 1)
	var questions []assessment.Question
	if err := json.Unmarshal(mustJSON(b, quizBody(nil)["questions"]), &questions); err != nil {
		b.Fatal(err)
	}
	quiz, err := e.assessment.CreateQuiz(ctx, courses.ActorFor(teacher), course.ID,
		assessment.QuizParams{Title: "Benchmark", PassPercent: 60, Review: assessment.ReviewAfterAttempt, Shuffle: true}, questions)
	if err != nil {
		b.Fatal(err)
	}
	learners := benchParallelism * runtime.GOMAXPROCS(0)
	tokens := make([]string, learners)
	for i := range tokens {
		u := newUser(accounts.RoleLearner)
		if _, err := e.courses.Enrol(ctx, u.ID, course.ID, nil); err != nil {
			b.Fatal(err)
		}
		if tokens[i], err = e.accounts.CreateAPIToken(ctx, u.ID); err != nil {
			b.Fatal(err)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go e.app.Listener(ln) //nolint:errcheck // ends with Shutdown below
	b.Cleanup(func() { _ = e.app.Shutdown() })
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: learners}}
	call := func(method, path, token string, body []byte, want int) []byte {
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			panic(fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, data))
		}
		return data
	}

	var next atomic.Int64
	var passed atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		token := tokens[next.Add(1)-1] // one learner per goroutine: their attempts never overlap
		right := true
		for pb.Next() {
			var a apiAttempt
			if err := json.Unmarshal(call(http.MethodPost, "/api/v1/quizzes/"+itoa(quiz.ID)+"/attempts", token, nil, http.StatusCreated), &a); err != nil {
				panic(err)
			}
			var res assessment.Result
			body := mustJSON(b, answers(a, right))
			if err := json.Unmarshal(call(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, body, http.StatusOK), &res); err != nil {
				panic(err)
			}
			if res.Passed {
				passed.Add(1)
			}
			right = !right
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
	b.ReportMetric(float64(learners), "learners")
	if b.N > 1 && passed.Load() == 0 {
		b.Fatal("no submission passed: the answers were not graded as sent")
	}
}

func mustJSON(tb testing.TB, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
