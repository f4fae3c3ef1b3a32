package postgres

import (
	"context"
	"slices"
	"sync"
)

// KeptList keeps the last read of a whole list (every institution, every
// course: a select box's options) with the version it was read at, a
// number the database moves on in the transaction of every write of the
// list (list_versions, migration 20261203120000). A page asks for the
// version, one row, and the list is read again only when it moved: the
// lists' rows, scanned on every view, were a quarter of the server's time
// on the pages that show them. Nothing is trusted that the database did
// not confirm in the same request, so a write on another node shows on
// the next view.
type KeptList[T any] struct {
	mu      sync.Mutex
	version int64
	list    []T
	ok      bool
}

// Get returns the list at version: the one kept when it was read at that
// version, else read's (the list and the version it was read at, in one
// statement), kept for the next call. The slice is the caller's.
func (k *KeptList[T]) Get(ctx context.Context, version int64, read func(context.Context) ([]T, int64, error)) ([]T, error) {
	k.mu.Lock()
	list, hit := k.list, k.ok && k.version == version
	k.mu.Unlock()
	if hit {
		return slices.Clone(list), nil
	}
	list, at, err := read(ctx)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	// A slower reader of an older version must not replace a newer list:
	// versions only grow.
	if !k.ok || at >= k.version {
		k.list, k.version, k.ok = list, at, true
	}
	k.mu.Unlock()
	return slices.Clone(list), nil
}
