package app

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"
)

// qrSVG draws content as a QR code in SVG, one path of unit squares with
// a quiet zone of four modules: sharp at any size on a projector, and
// small enough to reload every few seconds.
func qrSVG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap() // includes the quiet zone
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := x
			for run < len(row) && row[run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run-x, run-x)
			x = run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}

// checkinQR is GET /manage/sessions/{id}/checkin.svg: the QR code of the
// session's current check-in code, for the organiser's screen.
func (s *server) checkinQR(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, code, err := s.events.Code(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	svg, err := qrSVG(s.checkinURL(id, code.Code))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(svg)
}
