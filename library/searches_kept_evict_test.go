package library

import (
	"fmt"
	"testing"
	"time"
)

// A flood of searches asked once must not push out a search asked again,
// whose pages the process keeps: its next reader would pay for a whole
// search twice (once to be marked asked, once to be kept) before it is
// served from the process again.
func TestKeptSearchesEvictSearchesAskedOnceFirst(t *testing.T) {
	var ks keptSearches
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	popular := &keptSearch{dated: []listed{{id: 1}}, inDateOrder: true}
	ks.put("popular", popular, now)
	for i := range 3 * keptMax {
		now = now.Add(time.Millisecond)
		ks.put(fmt.Sprintf("new search %d", i), &keptSearch{}, now)
	}
	if got := ks.get("popular", now); got != popular {
		t.Fatalf("the search asked again was pushed out by %d searches asked once", 3*keptMax)
	}
	if n := len(ks.byKey); n != keptMax {
		t.Fatalf("%d searches kept, want at most %d", n, keptMax)
	}
	// When every search kept holds pages, the one kept first goes.
	for i := range keptMax {
		now = now.Add(time.Millisecond)
		ks.put(fmt.Sprintf("asked again %d", i), &keptSearch{ranked: []listed{{id: 2}}}, now)
	}
	if ks.get("popular", now) != nil {
		t.Fatal("the search kept first stayed when every search kept held pages")
	}
}
