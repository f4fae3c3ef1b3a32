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
	b.WriteString(`<option value="`)
	b.WriteString(strconv.FormatInt(id, 10))
	b.WriteByte('"')
	if selected {
		b.WriteString(" selected")
	}
	b.WriteByte('>')
	b.WriteString(html.EscapeString(label))
	b.WriteString("</option>")
}
