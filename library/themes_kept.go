package library

import (
	"context"
	"slices"
	"sync"
	"time"
)

// ThemesKept is how long a read of the themes serves the pages that label
// them. The vocabulary is written by migrations only, never by a page, and
// every search labels its theme facets: reading and decoding its rows was
// an eighth of the server's time on a library search (a CPU profile at
// 100,000 items). A theme an operator adds or relabels by hand shows within
// this time on every node.
const ThemesKept = time.Minute

// keptThemes is the last read of the themes and until when it serves.
type keptThemes struct {
	mu    sync.Mutex
	list  []Theme
	until time.Time
}

// Themes returns the vocabulary of themes in its order, as read at most
// ThemesKept ago. The slice is the caller's; the labels are shared and
// only read.
func (s *Service) Themes(ctx context.Context) ([]Theme, error) {
	k := &s.themes
	k.mu.Lock()
	list, fresh := k.list, s.now().Before(k.until)
	k.mu.Unlock()
	if fresh {
		return slices.Clone(list), nil
	}
	list, err := NewStore(s.db).Themes(ctx)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.list, k.until = list, s.now().Add(ThemesKept)
	k.mu.Unlock()
	return slices.Clone(list), nil
}
