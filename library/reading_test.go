package library_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/library"
)

// clock is a settable clock shared by two installations.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// readingTitles are the titles of a reading list, for messages.
func readingTitles(l []library.CitedItem) []string {
	out := make([]string, len(l))
	for i, it := range l {
		out[i] = it.Title
	}
	return out
}

// TestCourseReadingFollowsChanges: a course's reading list changes at
// once in the process that made the change, and within a minute of the
// clock in another process on the same database.
func TestCourseReadingFollowsChanges(t *testing.T) {
	clk := &clock{t: time.Now()}
	a := newEnvAt(t, newEnv(t).db, clk.Now)
	b := newEnvAt(t, a.db, clk.Now)
	ctx := context.Background()
	lib := a.librarian()
	it := a.item(lib, params("Pensões sociais em Moçambique "+unique("r")))
	co := a.publishedCourse(t, "Proteção social "+unique(""))
	if err := a.lib.LinkCourse(ctx, lib, it.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	reading := func(e *env) []library.CitedItem {
		t.Helper()
		l, err := e.lib.CourseReading(ctx, co.ID)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, e := range []*env{a, b} {
		if l := reading(e); len(l) != 1 || l[0].ID != it.ID || l[0].Title != it.Title || l[0].Year != it.Year {
			t.Fatalf("reading %v, want the linked item", readingTitles(l))
		}
	}
	if _, err := a.lib.Withdraw(ctx, lib, it.ID); err != nil {
		t.Fatal(err)
	}
	if l := reading(a); len(l) != 0 {
		t.Errorf("the withdrawing process still lists %v", readingTitles(l))
	}
	if l := reading(b); len(l) != 1 {
		t.Errorf("the other process read the index again before its minute: %v", readingTitles(l))
	}
	clk.Add(time.Minute)
	if l := reading(b); len(l) != 0 {
		t.Errorf("a minute later the other process still lists %v", readingTitles(l))
	}
}
