package app

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/locales"
)

// The user and certificate lists' rows and filter options as the
// templates wrote them before they were written in Go (userRowsHTML,
// certificateRowsHTML, roleOptions): the pages must read the same.
const (
	userRowsTemplate = `  {{range .Items}}
  <tr{{if .Disabled}} class="disabled"{{end}}>
    <td>{{.Name}}{{if .Disabled}} <span class="badge">{{$.T "field.disabled"}}</span>{{end}}</td>
    <td>{{.Email}}</td>
    <td>{{$.T (printf "role.%s" .Role)}}</td>
    <td>{{if .InstitutionID}}{{with index $.Institutions (deref .InstitutionID)}}{{.Acronym}}{{end}}{{end}}</td>
    <td><a href="/admin/users/{{.ID}}/edit">{{$.T "common.edit"}}<span class="visually-hidden"> {{.Name}}</span></a></td>
  </tr>
  {{end}}
|{{range .Roles}}<option value="{{.}}"{{if eq . $.Role}} selected{{end}}>{{$.T (printf "role.%s" .)}}</option>{{end}}`
	certificateRowsTemplate = `  {{range .Items}}
  <tr>
    <td><a href="/admin/certificates/{{.Cert.Code}}"><code>{{.Cert.Code}}</code></a></td>
    <td>{{.Cert.HolderName}}</td>
    <td>{{.Cert.CourseTitle}}{{if .Cert.EventID}} <span class="badge">{{$.T "eventmail.certificate.participation"}}</span>{{end}}</td>
    <td>{{.Issued}}</td>
    <td>{{$.T (printf "certificates.status.%s" .Status)}}{{if .Cert.Reissued}} <span class="badge">{{$.T "certificates.admin.reissued_badge"}}</span>{{end}}</td>
  </tr>
  {{end}}
`
)

// TestListRowsAsTheTemplateWroteThem: the user and certificate search
// pages' rows, written in Go, are the HTML the template wrote for the same
// people and certificates (names with markup and quotes, a disabled user,
// one without an institution or with an unknown one, a participation, a
// reissued, an expired and a revoked certificate), in two languages.
func TestListRowsAsTheTemplateWroteThem(t *testing.T) {
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"deref": func(p *int64) int64 { return *p }}
	userTmpl := template.Must(template.New("users").Funcs(funcs).Parse(userRowsTemplate))
	certTmpl := template.Must(template.New("certs").Parse(certificateRowsTemplate))
	id := func(n int64) *int64 { return &n }
	insts := []accounts.Institution{{ID: 3, Acronym: "A&B <i>"}, {ID: 4, Acronym: `"Q"`}}
	users := []accounts.User{
		{ID: 1, Name: `Ana "<b>" O'Neil`, Email: "ana@x.org", Role: accounts.RoleAdmin, InstitutionID: id(3)},
		{ID: 22, Name: "João Simões", Email: "j&s@x.org", Role: accounts.RoleLearner, Disabled: true},
		{ID: 333, Name: "Zé", Email: "z@x.org", Role: accounts.RoleCoordinator, InstitutionID: id(99)},
		{ID: 4444, Name: "Lu", Email: "l@x.org", Role: accounts.RoleInstructor, InstitutionID: id(4)},
	}
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	past, lima := now.Add(-time.Hour), time.FixedZone("Lima", -5*3600)
	certs := []certificates.Certificate{
		{Code: "AULA-2345-6789-AB", HolderName: "Ana <script>", CourseTitle: `Curso "A&B"`, IssuedAt: now.Add(-10 * time.Hour), Revision: 1},
		{Code: "AULA-3456-789A-BC", HolderName: "Zé", CourseTitle: "Evento", EventID: id(5), IssuedAt: now, Revision: 2, ExpiresAt: &past},
		{Code: "AULA-4567-89AB-CD", HolderName: "Lu", CourseTitle: "Curso", IssuedAt: now, Revision: 1, RevokedAt: &past},
	}
	status := func(c *certificates.Certificate) certificates.Status { return c.Status(now) }
	for _, lang := range []string{"es", "en"} {
		p := Page{Lang: lang, tr: bundle.Printer(lang)}
		for _, role := range []accounts.Role{"", accounts.RoleCoordinator} {
			byID := map[int64]accounts.Institution{}
			for _, inst := range insts {
				byID[inst.ID] = inst
			}
			var want bytes.Buffer
			if err := userTmpl.Execute(&want, struct {
				Page
				Items        []accounts.User
				Institutions map[int64]accounts.Institution
				Roles        []accounts.Role
				Role         accounts.Role
			}{p, users, byID, accounts.Roles, role}); err != nil {
				t.Fatal(err)
			}
			acronym := func(id int64) string { return byID[id].Acronym }
			got := "  " + string(userRowsHTML(p, users, acronym)) + "\n|" + string(roleOptions(p, accounts.Roles, role))
			if got != want.String() {
				t.Errorf("%s: user rows\n%s\nthe template wrote\n%s", lang, got, want.String())
			}
		}

		type row struct {
			Cert   certificates.Certificate
			Status string
			Issued string
		}
		var rows []row
		for i := range certs {
			rows = append(rows, row{certs[i], string(status(&certs[i])), locales.FormatDate(certs[i].IssuedAt.In(lima), lang)})
		}
		var want bytes.Buffer
		if err := certTmpl.Execute(&want, struct {
			Page
			Items []row
		}{p, rows}); err != nil {
			t.Fatal(err)
		}
		got := "  " + string(certificateRowsHTML(p, certs, status, lima)) + "\n"
		if got != want.String() {
			t.Errorf("%s: certificate rows\n%s\nthe template wrote\n%s", lang, got, want.String())
		}
		for _, s := range []string{"Ana &lt;script&gt;", "AULA-3456-789A-BC"} {
			if !strings.Contains(got, s) {
				t.Errorf("%s: certificate rows lack %s", lang, s)
			}
		}
	}
}
