package app

import (
	"html/template"
	"sync"
)

// keptHTML keeps HTML the module page made, bounded in bytes, for parts
// of the page that depend only on what the page's statement read: a
// module's body as shown (after pageImages) by module id with the
// courses.Reading.BodyVersion it was read at, which the page passes to
// that statement so that PostgreSQL sends the body again only when the
// module changed, and the rendered module (breadcrumb, article and the
// links to its neighbours) by everything it prints. A kept part is never
// shown after any process changed what it shows: the version and every
// value it prints were read in the request's own statement, which also
// decides, with the session looked up in PostgreSQL, who may read it.
type keptHTML[K comparable] struct {
	mu    sync.RWMutex
	items map[K]kept
	size  int // bytes of the HTML kept
	max   int
}

type kept struct {
	version string
	parts   []template.HTML
}

func (k kept) size() int {
	n := 0
	for _, p := range k.parts {
		n += len(p)
	}
	return n
}

// keptHTMLMax bounds the bytes each cache keeps: a few hundred modules of
// a few kilobytes, the ones read most.
const keptHTMLMax = 8 << 20

func newKeptHTML[K comparable](max int) *keptHTML[K] {
	return &keptHTML[K]{items: map[K]kept{}, max: max}
}

// get returns what is kept under key, if anything.
func (b *keptHTML[K]) get(key K) (kept, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	v, ok := b.items[key]
	return v, ok
}

// put keeps parts under key with version. When what is kept would pass
// the bound, arbitrary entries are dropped (map order): they are made
// again on their next view. An entry larger than an eighth of the bound
// is not kept.
func (b *keptHTML[K]) put(key K, version string, parts ...template.HTML) {
	v := kept{version: version, parts: parts}
	n := v.size()
	if n > b.max/8 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.items[key]; ok {
		b.size -= old.size()
		delete(b.items, key)
	}
	for k, old := range b.items {
		if b.size+n <= b.max {
			break
		}
		b.size -= old.size()
		delete(b.items, k)
	}
	b.items[key] = v
	b.size += n
}
