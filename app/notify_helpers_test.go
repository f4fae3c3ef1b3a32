package app_test

import "context"

// workJobs works every due job of the installation's queue, as `aula
// serve`'s workers would, and returns how many it worked. Jobs of other
// tests of the same database are worked too: tests assert on their own
// data only.
func (e *env) workJobs() int {
	e.t.Helper()
	n := 0
	for {
		worked, err := e.jobs.WorkOne(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !worked {
			return n
		}
		n++
	}
}
