package app

import (
	"html/template"
	"net/url"
	"slices"
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

// facetLinks writes searchURL(toggled(values, name, value)) for each
// value of each facet without copying and encoding the whole search again
// for each of them (~60 a page: that copying and url.Values.Encode were
// ~5% of the server's CPU on a library page): every parameter's part of
// the query is encoded once, and a link re-encodes only the one it
// toggles. TestFacetLinksAsSearchURLWroteThem holds it to searchURL.
type facetLinks struct {
	values url.Values
	keys   []string          // the parameters but after and csrf, sorted (as Encode sorts them)
	parts  map[string]string // a parameter's "k=v&k=w" (empty when it has no value)
}

func newFacetLinks(values url.Values) *facetLinks {
	l := &facetLinks{values: values, parts: make(map[string]string, len(values))}
	for k, list := range values {
		if k == "after" || k == "csrf" {
			continue
		}
		l.keys = append(l.keys, k)
		l.parts[k] = encodeParam(k, list)
	}
	slices.Sort(l.keys)
	return l
}

// encodeParam is k's values as url.Values.Encode writes them.
func encodeParam(k string, list []string) string {
	var b strings.Builder
	key := url.QueryEscape(k)
	for i, v := range list {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// href is the link that toggles value of name (see toggled), and whether
// the value is selected now.
func (l *facetLinks) href(name, value string) (string, bool) {
	// changed holds the toggled parameters' new parts; a parameter that
	// toggling deletes is in gone.
	var changed [2]struct {
		key, part string
		gone      bool
	}
	n := 0
	var on bool
	if name == "year" {
		on = l.values.Get("year_from") == value && l.values.Get("year_to") == value
		part := ""
		if !on {
			part = encodeParam("year_from", []string{value})
		}
		changed[0].key, changed[0].part, changed[0].gone = "year_from", part, on
		if !on {
			part = encodeParam("year_to", []string{value})
		}
		changed[1].key, changed[1].part, changed[1].gone = "year_to", part, on
		n = 2
	} else {
		list := l.values[name]
		var next []string
		if i := slices.Index(list, value); i >= 0 {
			on = true
			next = slices.Delete(slices.Clone(list), i, i+1)
		} else if name == "type" {
			next = []string{value}
		} else {
			next = append(slices.Clone(list), value)
		}
		// A value taken off leaves its parameter, perhaps without values,
		// as toggled does.
		changed[0].key, changed[0].part = name, encodeParam(name, next)
		n = 1
	}
	keys := l.keys
	for _, c := range changed[:n] {
		if _, ok := l.parts[c.key]; !ok && !c.gone {
			keys = append(slices.Clone(keys), c.key)
			slices.Sort(keys)
		}
	}
	var b strings.Builder
	b.Grow(96)
	b.WriteString("/library?")
	count := 0
	for _, k := range keys {
		part, gone := l.parts[k], false
		for _, c := range changed[:n] {
			if c.key == k {
				part, gone = c.part, c.gone
			}
		}
		if gone {
			continue
		}
		count++
		if part == "" {
			continue
		}
		if b.Len() > len("/library?") {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	if count == 0 {
		return "/library", on
	}
	return b.String(), on
}
