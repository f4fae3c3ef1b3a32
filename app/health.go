package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers while the process runs: a load balancer restarts it otherwise.
func (s *server) healthz(c *fiber.Ctx) error {
	c.Locals(localQuiet, true)
	return c.SendString("ok")
}

// readyz answers 200 only when PostgreSQL does and the process is not
// shutting down, so a load balancer sends no traffic to a process that
// cannot serve it, or is about to stop.
func (s *server) readyz(c *fiber.Ctx) error {
	c.Locals(localQuiet, true)
	if s.cfg.Draining.Load() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("shutting down")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "error", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	// A process whose storage cannot be written fails every upload; the
	// balancer should prefer one whose disk is fine.
	if err := s.blobs.Check(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "error", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("storage not writable")
	}
	return c.SendString("ready")
}
