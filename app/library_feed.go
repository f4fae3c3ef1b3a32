package app

import (
	"encoding/xml"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The Atom feed (RFC 4287) of the library's newest items, in the reader's
// language for the feed's own texts; entries keep their item's language.

const feedEntries = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	Xmlns   string      `xml:"xmlns,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Lang  string `xml:"xml:lang,attr,omitempty"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Authors    []atomPerson   `xml:"author"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

// libraryFeed is GET /library/feed.atom.
func (s *server) libraryFeed(c *fiber.Ctx) error {
	ctx := c.UserContext()
	items, err := s.library.Recent(ctx, feedEntries)
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	base := s.cfg.BaseURL
	feed := atomFeed{Xmlns: "http://www.w3.org/2005/Atom", Lang: tr.Lang, ID: base + "/library/feed.atom",
		Title: tr.T("library.feed.title"), Author: atomPerson{Name: "Aula"},
		Links: []atomLink{{Rel: "self", Href: base + "/library/feed.atom", Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/library", Type: "text/html"}}}
	updated := time.Unix(0, 0)
	for _, it := range items {
		url := base + itemPath(it.ID)
		e := atomEntry{ID: url, Title: atomText{Lang: it.Language, Value: it.Title},
			Updated: it.UpdatedAt.UTC().Format(time.RFC3339), Published: it.PublishedAt.UTC().Format(time.RFC3339),
			Links: []atomLink{{Rel: "alternate", Href: url, Type: "text/html"}}}
		for _, a := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		if it.Abstract != "" {
			e.Summary = &atomText{Lang: it.Language, Value: snippet(it.Abstract, 1000)}
		}
		for _, id := range it.Themes {
			e.Categories = append(e.Categories, atomCategory{Term: l.themes.byID[id].Slug, Label: l.themes.label(id)})
		}
		feed.Entries = append(feed.Entries, e)
		if it.UpdatedAt.After(updated) {
			updated = it.UpdatedAt
		}
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.Marshal(feed)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(append([]byte(xml.Header), out...))
}
