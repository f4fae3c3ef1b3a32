package app

import (
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// publicCacheTTL is how long this process keeps a rendered public page
// (the catalogue, a published course) for visitors without cookies. A
// change made through this process empties the cache at once
// (changesPublic); one made on another node shows here within the TTL. A
// hit says its Age, so a proxy counts the time the page spent here in its
// own max-age: a change shows everywhere within publicMaxAge.
const publicCacheTTL = publicMaxAge * time.Second

// publicCacheEntries bounds the cache: keys carry the query string, and a
// crawler walking every search must not grow it without end. When it is
// full, expired pages go first; if none has, the new page is not kept.
const publicCacheEntries = 512

// publicCache holds rendered public pages by language and URL.
type publicCache struct {
	mu    sync.RWMutex
	pages map[string]publicEntry
	// gen moves on at every clear: a page whose rendering began before a
	// change is not kept after it.
	gen uint64
}

type publicEntry struct {
	body     []byte
	etag     string
	kind     string // Content-Type
	rendered time.Time
}

func newPublicCache() *publicCache { return &publicCache{pages: map[string]publicEntry{}} }

func (pc *publicCache) get(key string, now time.Time) (publicEntry, bool) {
	pc.mu.RLock()
	e, ok := pc.pages[key]
	pc.mu.RUnlock()
	if !ok || now.Sub(e.rendered) >= publicCacheTTL || now.Before(e.rendered) {
		return publicEntry{}, false
	}
	return e, true
}

func (pc *publicCache) generation() uint64 {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return pc.gen
}

// put keeps a page rendered while the cache was at generation gen.
func (pc *publicCache) put(key string, gen uint64, e publicEntry) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return
	}
	if len(pc.pages) >= publicCacheEntries {
		for k, old := range pc.pages {
			if e.rendered.Sub(old.rendered) >= publicCacheTTL {
				delete(pc.pages, k)
			}
		}
		if len(pc.pages) >= publicCacheEntries {
			return
		}
	}
	pc.pages[key] = e
}

// clear forgets every page: something they show changed.
func (pc *publicCache) clear() {
	pc.mu.Lock()
	clear(pc.pages)
	pc.gen++
	pc.mu.Unlock()
}

// cachePublic serves a public page (one rendered by renderPublic) to a
// visitor who brings no session, CSRF or flash cookie from the cache, or
// renders it and keeps it: such a visitor's page depends only on the
// language and the URL, and is the one a proxy may keep anyway. Anyone
// else goes straight to the handler, so a signed-in page is never cached
// and signing out or a disabled account takes effect at once.
func (s *server) cachePublic(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if currentUser(c) != nil || s.csrfBinding(c) != "" || c.Cookies(cookieFlash) != "" {
			return h(c)
		}
		key := lang(c) + " " + c.OriginalURL()
		now := s.now()
		if e, ok := s.publicPages.get(key, now); ok {
			setPublicHeaders(c)
			c.Set(fiber.HeaderAge, strconv.Itoa(int(now.Sub(e.rendered)/time.Second)))
			c.Set(fiber.HeaderETag, e.etag)
			if c.Get(fiber.HeaderIfNoneMatch) == e.etag {
				return c.SendStatus(fiber.StatusNotModified)
			}
			c.Set(fiber.HeaderContentType, e.kind)
			return c.Send(e.body)
		}
		gen := s.publicPages.generation()
		if err := h(c); err != nil {
			return err
		}
		res := c.Response()
		// Only a whole page that renderPublic marked public is kept (a 304
		// has no body; an error page is never public).
		if res.StatusCode() == fiber.StatusOK && len(res.Header.Peek(fiber.HeaderETag)) > 0 &&
			len(res.Header.Peek(fiber.HeaderSetCookie)) == 0 {
			s.publicPages.put(key, gen, publicEntry{
				body: append([]byte(nil), res.Body()...), etag: string(res.Header.Peek(fiber.HeaderETag)),
				kind: string(res.Header.ContentType()), rendered: now,
			})
		}
		return nil
	}
}

// changesPublic wraps the role check of routes that change what public
// pages show (courses, their modules, files, announcements, quizzes): after
// a change that succeeded, this process's cache of public pages is
// emptied, so the author's next look at the catalogue shows it.
func (s *server) changesPublic(check fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := check(c)
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead && err == nil && c.Response().StatusCode() < 400 {
			s.publicPages.clear()
		}
		return err
	}
}
