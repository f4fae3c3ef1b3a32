package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"
)

// pageRouter registers page routes with the pages' chain (pageChain) in
// front of each route's own handlers. The chain is put on every route
// rather than mounted with Use on a prefix: pages have no common prefix,
// and a Use on "/" would run the session and CSRF middleware on API
// requests too. Groups made from it add their handlers (an admin check)
// after the chain, so they see the signed-in user.
type pageRouter struct {
	fiber.Router
	chain []fiber.Handler
	// s is set on the root page router only (GetReadingSession).
	s *server
}

func (s *server) pageRoutes(r fiber.Router) pageRouter {
	return pageRouter{Router: r, chain: s.pageChain(), s: s}
}

// GetReadingSession registers a GET (and HEAD) page for signed-in users
// whose statement reads the session itself (server.readsSession): the
// chain's session step defers to read, and the page is usual, behind the
// usual session lookup, whenever read finds nobody. GET only, since an
// unsafe request's CSRF check needs the session first; on the pages'
// root router only, since a group's handlers (a role check) need the user
// before the handler runs.
func (r pageRouter) GetReadingSession(path string, read sessionRead, usual fiber.Handler) fiber.Router {
	if r.s == nil {
		panic("app: GetReadingSession on a page group")
	}
	r.Router.Get(path, append(r.s.pageChainSessionInPage(), r.s.readsSession(read, usual))...)
	return r
}

func (r pageRouter) with(handlers []fiber.Handler) []fiber.Handler {
	return append(slices.Clip(r.chain), handlers...)
}

// Get registers a GET (and HEAD) page route.
func (r pageRouter) Get(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Get(path, r.with(handlers)...)
	return r
}

// Head registers a HEAD page route.
func (r pageRouter) Head(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Head(path, r.with(handlers)...)
	return r
}

// Post registers a POST page route.
func (r pageRouter) Post(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Post(path, r.with(handlers)...)
	return r
}

// Put registers a PUT page route.
func (r pageRouter) Put(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Put(path, r.with(handlers)...)
	return r
}

// Patch registers a PATCH page route.
func (r pageRouter) Patch(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Patch(path, r.with(handlers)...)
	return r
}

// Delete registers a DELETE page route.
func (r pageRouter) Delete(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Delete(path, r.with(handlers)...)
	return r
}

// Options registers an OPTIONS page route.
func (r pageRouter) Options(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Options(path, r.with(handlers)...)
	return r
}

// Connect registers a CONNECT page route.
func (r pageRouter) Connect(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Connect(path, r.with(handlers)...)
	return r
}

// Trace registers a TRACE page route.
func (r pageRouter) Trace(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Trace(path, r.with(handlers)...)
	return r
}

// Add registers a page route for method.
func (r pageRouter) Add(method, path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.Add(method, path, r.with(handlers)...)
	return r
}

// All registers a page route for every method.
func (r pageRouter) All(path string, handlers ...fiber.Handler) fiber.Router {
	r.Router.All(path, r.with(handlers)...)
	return r
}

// Use registers page middleware (such as the final "not found"), with the
// chain in front. Arguments are as for fiber's Use: an optional prefix,
// then handlers.
func (r pageRouter) Use(args ...any) fiber.Router {
	var prefix []any
	var handlers []fiber.Handler
	for _, a := range args {
		switch v := a.(type) {
		case string:
			prefix = append(prefix, v)
		case fiber.Handler:
			handlers = append(handlers, v)
		default:
			panic("app: pageRouter.Use: unexpected argument")
		}
	}
	for _, h := range r.with(handlers) {
		prefix = append(prefix, h)
	}
	r.Router.Use(prefix...)
	return r
}

// Group returns a router for pages under prefix whose routes run handlers
// after the pages' chain.
func (r pageRouter) Group(prefix string, handlers ...fiber.Handler) fiber.Router {
	return pageRouter{Router: r.Router.Group(prefix), chain: r.with(handlers)}
}

// Route calls fn with a page group under prefix.
func (r pageRouter) Route(prefix string, fn func(router fiber.Router), _ ...string) fiber.Router {
	fn(r.Group(prefix))
	return r
}

// apiPrefix is where the JSON API's routes are.
const apiPrefix = "/api/v1"

// apiReadingToken registers an API route for signed-in callers whose
// statement reads the bearer token itself (server.readsToken): the API
// chain's token step defers to read, and the route is usual, behind the
// usual token lookup, whenever read finds nobody. Call it before the API
// group is made: fiber runs matching handlers in the order they were
// registered, and the group's chain, which looks the token up first,
// would run before a route registered after it.
func (s *server) apiReadingToken(root fiber.Router, method, path string, read tokenRead, usual fiber.Handler) {
	root.Add(method, apiPrefix+path, append(s.apiChainTokenInHandler(), s.readsToken(read, usual))...)
}
