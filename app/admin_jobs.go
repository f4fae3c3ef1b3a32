package app

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/jobs"
)

// The background jobs an admin watches: how many of each kind wait, run,
// are retried or were given up, the newest of one state with their last
// error (a refused mail says why), and a button to try one again.

// adminJobsListed is how many jobs of a state the page lists.
const adminJobsListed = 100

type adminJobsPage struct {
	Page
	States []jobs.State
	State  jobs.State
	Counts []jobKindCounts
	Jobs   []adminJob
}

// jobKindCounts is one row of the counts table: a kind and its count in
// each state, in the order of States.
type jobKindCounts struct {
	Kind string
	N    []int
}

type adminJob struct {
	jobs.Job
	RunAt, UpdatedAt string
	CanRetry         bool
}

func (s *server) adminJobsPage(c *fiber.Ctx) error {
	state := jobs.State(c.Query("state", string(jobs.StateDiscarded)))
	if !slices.Contains(jobs.States, state) {
		return errNotFound
	}
	ctx := c.UserContext()
	store := s.jobs.Store()
	counts, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	list, err := store.List(ctx, state, adminJobsListed)
	if err != nil {
		return err
	}
	p := adminJobsPage{Page: s.adminPage(c, "notify.jobs.title"), States: jobs.States, State: state}
	for _, n := range counts {
		if len(p.Counts) == 0 || p.Counts[len(p.Counts)-1].Kind != n.Kind {
			p.Counts = append(p.Counts, jobKindCounts{Kind: n.Kind, N: make([]int, len(jobs.States))})
		}
		p.Counts[len(p.Counts)-1].N[slices.Index(jobs.States, n.State)] = n.N
	}
	for _, j := range list {
		p.Jobs = append(p.Jobs, adminJob{Job: j, RunAt: s.clockTime(j.RunAt), UpdatedAt: s.clockTime(j.UpdatedAt),
			CanRetry: j.State == jobs.StateRetryable || j.State == jobs.StateDiscarded})
	}
	return s.render(c, "pages/admin/jobs", p)
}

// retryJobPage makes a failed job due now (jobs.Queue.Retry).
func (s *server) retryJobPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.jobs.Retry(c.UserContext(), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/jobs?state="+string(jobs.StateAvailable)+"#job-"+strconv.FormatInt(id, 10), "notify.jobs.retried")
}

// clockTime prints a moment on the installation's clock (AULA_TIMEZONE),
// naming the zone: admins compare it with what they see on theirs.
func (s *server) clockTime(t time.Time) string {
	return t.In(s.certs.Location()).Format("2006-01-02 15:04:05 MST")
}
