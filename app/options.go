package app

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// The long select boxes of the list pages (200 institutions, 500 courses
// at scale) are written here rather than by a {{range}} in the template:
// html/template spends ~4 actions per option (field lookups by
// reflection, an escaper each), which was a third of the gradebook's and
// the searches' server time. The labels are escaped as the template would
// escape them.

// institutionOptions returns an <option> per institution, "acronym —
// name", the one whose id is selected marked.
func institutionOptions(all []accounts.Institution, selected int64) template.HTML {
	var b strings.Builder
	b.Grow(len(all) * 64)
	for _, inst := range all {
		writeOption(&b, inst.ID, inst.ID == selected, inst.Acronym+" — "+inst.Name)
	}
	return template.HTML(b.String()) //nolint:gosec // every label is escaped by writeOption
}

// courseOptions returns an <option> per course, its title, the one whose
// id is selected marked.
func courseOptions(all []courses.Course, selected int64) template.HTML {
	var b strings.Builder
	b.Grow(len(all) * 48)
	for _, c := range all {
		writeOption(&b, c.ID, c.ID == selected, c.Title)
	}
	return template.HTML(b.String()) //nolint:gosec // every label is escaped by writeOption
}

func writeOption(b *strings.Builder, id int64, selected bool, label string) {
	writeLabelledOption(b, strconv.FormatInt(id, 10), selected, label)
}

// roleOptions returns an <option> per role, its translated name, the
// selected one marked.
func roleOptions(p Page, roles []accounts.Role, selected accounts.Role) template.HTML {
	var b strings.Builder
	for _, r := range roles {
		writeLabelledOption(&b, string(r), r == selected, p.T("role."+string(r)))
	}
	return template.HTML(b.String()) //nolint:gosec // every value and label is escaped by writeLabelledOption
}

func writeLabelledOption(b *strings.Builder, value string, selected bool, label string) {
	b.WriteString(`<option value="`)
	b.WriteString(html.EscapeString(value))
	b.WriteByte('"')
	if selected {
		b.WriteString(" selected")
	}
	b.WriteByte('>')
	b.WriteString(html.EscapeString(label))
	b.WriteString("</option>")
}

// userRowsHTML writes the user list's rows, a <tr> each, every text
// escaped as the template would escape it. Ranged over by the template,
// the page's 20 rows were about a third of the server's time on a search
// at scale (CPU profile, 4 clients): ~10 actions a row, each a field or
// method looked up by reflection and an escaper.
func userRowsHTML(p Page, items []accounts.User, acronym func(id int64) string) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 300)
	text := html.EscapeString
	disabled := ` <span class="badge">` + text(p.T("field.disabled")) + `</span>`
	edit := text(p.T("common.edit"))
	roles := map[accounts.Role]string{}
	for i := range items {
		u := &items[i]
		role, ok := roles[u.Role]
		if !ok {
			role = text(p.T("role." + string(u.Role)))
			roles[u.Role] = role
		}
		inst := ""
		if u.InstitutionID != nil {
			inst = text(acronym(*u.InstitutionID))
		}
		name := text(u.Name)
		if u.Disabled {
			b.WriteString("\n  <tr class=\"disabled\">\n    <td>" + name + disabled)
		} else {
			b.WriteString("\n  <tr>\n    <td>" + name)
		}
		b.WriteString("</td>\n    <td>" + text(u.Email) + "</td>\n    <td>" + role + "</td>\n    <td>" + inst +
			"</td>\n    <td><a href=\"/admin/users/" + strconv.FormatInt(u.ID, 10) + "/edit\">" + edit +
			"<span class=\"visually-hidden\"> " + name + "</span></a></td>\n  </tr>\n  ")
	}
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}
