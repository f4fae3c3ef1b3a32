package app

import (
	"html/template"
	"strconv"
	"strings"
)

// The library search page's facet lists, active filters and result rows
// are written here rather than ranged over in the template: at 100,000
// items a search page has up to ~60 facet links and 20 results, and
// html/template spent ~5 actions on each (a field looked up by
// reflection, an escaper called through reflect.Value.Call), about a
// third of the server's CPU on a library page (pprof under the scale
// bench's library figures). The output is byte for byte what the
// template wrote (TestLibraryRowsAsTheTemplateWroteThem).

// templateEscaper escapes as html/template escapes a string in text and
// in a quoted attribute (its htmlReplacementTable): html.EscapeString
// leaves "+" alone, which the template writes "&#43;" (in the facet
// links a space of the query is a "+").
var templateEscaper = strings.NewReplacer(
	"\x00", "\uFFFD",
	`"`, "&#34;",
	"&", "&amp;",
	"'", "&#39;",
	"+", "&#43;",
	"<", "&lt;",
	">", "&gt;",
)

// escapeText is s escaped for HTML text or a quoted attribute value.
func escapeText(s string) string { return templateEscaper.Replace(s) }

// escapeLibraryHref is a link of the library's own (a path, or
// /library?… with url.Values.Encode's query) escaped for a quoted href:
// those bytes are all ones html/template's URL normalizer keeps as they
// are, so only the attribute escaping applies.
func escapeLibraryHref(href string) string { return templateEscaper.Replace(href) }

// facetsHTML writes each facet group: a heading and a list of its values,
// each a link that adds it to the search (or takes it off when selected)
// and its count.
func facetsHTML(groups []facetGroup) template.HTML {
	var b strings.Builder
	n := 0
	for _, g := range groups {
		n += 64 + len(g.Values)*160
	}
	b.Grow(n)
	for _, g := range groups {
		b.WriteString("\n    <section>\n      <h2>")
		b.WriteString(escapeText(g.Label))
		b.WriteString("</h2>\n      <ul>\n        ")
		for _, v := range g.Values {
			b.WriteString(`<li><a href="`)
			b.WriteString(escapeLibraryHref(v.Href))
			b.WriteByte('"')
			if v.Selected {
				b.WriteString(` aria-current="true" class="selected"`)
			}
			b.WriteByte('>')
			b.WriteString(escapeText(v.Label))
			b.WriteString(`</a> <span class="count">`)
			b.WriteString(strconv.Itoa(v.Count))
			b.WriteString("</span></li>")
		}
		b.WriteString("\n      </ul>\n    </section>\n    ")
	}
	return template.HTML(b.String()) //nolint:gosec // every text and link is escaped above
}

// activeFiltersHTML writes a chip per selected facet value: a link that
// takes it off the search.
func activeFiltersHTML(p Page, active []facetLink) template.HTML {
	if len(active) == 0 {
		return ""
	}
	var b strings.Builder
	remove := `</span><span class="visually-hidden">` + escapeText(p.T("library.filters.remove")) + "</span></a>"
	for _, v := range active {
		b.WriteString(`<a class="chip" href="`)
		b.WriteString(escapeLibraryHref(v.Href))
		b.WriteString(`">`)
		b.WriteString(escapeText(v.Label))
		b.WriteString(` <span aria-hidden="true">×`)
		b.WriteString(remove)
	}
	return template.HTML(b.String()) //nolint:gosec // every text and link is escaped above
}

// itemRowsHTML writes the results' rows, an <li> each: title linked to the
// item, type, year and (withCountries) countries, the abstract's start.
// indent is the rows' indentation in the page (the search page's list is
// nested deeper than the country page's).
func itemRowsHTML(p Page, items []itemCard, indent string, withCountries bool) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 600)
	pageLang := escapeText(p.Lang)
	open, inner := "\n"+indent+`<li lang="`, "\n"+indent+"  "
	end := "\n" + indent + "</li>\n" + indent
	for i := range items {
		it := &items[i]
		b.WriteString(open)
		b.WriteString(escapeText(it.Language))
		b.WriteString(`">`)
		b.WriteString(inner)
		b.WriteString(`<h3><a href="`)
		b.WriteString(escapeLibraryHref(it.URL))
		b.WriteString(`">`)
		b.WriteString(escapeText(it.Title))
		b.WriteString("</a></h3>")
		b.WriteString(inner)
		b.WriteString(`<p class="meta" lang="`)
		b.WriteString(pageLang)
		b.WriteString(`">`)
		b.WriteString(escapeText(it.Type))
		b.WriteString(" · ")
		b.WriteString(strconv.Itoa(it.Year))
		if withCountries {
			for _, c := range it.Countries {
				b.WriteString(" · ")
				b.WriteString(escapeText(c))
			}
		}
		b.WriteString("</p>")
		b.WriteString(inner)
		if it.Abstract != "" {
			b.WriteString("<p>")
			b.WriteString(escapeText(it.Abstract))
			b.WriteString("</p>")
		}
		b.WriteString(end)
	}
	return template.HTML(b.String()) //nolint:gosec // every text and link is escaped above
}
