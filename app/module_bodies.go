package app

import (
	"html/template"
	"sync"
)

// moduleBodies keeps the bodies of modules as the module page shows them
// (after pageImages), each with the courses.Reading.BodyVersion it was
// read at. The page passes the kept version to the statement that checks
// the reader's session and access; PostgreSQL sends the body again only
// when the module changed since, so a kept body is never shown after any
// process changed the module, and the page neither reads nor rewrites the
// same few kilobytes on every view. Only derived data is kept: who may
// read it is decided by that statement on every request.
type moduleBodies struct {
	mu    sync.RWMutex
	items map[int64]moduleBody
	size  int // bytes of the bodies kept
	max   int
}

type moduleBody struct {
	version string
	html    template.HTML
}

// moduleBodiesMax bounds the bytes kept: a few hundred modules of a few
// kilobytes, the ones read most.
const moduleBodiesMax = 8 << 20

func newModuleBodies(max int) *moduleBodies {
	return &moduleBodies{items: map[int64]moduleBody{}, max: max}
}

// get returns the body kept for module id, if any.
func (b *moduleBodies) get(id int64) (moduleBody, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	m, ok := b.items[id]
	return m, ok
}

// put keeps html as the body of module id at version. When the bodies
// kept would pass the bound, arbitrary ones are dropped (map order): they
// are read again on their next view. A body larger than an eighth of the
// bound is not kept.
func (b *moduleBodies) put(id int64, version string, html template.HTML) {
	if len(html) > b.max/8 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.items[id]; ok {
		b.size -= len(old.html)
		delete(b.items, id)
	}
	for k, v := range b.items {
		if b.size+len(html) <= b.max {
			break
		}
		b.size -= len(v.html)
		delete(b.items, k)
	}
	b.items[id] = moduleBody{version: version, html: html}
	b.size += len(html)
}
