package certificates

import (
	"fmt"
	"strconv"
	"strings"
)

// Page geometry in millimetres (A4 landscape).
const (
	pageW     = 297.0
	pageH     = 210.0
	centerX   = pageW / 2
	textWidth = 237.0 // main text: 30 mm clear of each edge
	stackEnd  = 146.0 // the main text ends above the signatures
	sigTop    = 149.0 // signature images
	sigLine   = 166.0 // the line signatories sign above
	sigWidth  = 80.0  // each signatory's column
	qrX, qrY  = 253.0, 150.0
	qrSize    = 26.0
	bandTop   = 183.0 // verification code and link
)

type rgb [3]int

var (
	inkColor   = rgb{31, 41, 51}
	mutedColor = rgb{82, 96, 109}
	ruleColor  = rgb{150, 156, 162}
)

// texts is everything a certificate prints, cleaned, in Unicode.
type texts struct {
	title, intro, holder, institution, completed, course, details string
	expires                                                       string // "" when it never expires
	issuer, codeLine, verifyLine                                  string
	signatories                                                   [][2]string // name, title
}

func newTexts(d Document) texts {
	s := d.Snapshot
	w := wordings[s.Language]
	t := texts{
		title:       w.title,
		intro:       w.intro,
		holder:      clean(s.HolderName),
		institution: clean(s.Institution),
		completed:   w.completed,
		course:      clean(s.CourseTitle),
		details:     w.details(s.WorkloadHours, FormatDate(s.CompletedAt, s.Language)),
		issuer:      clean(s.IssuerName),
		codeLine: w.code + " " + s.Code + "   ·   " +
			w.issued + " " + FormatDate(s.IssuedAt.In(d.location()), s.Language),
		verifyLine: w.verify + " " + clean(VerifyURL(d.BaseURL, s.Code)),
	}
	if s.ExpiresAt != nil {
		// Like the completion, the expiry is a calendar day (midnight UTC).
		t.expires = w.expires + " " + FormatDate(s.ExpiresAt.UTC(), s.Language)
	}
	for _, sg := range d.Issuer.Signatories {
		t.signatories = append(t.signatories, [2]string{clean(sg.Name), clean(sg.Title)})
	}
	if s.Kind == KindParticipation {
		participationTexts(&t, s)
	}
	return t
}

// all is every text of the certificate, and the ellipsis that cuts a text
// too long for its box.
func (t texts) all() string {
	all := []string{t.title, t.intro, t.holder, t.institution, t.completed, t.course,
		t.details, t.expires, t.issuer, t.codeLine, t.verifyLine, "…"}
	for _, sg := range t.signatories {
		all = append(all, sg[0], sg[1])
	}
	return strings.Join(all, " ")
}

// line is a block placed in the main text, with the space above it.
type line struct {
	block
	gap   float64
	color rgb
}

func (r *Renderer) draw(c *canvas, d Document, t texts) error {
	pdf := c.pdf
	accent, _ := parseColor(d.Issuer.AccentColor) // Validate checked it

	pdf.SetDrawColor(accent[0], accent[1], accent[2])
	pdf.SetLineWidth(1.2)
	pdf.Rect(8, 8, pageW-16, pageH-16, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(11, 11, pageW-22, pageH-22, "D")

	y := 26.0 // without a logo the organisation's name heads the page
	if len(d.Issuer.Logo) > 0 {
		y = 18
		img, err := r.images.get(d.Issuer.Logo)
		if err != nil {
			return fmt.Errorf("logo: %w", err)
		}
		y += placeImage(pdf, "logo", img, centerX-35, y, 70, 22, "top") + 3
	}
	setText(c, accent)
	y = c.drawCentered(c.fitOrCut(t.issuer, "B", 12, 8, textWidth, 1), centerX, y)

	// The main text shrinks as a whole when long names and titles would not
	// fit above the signatures.
	top := y + 4
	var lines []line
	for scale := 1.0; ; scale -= 0.1 {
		lines = r.mainText(c, t, accent, scale)
		total := 0.0
		for _, l := range lines {
			total += l.gap + l.height()
		}
		if top+total <= stackEnd || scale < 0.65 {
			// Centre in the space left, a little high as the eye expects.
			top += max(0, (stackEnd-top-total)*0.4)
			break
		}
	}
	y = top
	for _, l := range lines {
		setText(c, l.color)
		y = c.drawCentered(l.block, centerX, y+l.gap)
	}

	if err := r.drawSignatories(c, d.Issuer, t); err != nil {
		return err
	}
	if err := drawQR(pdf, VerifyURL(d.BaseURL, d.Snapshot.Code), qrX, qrY, qrSize); err != nil {
		return err
	}
	setText(c, inkColor)
	y = c.drawCentered(c.fitOrCut(t.codeLine, "B", 9, 6, textWidth, 1), centerX, bandTop)
	setText(c, mutedColor)
	c.drawCentered(c.fitOrCut(t.verifyLine, "", 8, 6, textWidth, 2), centerX, y)
	return pdf.Error()
}

// mainText lays out the central sentence at a scale of its largest sizes.
func (r *Renderer) mainText(c *canvas, t texts, accent rgb, scale float64) []line {
	fit := func(text, style string, largest, smallest float64, lines int) block {
		largest *= scale
		return c.fitOrCut(text, style, largest, min(smallest, largest), textWidth, lines)
	}
	// A name reads best on one line: shrink it to 18 pt before wrapping.
	name, ok := c.fit(t.holder, "B", 28*scale, 18*scale, textWidth, 1)
	if !ok {
		name = fit(t.holder, "B", 18, 10, 2)
	}
	lines := []line{
		{fit(t.title, "B", 30, 16, 1), 0, accent},
		{fit(t.intro, "", 13, 9, 1), 5 * scale, mutedColor},
		{name, 2 * scale, inkColor},
	}
	if t.institution != "" {
		lines = append(lines, line{fit(t.institution, "", 11, 7, 1), 0.5 * scale, mutedColor})
	}
	lines = append(lines,
		line{fit(t.completed, "", 13, 9, 1), 4 * scale, mutedColor},
		line{fit(t.course, "B", 20, 10, 3), 2 * scale, inkColor},
		line{fit(t.details, "", 12, 8, 2), 3 * scale, mutedColor},
	)
	if t.expires != "" {
		lines = append(lines, line{fit(t.expires, "B", 12, 8, 1), 1.5 * scale, inkColor})
	}
	return lines
}

func (r *Renderer) drawSignatories(c *canvas, iss Issuer, t texts) error {
	centres := []float64{centerX}
	if len(iss.Signatories) == 2 {
		centres = []float64{centerX - 55, centerX + 55}
	}
	for i, sg := range iss.Signatories {
		cx := centres[i]
		if len(sg.Signature) > 0 {
			img, err := r.images.get(sg.Signature)
			if err != nil {
				return fmt.Errorf("signature of %s: %w", sg.Name, err)
			}
			placeImage(c.pdf, "signature"+strconv.Itoa(i+1), img, cx-25, sigTop, 50, sigLine-sigTop-1, "bottom")
		}
		c.pdf.SetDrawColor(ruleColor[0], ruleColor[1], ruleColor[2])
		c.pdf.SetLineWidth(0.3)
		c.pdf.Line(cx-sigWidth/2, sigLine, cx+sigWidth/2, sigLine)
		setText(c, inkColor)
		// A signatory's name may wrap but, like the holder's, is never cut.
		name, ok := c.fit(t.signatories[i][0], "B", 10, 7.5, sigWidth, 1)
		if !ok {
			name = c.fitOrCut(t.signatories[i][0], "B", 7.5, 6.5, sigWidth, 2)
		}
		y := c.drawCentered(name, cx, sigLine+0.8)
		if title := t.signatories[i][1]; title != "" {
			setText(c, mutedColor)
			c.drawCentered(c.fitOrCut(title, "", 9, 6, sigWidth, 2), cx, y)
		}
	}
	return nil
}

func setText(c *canvas, col rgb) { c.pdf.SetTextColor(col[0], col[1], col[2]) }
