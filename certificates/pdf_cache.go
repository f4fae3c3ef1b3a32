package certificates

import (
	"container/list"
	"sync"
)

// pdfCache keeps recently drawn PDFs, keyed by Document.Hash, up to a total
// size, forgetting the least recently used first. It is a pure cache: a
// hash names one exact PDF, so an entry is never stale — a corrected or
// re-styled certificate has a new hash, and its old entry simply ages out.
type pdfCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // of *pdfEntry, most recently used at the front
	byKey map[string]*list.Element
}

type pdfEntry struct {
	key string
	pdf []byte
}

// newPDFCache returns a cache of at most max bytes; max <= 0 caches nothing.
func newPDFCache(max int64) *pdfCache {
	return &pdfCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the PDF cached under key. The bytes are shared: never modify them.
func (c *pdfCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*pdfEntry).pdf, true
}

// put caches pdf under key. A PDF larger than a quarter of the cache is
// not kept: it would push out many others for one.
func (c *pdfCache) put(key string, pdf []byte) {
	n := int64(cap(pdf)) // what the entry holds in memory, not only its bytes
	if c.max <= 0 || n > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&pdfEntry{key: key, pdf: pdf})
	c.size += n
	for c.size > c.max {
		last := c.order.Back()
		e := last.Value.(*pdfEntry)
		c.order.Remove(last)
		delete(c.byKey, e.key)
		c.size -= int64(cap(e.pdf))
	}
}

// len returns how many PDFs are cached.
func (c *pdfCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey)
}
