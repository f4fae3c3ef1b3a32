package app

import (
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestListHTMLEscapes: the select boxes and gradebook rows written in Go
// escape what people typed as the template would, and mark the chosen
// option.
func TestListHTMLEscapes(t *testing.T) {
	opts := string(institutionOptions([]accounts.Institution{
		{ID: 1, Acronym: "ISS", Name: `Instituto "<b>Social</b>"`}, {ID: 2, Acronym: "A&B", Name: "Caja"}}, 2))
	if want := `<option value="1">ISS — Instituto &#34;&lt;b&gt;Social&lt;/b&gt;&#34;</option><option value="2" selected>A&amp;B — Caja</option>`; opts != want {
		t.Errorf("options\n%s\nwant\n%s", opts, want)
	}
	rows := string(gradebookRowsHTML([]gradebookRowView{{Name: "Ana <script>", Email: "a@x.org", Progress: 40,
		Quizzes: []quizCellView{{Best: "87,5", Attempts: "2 attempts"}, {Attempts: "0 attempts"}}, Certificate: "AULA-2345-6789-AB"}}))
	for _, want := range []string{`<th scope="row">Ana &lt;script&gt;<br>`, `<td>40%</td>`, `<td>87,5% <span class="hint">2 attempts</span></td>`,
		`<td>— <span class="hint">0 attempts</span></td>`, `<td>—</td>`, `<a href="/verify/AULA-2345-6789-AB">AULA-2345-6789-AB</a>`} {
		if !strings.Contains(rows, want) {
			t.Errorf("rows lack %s:\n%s", want, rows)
		}
	}
}
