package app

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
)

// The issuer settings: the organisation's name, logo, accent colour and up
// to two signatories with their signature images, as every certificate PDF
// shows them.

type issuerForm struct {
	Name        string `form:"name" validate:"required,max=200"`
	AccentColor string `form:"accent_color" validate:"omitempty,hexcolor,len=7"`
	RemoveLogo  bool   `form:"remove_logo"`
	Sig1Name    string `form:"sig1_name" validate:"max=120"`
	Sig1Title   string `form:"sig1_title" validate:"max=120"`
	Sig1Remove  bool   `form:"sig1_remove"`
	Sig2Name    string `form:"sig2_name" validate:"max=120"`
	Sig2Title   string `form:"sig2_title" validate:"max=120"`
	Sig2Remove  bool   `form:"sig2_remove"`
}

func (f *issuerForm) normalize() {
	for _, p := range []*string{&f.Name, &f.AccentColor, &f.Sig1Name, &f.Sig1Title, &f.Sig2Name, &f.Sig2Title} {
		*p = strings.TrimSpace(*p)
	}
	f.AccentColor = strings.ToUpper(f.AccentColor)
}

type issuerSettingsPage struct {
	Page
	Form         issuerForm
	Errors       map[string]string
	HasLogo      bool
	HasSignature [2]bool
	Version      int64
}

func issuerFormOf(st *certificates.IssuerSettings) issuerForm {
	f := issuerForm{Name: st.Name, AccentColor: st.AccentColor}
	f.Sig1Name, f.Sig1Title = st.Signatory(0).Name, st.Signatory(0).Title
	f.Sig2Name, f.Sig2Title = st.Signatory(1).Name, st.Signatory(1).Title
	return f
}

func (s *server) issuerPage(c *fiber.Ctx, st *certificates.IssuerSettings, form issuerForm) issuerSettingsPage {
	p := issuerSettingsPage{Page: s.adminPage(c, "certificates.settings.title"), Form: form,
		HasLogo: len(st.Logo) > 0, Version: st.Version}
	for i := range p.HasSignature {
		p.HasSignature[i] = len(st.Signatory(i).Signature) > 0
	}
	if p.Form.AccentColor == "" {
		p.Form.AccentColor = "#1F4E79" // the renderer's default, shown in the colour picker
	}
	return p
}

func (s *server) issuerSettingsPage(c *fiber.Ctx) error {
	st, err := s.certs.IssuerSettings(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "pages/admin/certificates_settings", s.issuerPage(c, st, issuerFormOf(st)))
}

// saveIssuerSettingsPage saves the settings from the form; images are
// checked by their content (PNG or JPEG that decodes), not their name.
func (s *server) saveIssuerSettingsPage(c *fiber.Ctx) error {
	var form issuerForm
	err := parseBody(c, &form)
	var p certificates.IssuerParams
	if err == nil {
		p, err = s.issuerParams(c, form)
	}
	if err == nil {
		_, err = s.certs.SaveIssuer(c.UserContext(), p, currentUser(c).ID)
		if errors.Is(err, certificates.ErrInvalidIssuer) {
			err = validationError(map[string]message{"name": {Key: "certificates.error.issuer"}})
		}
	}
	if err == nil {
		return s.redirectWithFlash(c, "/admin/certificates/settings", "flash.saved")
	}
	if !fieldError(err) {
		return err
	}
	st, serr := s.certs.IssuerSettings(c.UserContext())
	if serr != nil {
		return serr
	}
	page := s.issuerPage(c, st, form)
	page.Errors = s.translateFields(c, err)
	c.Status(statusOf(err))
	return s.render(c, "pages/admin/certificates_settings", page)
}

// issuerParams reads the form and its uploaded images.
func (s *server) issuerParams(c *fiber.Ctx, form issuerForm) (certificates.IssuerParams, error) {
	p := certificates.IssuerParams{Name: form.Name, AccentColor: form.AccentColor, RemoveLogo: form.RemoveLogo}
	p.Signatories[0] = certificates.SignatoryParams{Name: form.Sig1Name, Title: form.Sig1Title, RemoveSignature: form.Sig1Remove}
	p.Signatories[1] = certificates.SignatoryParams{Name: form.Sig2Name, Title: form.Sig2Title, RemoveSignature: form.Sig2Remove}
	fields := map[string]message{}
	for field, dst := range map[string]*[]byte{
		"logo": &p.Logo, "sig1_image": &p.Signatories[0].Signature, "sig2_image": &p.Signatories[1].Signature,
	} {
		img, err := optionalImage(c, field)
		if err != nil {
			fields[field] = message{Key: "certificates.settings.bad_image", Args: []any{certificates.MaxImageBytes >> 20}}
			continue
		}
		*dst = img
	}
	if len(fields) > 0 {
		return p, validationError(fields)
	}
	return p, nil
}

// optionalImage returns the PNG or JPEG uploaded in field, nil when none
// was chosen, or an error when the file is too large or is not an image
// (whatever its name or declared type says).
func optionalImage(c *fiber.Ctx, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil || fh.Size == 0 {
		return nil, nil // no file chosen
	}
	data, err := readUpload(c, field, certificates.MaxImageBytes+1)
	if err != nil {
		return nil, err
	}
	if len(data) > certificates.MaxImageBytes {
		return nil, errors.New("image too large")
	}
	if err := (certificates.Issuer{Logo: data}).Validate(); err != nil {
		return nil, err
	}
	return data, nil
}

var issuerImageSlot = regexp.MustCompile(`^(logo|signature-[12])$`)

// issuerImage shows a stored logo or signature image on the settings page.
func (s *server) issuerImage(c *fiber.Ctx) error {
	slot := c.Params("slot")
	if !issuerImageSlot.MatchString(slot) {
		return errNotFound
	}
	st, err := s.certs.IssuerSettings(c.UserContext())
	if err != nil {
		return err
	}
	img := st.Logo
	if slot != "logo" {
		img = st.Signatory(int(slot[len(slot)-1] - '1')).Signature
	}
	if len(img) == 0 {
		return errNotFound
	}
	c.Set(fiber.HeaderContentType, http.DetectContentType(img))
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.Send(img)
}
