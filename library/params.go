package library

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// ItemParams are the fields of an item as a librarian or a member sends
// them (the API's body, a form, a submission kept for review).
type ItemParams struct {
	Type         Type                `json:"type"`
	Title        string              `json:"title"`
	Abstract     string              `json:"abstract"`
	Language     string              `json:"language"`
	Translations []TranslationParams `json:"translations,omitempty"`
	Countries    []string            `json:"countries"`
	Region       string              `json:"region,omitempty"`
	// Themes are library_themes ids.
	Themes []int64 `json:"themes"`
	// Year, or Date ("2026-05-31") whose year it then is; one is needed.
	Year             int      `json:"year,omitempty"`
	Date             string   `json:"date,omitempty"`
	Authors          []string `json:"authors,omitempty"`
	InstitutionID    *int64   `json:"institution_id,omitempty"`
	TargetPopulation string   `json:"target_population,omitempty"`
	DocumentType     string   `json:"document_type,omitempty"`
	Licence          string   `json:"licence,omitempty"`
	URL              string   `json:"url,omitempty"`
}

// TranslationParams are an item's title and abstract in another language.
type TranslationParams struct {
	Language string `json:"language"`
	Title    string `json:"title"`
	Abstract string `json:"abstract,omitempty"`
}

// Limits of an item's fields (the table's checks say the same).
const (
	maxTitle        = 300
	maxAbstract     = 10000
	maxRegion       = 200
	maxPopulation   = 500
	maxDocumentType = 100
	maxLicence      = 200
	maxURL          = 2000
	maxAuthor       = 200
	maxAuthors      = 50
	maxCountries    = 60
	maxThemes       = 20
	maxTranslations = 10
	minYear         = 1800
	maxYear         = 2200
)

// tidy trims text, writes it in NFC (so "Conceição" is one spelling
// however it was typed), and drops empty and repeated list entries.
func (p *ItemParams) tidy() {
	p.Type = Type(strings.ToLower(strings.TrimSpace(string(p.Type))))
	p.Title = clean(p.Title)
	p.Abstract = cleanText(p.Abstract)
	p.Language = strings.ToLower(strings.TrimSpace(p.Language))
	for i := range p.Translations {
		t := &p.Translations[i]
		t.Language = strings.ToLower(strings.TrimSpace(t.Language))
		t.Title = clean(t.Title)
		t.Abstract = cleanText(t.Abstract)
	}
	p.Countries = tidyList(p.Countries, strings.ToUpper)
	p.Region = clean(p.Region)
	p.Themes = uniqueIDs(p.Themes)
	p.Date = strings.TrimSpace(p.Date)
	p.Authors = tidyList(p.Authors, func(s string) string { return s })
	p.TargetPopulation = clean(p.TargetPopulation)
	p.DocumentType = clean(p.DocumentType)
	p.Licence = clean(p.Licence)
	p.URL = strings.TrimSpace(p.URL)
}

// check tidies p and tells the first field that breaks a rule, as a
// *FieldError; whether the themes and the institution exist is the
// service's to check. It returns the date, when one was given.
func (p *ItemParams) check() (*time.Time, error) {
	p.tidy()
	if !p.Type.Valid() {
		return nil, fieldError("type", ErrInvalidType)
	}
	if p.Title == "" || utf8.RuneCountInString(p.Title) > maxTitle {
		return nil, fieldError("title", ErrInvalidTitle)
	}
	if utf8.RuneCountInString(p.Abstract) > maxAbstract {
		return nil, fieldError("abstract", ErrTooLong)
	}
	if !ValidLanguage(p.Language) {
		return nil, fieldError("language", ErrInvalidLanguage)
	}
	if err := p.checkTranslations(); err != nil {
		return nil, err
	}
	if len(p.Countries) > maxCountries {
		return nil, fieldError("countries", ErrInvalidCountry)
	}
	for _, c := range p.Countries {
		if !ValidCountry(c) {
			return nil, fieldError("countries", ErrInvalidCountry)
		}
	}
	if len(p.Themes) > maxThemes {
		return nil, fieldError("themes", ErrUnknownTheme)
	}
	date, err := p.checkDate()
	if err != nil {
		return nil, err
	}
	if len(p.Authors) > maxAuthors {
		return nil, fieldError("authors", ErrInvalidAuthors)
	}
	for _, a := range p.Authors {
		if utf8.RuneCountInString(a) > maxAuthor {
			return nil, fieldError("authors", ErrInvalidAuthors)
		}
	}
	for _, f := range []struct {
		name  string
		value string
		max   int
	}{{"region", p.Region, maxRegion}, {"target_population", p.TargetPopulation, maxPopulation},
		{"document_type", p.DocumentType, maxDocumentType}, {"licence", p.Licence, maxLicence}} {
		if utf8.RuneCountInString(f.value) > f.max {
			return nil, fieldError(f.name, ErrTooLong)
		}
	}
	if p.URL != "" && !validURL(p.URL) {
		return nil, fieldError("url", ErrInvalidURL)
	}
	if p.Type == TypeLink && p.URL == "" {
		return nil, fieldError("url", ErrURLRequired)
	}
	return date, nil
}

func (p *ItemParams) checkTranslations() error {
	if len(p.Translations) > maxTranslations {
		return fieldError("translations", ErrInvalidTranslation)
	}
	seen := map[string]bool{p.Language: true}
	for _, t := range p.Translations {
		if !ValidLanguage(t.Language) || seen[t.Language] || t.Title == "" ||
			utf8.RuneCountInString(t.Title) > maxTitle || utf8.RuneCountInString(t.Abstract) > maxAbstract {
			return fieldError("translations", ErrInvalidTranslation)
		}
		seen[t.Language] = true
	}
	return nil
}

// checkDate fills Year from Date, or checks they agree.
func (p *ItemParams) checkDate() (*time.Time, error) {
	if p.Date == "" {
		if p.Year == 0 {
			return nil, fieldError("year", ErrNoYear)
		}
		if p.Year < minYear || p.Year > maxYear {
			return nil, fieldError("year", ErrInvalidDate)
		}
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, p.Date)
	if err != nil || d.Year() < minYear || d.Year() > maxYear {
		return nil, fieldError("date", ErrInvalidDate)
	}
	if p.Year != 0 && p.Year != d.Year() {
		return nil, fieldError("year", ErrInvalidDate)
	}
	p.Year = d.Year()
	return &d, nil
}

// languages is the item's language followed by its translations'.
func (p *ItemParams) languages() []string {
	out := []string{p.Language}
	for _, t := range p.Translations {
		out = append(out, t.Language)
	}
	return out
}

// ValidLanguage reports whether code is an ISO 639-1 language code, in
// lower case ("pt", "es", "tet" is not: it has no two-letter code).
func ValidLanguage(code string) bool {
	if len(code) != 2 || strings.ToLower(code) != code {
		return false
	}
	b, err := language.ParseBase(code)
	return err == nil && b.String() == code
}

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code
// in upper case ("BR", "MZ"); regions such as "419" and the unknown "ZZ"
// are not countries.
func ValidCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}

func validURL(raw string) bool {
	if len(raw) > maxURL {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// clean is one line of text: trimmed, inner runs of space made one, NFC.
func clean(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// cleanText is a text of paragraphs: trimmed, NFC, line ends kept.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(norm.NFC.String(s), "\r\n", "\n"))
}

// tidyList cleans each entry, maps it with f, and drops empty and repeated ones.
func tidyList(in []string, f func(string) string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = f(clean(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func uniqueIDs(in []int64) []int64 {
	out := make([]int64, 0, len(in))
	for _, id := range in {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
