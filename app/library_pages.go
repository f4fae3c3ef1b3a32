package app

import (
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
)

// The library's pages for readers: search with facets, an item, a country.

// itemCard is an item as a list shows it, labelled for the reader.
type itemCard struct {
	ID        int64
	URL       string
	Title     string
	Language  string
	Type      string
	Year      int
	Countries []string
	Abstract  string
	Status    library.Status
}

func (s *server) itemCards(tr Page, items []library.Item) []itemCard {
	out := make([]itemCard, len(items))
	for i, it := range items {
		card := itemCard{ID: it.ID, URL: itemPath(it.ID), Title: it.Title, Language: it.Language,
			Type: tr.T("library.type." + string(it.Type)), Year: it.Year, Abstract: snippet(it.Abstract, 280), Status: it.Status}
		for _, c := range it.Countries {
			card.Countries = append(card.Countries, countryName(c, tr.Lang))
		}
		out[i] = card
	}
	return out
}

// snippet is the start of a text, cut at a word, at most n characters.
func snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// facetLink is one value of a facet: following Href adds it to the
// search, or takes it off when Selected.
type facetLink struct {
	Label    string
	Count    int
	Href     string
	Selected bool
}

type facetGroup struct {
	Name   string // the URL parameter
	Label  string
	Values []facetLink
}

type librarySearchPage struct {
	Page
	Query     library.Query
	Total     int
	More      bool // more than Total match; the facets count Total
	Items     []itemCard
	Rows      template.HTML // Items' rows (itemRowsHTML)
	Facets    template.HTML // the facet lists (facetsHTML)
	Active    template.HTML // the selected values' chips (activeFiltersHTML)
	NextURL   string
	FirstURL  string
	Librarian bool
}

// searchURL is the library page for values, without a page cursor.
func searchURL(values url.Values) string {
	v := url.Values{}
	for k, list := range values {
		if k != "after" && k != "csrf" {
			v[k] = list
		}
	}
	if len(v) == 0 {
		return "/library"
	}
	return "/library?" + v.Encode()
}

// libraryPage is /library: search, facets, results.
func (s *server) libraryPage(c *fiber.Ctx) error {
	q, err := libraryQuery(c)
	if err != nil {
		return err
	}
	q.Rows = true // itemCards: the page shows each result as a row
	ctx := c.UserContext()
	res, err := s.library.Search(ctx, q)
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	p := s.page(c, "library.title")
	p.Nav = "library"
	p.Head = &pageHead{Links: []headLink{{Rel: "alternate", Type: "application/atom+xml", Href: "/library/feed.atom", Title: p.T("library.feed.title")}}}
	page := librarySearchPage{Page: p, Query: q, Total: res.Total, More: res.More, Items: s.itemCards(p, res.Items)}
	if page.Librarian, err = s.library.IsLibrarian(ctx, currentUser(c)); err != nil {
		return err
	}
	values, err := url.ParseQuery(string(c.Context().QueryArgs().QueryString()))
	if err != nil {
		return errMalformed
	}
	facets := l.facets(res.Facets, p.Lang)
	var groups []facetGroup
	var active []facetLink
	links := newFacetLinks(values)
	for _, g := range []struct {
		name, label string
		values      []facetValueJSON
	}{
		{"country", "library.facet.country", facets.Country},
		{"theme", "library.facet.theme", facets.Theme},
		{"language", "library.facet.language", facets.Language},
		{"type", "library.facet.type", facets.Type},
		{"year", "library.facet.year", facets.Year},
	} {
		group := facetGroup{Name: g.name, Label: p.T(g.label)}
		for _, v := range g.values {
			href, on := links.href(g.name, v.Value)
			link := facetLink{Label: v.Label, Count: v.Count, Href: href, Selected: on}
			group.Values = append(group.Values, link)
			if on {
				active = append(active, link)
			}
		}
		if len(group.Values) > 0 {
			groups = append(groups, group)
		}
	}
	page.Rows, page.Facets, page.Active = itemRowsHTML(p, page.Items, "      ", true), facetsHTML(groups), activeFiltersHTML(p, active)
	if res.Next != "" {
		next := url.Values{}
		for k, list := range values {
			next[k] = list
		}
		next.Set("after", res.Next)
		page.NextURL = "/library?" + next.Encode()
	}
	if q.After != "" {
		page.FirstURL = searchURL(values)
	}
	return s.render(c, "pages/library/index", page)
}

type libraryItemPage struct {
	Page
	Item        *library.Item
	Type        string
	Countries   []countryLink
	Languages   []string
	Themes      []string
	Institution string
	Citation    string
	URL         string
	Files       []libraryFileJSON
	Courses     []courses.Course
	Events      []library.Event
	Librarian   bool
}

type countryLink struct {
	Code, Name, URL string
}

func countryPath(code string) string { return "/library/countries/" + code }

// libraryItemPage is /library/items/{id}: the item, its files, where it
// is cited, a citation line, and its metadata for harvesters and search
// engines (Dublin Core meta tags, schema.org JSON-LD).
func (s *server) libraryItemPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	it, err := s.library.Item(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	p := s.page(c, "library.title")
	p.Title, p.Nav = it.Title, "library"
	page := libraryItemPage{Page: p, Item: it, Type: p.T("library.type." + string(it.Type)),
		Institution: s.institutionName(ctx, it.InstitutionID), URL: s.cfg.BaseURL + itemPath(it.ID)}
	page.Citation = citation(it, page.Institution, page.URL)
	for _, code := range it.Countries {
		page.Countries = append(page.Countries, countryLink{Code: code, Name: countryName(code, p.Lang), URL: countryPath(code)})
	}
	for _, lang := range it.Languages {
		page.Languages = append(page.Languages, languageName(lang, p.Lang))
	}
	for _, th := range it.Themes {
		page.Themes = append(page.Themes, l.themes.label(th))
	}
	for _, f := range it.Files {
		page.Files = append(page.Files, l.file(it.ID, f))
	}
	if page.Courses, err = s.library.CitingCourses(ctx, it.ID); err != nil {
		return err
	}
	if page.Events, err = s.library.CitingEvents(ctx, it.ID); err != nil {
		return err
	}
	if page.Librarian, err = s.library.IsLibrarian(ctx, currentUser(c)); err != nil {
		return err
	}
	page.Head = s.itemHead(it, page)
	return s.render(c, "pages/library/item", page)
}

// itemHead is an item's metadata in the page's head: Dublin Core (DC.*,
// as harvesters and reference managers read it), Highwire citation_*
// (what Google Scholar reads), and schema.org as JSON-LD.
func (s *server) itemHead(it *library.Item, page libraryItemPage) *pageHead {
	h := &pageHead{Links: []headLink{{Rel: "schema.DC", Href: "http://purl.org/dc/elements/1.1/"},
		{Rel: "canonical", Href: page.URL}}}
	add := func(name, content string) {
		if content != "" {
			h.Meta = append(h.Meta, headMeta{Name: name, Content: content})
		}
	}
	date := strconv.Itoa(it.Year)
	if it.Date != nil {
		date = it.Date.Format(time.DateOnly)
	}
	add("DC.title", it.Title)
	add("citation_title", it.Title)
	for _, a := range it.Authors {
		add("DC.creator", a)
		add("citation_author", a)
	}
	add("DC.description", it.Abstract)
	add("DC.publisher", page.Institution)
	add("DC.date", date)
	add("citation_publication_date", strings.ReplaceAll(date, "-", "/"))
	add("DC.type", string(it.Type))
	add("DC.language", it.Language)
	add("citation_language", it.Language)
	add("DC.identifier", page.URL)
	for _, code := range it.Countries {
		add("DC.coverage", code)
	}
	for _, th := range page.Themes {
		add("DC.subject", th)
	}
	add("DC.rights", it.Licence)
	for _, f := range page.Files {
		if f.ContentType == "application/pdf" {
			add("citation_pdf_url", f.URL)
		}
	}
	ld := map[string]any{"@context": "https://schema.org", "@type": schemaType(it.Type), "@id": page.URL,
		"url": page.URL, "name": it.Title, "inLanguage": it.Language, "datePublished": date}
	if it.Abstract != "" {
		ld["abstract"] = it.Abstract
	}
	if len(it.Authors) > 0 {
		people := make([]map[string]string, len(it.Authors))
		for i, a := range it.Authors {
			people[i] = map[string]string{"@type": "Person", "name": a}
		}
		ld["author"] = people
	}
	if page.Institution != "" {
		ld["publisher"] = map[string]string{"@type": "Organization", "name": page.Institution}
	}
	if len(page.Themes) > 0 {
		ld["keywords"] = strings.Join(page.Themes, ", ")
	}
	if len(it.Countries) > 0 {
		places := make([]map[string]string, len(it.Countries))
		for i, code := range it.Countries {
			places[i] = map[string]string{"@type": "Country", "name": countryName(code, "en"), "identifier": code}
		}
		ld["spatialCoverage"] = places
	}
	if it.Licence != "" {
		ld["license"] = it.Licence
	}
	h.JSONLD = ld
	return h
}

// schemaType is the schema.org type of an item's type.
func schemaType(t library.Type) string {
	switch t {
	case library.TypeLegislation:
		return "Legislation"
	case library.TypeReport:
		return "Report"
	case library.TypeDataset:
		return "Dataset"
	case library.TypePresentation:
		return "PresentationDigitalDocument"
	case library.TypeLink:
		return "WebPage"
	case library.TypePublication:
		return "ScholarlyArticle"
	}
	return "CreativeWork"
}

// serveLibraryFile sends a file of an item to those who may see the item.
// The bytes never change under a file, so its SHA-256 is a strong ETag.
func (s *server) serveLibraryFile(c *fiber.Ctx) error {
	id, fid, err := paramIDs(c, "id", "fid")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	f, err := s.library.File(ctx, currentUser(c), id, fid)
	if err != nil {
		return err
	}
	// no-cache: a withdrawn item's files stop at once.
	return sendStoredFile(c, storedFile{SHA256: f.SHA256, ContentType: f.ContentType, FileName: f.FileName, Size: f.SizeBytes},
		func() (io.ReadSeekCloser, error) { return s.library.OpenFile(ctx, f) })
}

type countryPage struct {
	Page
	Code    string
	Name    string
	Items   []itemCard
	Rows    template.HTML // Items' rows (itemRowsHTML)
	Total   int
	MoreURL string
	Courses []courses.Course
	Events  []library.Event
}

// libraryCountryPage is /library/countries/{code}: a country's items, the
// courses that cite them and its events.
func (s *server) libraryCountryPage(c *fiber.Ctx) error {
	code := strings.ToUpper(c.Params("code"))
	if !library.ValidCountry(code) {
		return errNotFound
	}
	ctx := c.UserContext()
	p := s.page(c, "library.title")
	cp, err := s.library.Country(ctx, code, strings.HasPrefix(p.Lang, "pt"))
	if err != nil {
		return err
	}
	name := countryName(code, p.Lang)
	p.Title, p.Nav = p.T("library.country.title", name), "library"
	page := countryPage{Page: p, Code: code, Name: name, Items: s.itemCards(p, cp.Items), Total: cp.Total,
		MoreURL: "/library?country=" + code, Courses: cp.Courses, Events: cp.Events}
	page.Rows = itemRowsHTML(p, page.Items, "    ", false)
	return s.render(c, "pages/library/country", page)
}

// showLibraryCountry is GET /api/v1/library/countries/{code}.
func (s *server) showLibraryCountry(c *fiber.Ctx) error {
	code := strings.ToUpper(c.Params("code"))
	if !library.ValidCountry(code) {
		return errNotFound
	}
	ctx := c.UserContext()
	cp, err := s.library.Country(ctx, code, strings.HasPrefix(lang(c), "pt"))
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	type courseRef struct {
		ID    int64  `json:"id"`
		Slug  string `json:"slug"`
		Title string `json:"title"`
		URL   string `json:"url"`
	}
	type eventRef struct {
		ID    int64     `json:"id"`
		Title string    `json:"title"`
		URL   string    `json:"url"`
		Start time.Time `json:"start"`
	}
	out := struct {
		Code    string            `json:"code"`
		Name    string            `json:"name"`
		Items   []libraryItemJSON `json:"items"`
		Total   int               `json:"total"`
		Courses []courseRef       `json:"courses"`
		Events  []eventRef        `json:"events"`
	}{Code: code, Name: countryName(code, lang(c)), Total: cp.Total, Items: []libraryItemJSON{}, Courses: []courseRef{}, Events: []eventRef{}}
	for i := range cp.Items {
		out.Items = append(out.Items, l.item(&cp.Items[i]))
	}
	for _, co := range cp.Courses {
		out.Courses = append(out.Courses, courseRef{ID: co.ID, Slug: co.Slug, Title: co.Title, URL: s.cfg.BaseURL + "/courses/" + co.Slug})
	}
	for _, ev := range cp.Events {
		out.Events = append(out.Events, eventRef{ID: ev.ID, Title: ev.Title, URL: ev.URL, Start: ev.Start.UTC()})
	}
	return c.JSON(out)
}

// pageHead is what a page adds to its <head>: meta tags, links, and
// structured data (JSON-LD; html/template writes it as JSON).
type pageHead struct {
	Meta   []headMeta
	Links  []headLink
	JSONLD any
}

type headMeta struct{ Name, Content string }

type headLink struct{ Rel, Href, Type, Title string }
