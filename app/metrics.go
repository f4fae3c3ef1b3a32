package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// serveMetrics answers /metrics on the main address only to a client on
// this machine that came straight, not through a proxy: a load balancer
// on the same host forwards the public's requests from loopback too, but
// it says so in X-Forwarded-For. Everyone else gets 404, as if there were
// no such page. With AULA_METRICS_ADDR set, metrics live there instead.
func (s *server) serveMetrics(c *fiber.Ctx) error {
	c.Locals(localQuiet, true)
	if s.cfg.MetricsElsewhere || !c.Context().RemoteIP().IsLoopback() || proxied(c) {
		return errNotFound
	}
	s.metricsHandler(c.Context())
	return nil
}

// proxied reports whether a proxy says it forwarded the request.
func proxied(c *fiber.Ctx) bool {
	for _, h := range []string{fiber.HeaderXForwardedFor, "Forwarded", "X-Real-Ip", fiber.HeaderXForwardedHost} {
		if c.Get(h) != "" {
			return true
		}
	}
	return false
}

// routeLabel is the pattern of the route that answered ("/courses/:ref"),
// or "unmatched": the series of /metrics must be as few as the routes,
// whatever paths clients make up.
func routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	// A path no route matched ends at a middleware's prefix ("/"), with
	// no parameters to stand for the rest of the path.
	if len(r.Params) == 0 && !strings.Contains(r.Path, "*") &&
		strings.TrimRight(r.Path, "/") != strings.TrimRight(c.Path(), "/") {
		return "unmatched"
	}
	return strings.Clone(r.Path)
}

// newMetricsHandler adapts the Prometheus handler to fasthttp.
var newMetricsHandler = fasthttpadaptor.NewFastHTTPHandler
