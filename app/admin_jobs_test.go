package app_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/jobs"
)

// TestAdminSeesFailedJobsAndRetries: a job given up shows its last error
// on /admin/jobs, and "Try again" queues it again.
func TestAdminSeesFailedJobsAndRetries(t *testing.T) {
	e := newEnv(t)
	kind := "test.refused" + strings.TrimPrefix(unique("k"), "k")
	e.jobs.Register(jobs.Kind{Name: kind, Handler: func(context.Context, *jobs.Job) error {
		return jobs.Permanent(errors.New("550 5.1.1 <peña@example.org>: mailbox unavailable"))
	}})
	j, _, err := jobs.Enqueue(context.Background(), e.db, jobs.EnqueueParams{Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	e.workJobs()

	admin, _ := e.signedIn(accounts.RoleAdmin)
	page := admin.get("/admin/jobs")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, kind) || !strings.Contains(page.body, "550 5.1.1 &lt;peña@example.org&gt;: mailbox unavailable") {
		t.Fatalf("the failed job and its error are not on the page:\n%s", page.body)
	}
	res := admin.post("/admin/jobs/"+itoa(j.ID)+"/retry", nil)
	wantStatus(t, res, http.StatusSeeOther)
	got, err := jobs.NewStore(e.db).Job(context.Background(), j.ID)
	if err != nil || got.State != jobs.StateAvailable {
		t.Fatalf("after retry: %+v %v", got, err)
	}
	if page := admin.get("/admin/jobs?state=available"); !strings.Contains(page.body, `id="job-`+itoa(j.ID)+`"`) {
		t.Errorf("the retried job is not listed as queued:\n%s", page.body)
	}
	if res := admin.post("/admin/jobs/"+itoa(j.ID)+"/retry", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("retrying a queued job: %d, want 404", res.StatusCode)
	}
	learner, _ := e.signedIn(accounts.RoleLearner)
	if res := learner.get("/admin/jobs"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a learner sees the jobs: %d", res.StatusCode)
	}
}
