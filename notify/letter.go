package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var templateFiles embed.FS

var (
	textLayout = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/mail.txt.tmpl"))
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/mail.html.tmpl"))
)

// Recipient is who a message is for.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
	Locale string
}

// letter is what a message says, before it is laid out as plain text and
// HTML: every text in it is already translated.
type letter struct {
	Kind       string
	Lang       string
	Subject    string
	Greeting   string
	Paragraphs []string
	// BodyText and BodyHTML are an author's text (an announcement), as
	// plain text and as sanitised HTML.
	BodyText string
	BodyHTML htmltemplate.HTML
	Items    []letterItem
	Action   string // the button's label
	URL      string // where it goes
	After    []string
	// The footer; UnsubscribeURL empty for account mail.
	Signature, Footer, LinkHint string
	Unsubscribe, Preferences    string
	UnsubscribeURL              string
	PreferencesURL              string
}

// letterItem is one line of a digest.
type letterItem struct {
	Title, URL, When string
}

// tr is one language of the catalogs.
type tr struct {
	texts Texts
	lang  string
}

func (t tr) T(key string, args ...any) string { return t.texts.T(t.lang, key, args...) }
func (t tr) N(key string, n int, args ...any) string {
	return t.texts.N(t.lang, key, n, args...)
}

// letterFor starts a letter to r in r's language.
func (s *Service) letterFor(r Recipient, kind string) (letter, tr) {
	t := tr{texts: s.texts, lang: r.Locale}
	return letter{
		Kind:      kind,
		Lang:      r.Locale,
		Greeting:  t.T("notify.mail.greeting", r.Name),
		Signature: t.T("notify.mail.signature"),
		Footer:    t.T("notify.mail.footer.account"),
		LinkHint:  t.T("notify.mail.link_hint"),
	}, t
}

// compose lays a letter out as a message to r.
func (s *Service) compose(r Recipient, l letter) (Mail, error) {
	var text, html bytes.Buffer
	if err := textLayout.Execute(&text, l); err != nil {
		return Mail{}, fmt.Errorf("lay out %s as text: %w", l.Kind, err)
	}
	if err := htmlLayout.Execute(&html, l); err != nil {
		return Mail{}, fmt.Errorf("lay out %s as HTML: %w", l.Kind, err)
	}
	m := Mail{To: r.Email, ToName: r.Name, Kind: l.Kind, Locale: l.Lang, Subject: l.Subject,
		Text: strings.TrimLeft(text.String(), "\n"), HTML: html.String(), UnsubscribeURL: l.UnsubscribeURL}
	if r.UserID != 0 {
		id := r.UserID
		m.UserID = &id
	}
	return m, nil
}

// link is an absolute URL of the site.
func (s *Service) link(path string) string { return s.baseURL + path }
