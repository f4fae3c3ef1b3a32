package app

import (
	"hash/crc64"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/aula-platform/aula/app/i18n"
)

// compressed compresses answers (gzip, or deflate, where the client
// takes it; brotli only for a client that takes brotli alone) and says
// Vary: Accept-Encoding. fasthttp compresses only types that gain from it
// (HTML, JSON, CSS, JavaScript, SVG, text), never PDFs, images or ZIPs,
// which are compressed already. BestSpeed: on two cores the CPU is worth
// more than the last bytes of a 5 KB page. Gzip before brotli, though
// every browser lists brotli: at the fastest levels brotli (a pure Go
// port) took twice gzip's CPU for a signed-in module page (6.1 KB:
// 112 against 60 µs) and made it larger (2,769 against 2,645 bytes).
//
// An answer shorter than minCompressed goes as it is: it fits in one
// TCP segment either way, so compressing it saves no round trip, while
// setting up the compressor took about a tenth of the server's CPU for a
// quiz start's JSON (under a kilobyte). It is the same for every client,
// so it needs no Vary. fiber's compress middleware cannot skip by size
// (its Next runs before the handler), hence fasthttp's handlers here,
// with the levels compress.LevelBestSpeed stands for.
func compressed() fiber.Handler {
	noop := func(*fasthttp.RequestCtx) {}
	gzipOrDeflate := fasthttp.CompressHandlerLevel(noop, fasthttp.CompressBestSpeed)
	brotli := fasthttp.CompressHandlerBrotliLevel(noop, fasthttp.CompressBrotliBestSpeed, fasthttp.CompressBestSpeed)
	return func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil {
			return err
		}
		if res := c.Response(); !res.IsBodyStream() && len(res.Body()) < minCompressed {
			return nil
		}
		if h := &c.Context().Request.Header; h.HasAcceptEncoding("gzip") || h.HasAcceptEncoding("deflate") {
			gzipOrDeflate(c.Context())
		} else {
			brotli(c.Context())
		}
		return nil
	}
}

// minCompressed is the size, in bytes, from which compressed compresses
// an answer: about one TCP segment's payload (1,460 bytes on Ethernet),
// less room for the headers.
const minCompressed = 1200

// publicMaxAge is how long a shared cache (a proxy in front of Aula) may
// keep a public page: short, so a course published or changed shows
// within seconds everywhere.
const publicMaxAge = 10

// publicPage is page for a page that is the same for every visitor (the
// catalogue, a published course): a visitor who brings no cookie gets it
// with none set, so a proxy may keep it (renderPublic). Such a page has
// no CSRF token, so its language switch is links (GET /language) instead
// of a form.
func (s *server) publicPage(c *fiber.Ctx, titleKey string) Page {
	if currentUser(c) != nil || s.csrfBinding(c) != "" || c.Cookies(cookieFlash) != "" {
		return s.page(c, titleKey)
	}
	return s.newPage(c, titleKey, "")
}

// renderPublic renders a page made by publicPage: when it has no CSRF
// token (a visitor without cookies) it may be kept by shared caches for
// publicMaxAge, carries an ETag and answers a matching If-None-Match with
// 304 and no body. Otherwise it is rendered as any page.
func (s *server) renderPublic(c *fiber.Ctx, name string, p Page, data any) error {
	if p.CSRF != "" {
		return s.render(c, name, data)
	}
	if err := c.Render(name, data); err != nil {
		return err
	}
	setPublicHeaders(c)
	tag := `W/"` + strconv.FormatUint(crc64.Checksum(c.Response().Body(), crcTable), 36) + `"`
	c.Set(fiber.HeaderETag, tag)
	if c.Get(fiber.HeaderIfNoneMatch) == tag {
		c.Response().ResetBody()
		return c.SendStatus(fiber.StatusNotModified)
	}
	return nil
}

// setPublicHeaders lets shared caches keep a visitor's page for
// publicMaxAge, per language and cookie, whether it was rendered now or
// comes from the in-process cache (cachePublic).
func setPublicHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(publicMaxAge))
	// The page's language comes from these; a cookie means another visitor.
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// setLanguageLink is GET /language?lang=…&next=…, the language switch of
// public pages: it sets the visitor's language cookie, and only that (a
// signed-in user's setting changes through the form, which has a CSRF
// token), so a link on another site can do no more than a visitor's own
// click would.
func (s *server) setLanguageLink(c *fiber.Ctx) error {
	l := c.Query("lang")
	if !i18n.Supported(l) {
		return errMalformed
	}
	c.Cookie(s.cookie(cookieLang, l, 365*24*3600))
	return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
}
