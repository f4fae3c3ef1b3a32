// Package i18n translates Aula's user-visible strings. Catalogs are plain
// JSON files, one per language, mapping a message key to its text; a text may
// hold fmt verbs (%s, %d, or %[2]s to reorder) filled from the call's args.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Fallback is the language used when nothing better is known.
const Fallback = "en"

// Languages are the supported languages, fallback first.
var Languages = []string{"en", "es", "pt"}

// Bundle holds every catalog.
type Bundle struct {
	catalogs map[string]map[string]string
}

// Load reads the catalogs <lang>/*.json (one file per area of the
// application, merged) for every supported language from fsys and checks
// that every language has exactly the keys of the fallback, so a missing
// translation stops the server at start instead of showing a raw key.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{catalogs: map[string]map[string]string{}}
	for _, lang := range Languages {
		files, err := fs.Glob(fsys, lang+"/*.json")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("i18n: no catalogs for %s", lang)
		}
		msgs := map[string]string{}
		for _, name := range files {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: read %s: %w", name, err)
			}
			var part map[string]string
			if err := json.Unmarshal(data, &part); err != nil {
				return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := msgs[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %s defined twice", name, k)
				}
				msgs[k] = v
			}
		}
		b.catalogs[lang] = msgs
	}
	var problems []string
	base := b.catalogs[Fallback]
	for _, lang := range Languages[1:] {
		for key := range base {
			if _, ok := b.catalogs[lang][key]; !ok {
				problems = append(problems, lang+": missing "+key)
			}
		}
		for key := range b.catalogs[lang] {
			if _, ok := base[key]; !ok {
				problems = append(problems, lang+": unknown "+key)
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("i18n: catalogs differ: %s", strings.Join(problems, "; "))
	}
	return b, nil
}

// Has reports whether key exists.
func (b *Bundle) Has(key string) bool {
	_, ok := b.catalogs[Fallback][key]
	return ok
}

// T returns the text of key in lang, filled with args. An unknown key comes
// back as itself, which tests catch.
func (b *Bundle) T(lang, key string, args ...any) string {
	msgs, ok := b.catalogs[lang]
	if !ok {
		msgs = b.catalogs[Fallback]
	}
	msg, ok := msgs[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Supported reports whether Aula speaks lang.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Match picks the best supported language from an Accept-Language header
// ("pt-BR,pt;q=0.9,en;q=0.8"), or "" when none is acceptable.
func Match(header string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			parsed, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = parsed
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if Supported(primary) && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// Printer translates into one language.
type Printer struct {
	Lang   string
	bundle *Bundle
}

// Printer returns a Printer for lang.
func (b *Bundle) Printer(lang string) Printer { return Printer{Lang: lang, bundle: b} }

// T translates key with args.
func (p Printer) T(key string, args ...any) string {
	if p.bundle == nil {
		return key
	}
	return p.bundle.T(p.Lang, key, args...)
}
