// Package i18n translates Aula's user-visible strings. Catalogs are plain
// JSON files, one folder per interface locale (locales.UI), each file an area
// of the application; the files of a folder are merged. A message is either a
// text with fmt verbs (%s, %d, or %[2]s to reorder) filled from the call's
// args, or, when it counts something, an object of plural forms:
//
//	"courses.catalog.results": {
//	  "one":   "%d course found for “%s”.",
//	  "other": "%d courses found for “%s”."
//	}
//
// The forms are CLDR's plural categories (zero, one, two, few, many, other);
// which of them a language needs is decided by its CLDR rule
// (golang.org/x/text/feature/plural): English and Spanish say "1 course" and
// "0 courses", Brazilian Portuguese "0 curso" and "1 curso", European
// Portuguese "0 cursos". An "=N" form ("=0": "No course found") is used for
// exactly N, before the category.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/aula-platform/aula/locales"
)

// Fallback is the language used when nothing better is known.
const Fallback = locales.Fallback

// Languages are the supported interface locales, fallback first.
var Languages = locales.UI

// Supported reports whether Aula speaks lang.
func Supported(lang string) bool { return locales.Supported(lang) }

// Match picks the best supported language from an Accept-Language header
// ("pt-BR,pt;q=0.9,en;q=0.8"), or "" when none is acceptable.
func Match(header string) string { return locales.Match(header) }

// message is one catalog entry: a text, or plural forms keyed by CLDR
// category or "=N".
type message struct {
	text  string
	forms map[string]string
}

// catalog is one language's messages and the tag its plural rule is read for.
type catalog struct {
	tag  language.Tag
	msgs map[string]message
}

// Bundle holds every catalog.
type Bundle struct {
	catalogs map[string]catalog
}

// Load reads the catalogs <lang>/*.json for every supported language from
// fsys and checks them, so that a missing translation stops the server at
// start instead of showing a raw key: every language has exactly the keys of
// the fallback, with the same verbs for the same arguments; a plural message
// is plural everywhere and has the forms its language's CLDR rule selects
// for whole numbers, and no others. A folder for a language Aula does not
// speak (a "pt/" merged from before the split) is an error too.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{catalogs: map[string]catalog{}}
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("i18n: list catalogs: %w", err)
	}
	for _, d := range dirs {
		if d.IsDir() && !Supported(d.Name()) {
			return nil, fmt.Errorf("i18n: folder %s/ is not a supported language (%s); move its keys into those folders",
				d.Name(), strings.Join(Languages, ", "))
		}
	}
	for _, lang := range Languages {
		cat, err := loadCatalog(fsys, lang)
		if err != nil {
			return nil, err
		}
		b.catalogs[lang] = cat
	}
	if problems := b.check(); len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("i18n: catalogs differ: %s", strings.Join(problems, "; "))
	}
	return b, nil
}

func loadCatalog(fsys fs.FS, lang string) (catalog, error) {
	cat := catalog{tag: language.MustParse(lang), msgs: map[string]message{}}
	files, err := fs.Glob(fsys, lang+"/*.json")
	if err != nil || len(files) == 0 {
		return cat, fmt.Errorf("i18n: no catalogs for %s", lang)
	}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return cat, fmt.Errorf("i18n: read %s: %w", name, err)
		}
		var part map[string]json.RawMessage
		if err := json.Unmarshal(data, &part); err != nil {
			return cat, fmt.Errorf("i18n: parse %s: %w", name, err)
		}
		for k, raw := range part {
			if _, dup := cat.msgs[k]; dup {
				return cat, fmt.Errorf("i18n: %s: key %s defined twice", name, k)
			}
			var m message
			if err := json.Unmarshal(raw, &m.text); err != nil {
				if err := json.Unmarshal(raw, &m.forms); err != nil || len(m.forms) == 0 {
					return cat, fmt.Errorf("i18n: %s: %s is neither a text nor plural forms", name, k)
				}
			}
			cat.msgs[k] = m
		}
	}
	return cat, nil
}

// check lists every way the catalogs differ from the fallback's.
func (b *Bundle) check() []string {
	var problems []string
	base := b.catalogs[Fallback]
	for _, lang := range Languages {
		cat := b.catalogs[lang]
		needed := neededForms(cat.tag)
		for key, m := range cat.msgs {
			ref, ok := base.msgs[key]
			switch {
			case !ok:
				problems = append(problems, lang+": unknown "+key)
			case (m.forms == nil) != (ref.forms == nil):
				problems = append(problems, fmt.Sprintf("%s: %s is plural in one language only", lang, key))
			case m.forms == nil && !sameVerbs(m.text, ref.text):
				problems = append(problems, fmt.Sprintf("%s: %s fills its arguments unlike %s: %q", lang, key, Fallback, m.text))
			case m.forms != nil:
				problems = append(problems, checkForms(lang, key, m.forms, needed, ref.forms["other"])...)
			}
		}
		for key := range base.msgs {
			if _, ok := cat.msgs[key]; !ok {
				problems = append(problems, lang+": missing "+key)
			}
		}
	}
	return problems
}

// checkForms checks one plural message: the categories its language needs,
// none it never uses, and the verbs of ref (the fallback's "other") in every
// form. An "=N" form may leave out the count, which it already says ("No
// course found"), if it names its other arguments with %[n].
func checkForms(lang, key string, forms map[string]string, needed map[string]bool, ref string) []string {
	var problems []string
	for cat := range needed {
		if _, ok := forms[cat]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s lacks the plural form %q", lang, key, cat))
		}
	}
	want, _ := verbs(ref)
	withoutCount := slices.DeleteFunc(slices.Clone(want), func(v string) bool { return strings.HasPrefix(v, "1:") })
	for name, text := range forms {
		got, implicit := verbs(text)
		exact := strings.HasPrefix(name, "=")
		switch {
		case exact:
			if _, err := strconv.Atoi(name[1:]); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s has a bad form %q", lang, key, name))
			}
		case !needed[name]:
			problems = append(problems, fmt.Sprintf("%s: %s has the form %q, which %s never uses", lang, key, name, lang))
		}
		ok := slices.Equal(got, want) || exact && slices.Equal(got, withoutCount) && (!implicit || len(got) == 0)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: %s form %q fills its arguments unlike %s: %q", lang, key, name, Fallback, text))
		}
	}
	return problems
}

// neededForms returns the plural categories lang's CLDR rule selects for
// whole numbers. The samples reach a million because some rules (CLDR's
// newer Spanish and Portuguese) give exact millions a form of their own.
func neededForms(tag language.Tag) map[string]bool {
	needed := map[string]bool{}
	for n := 0; n <= 1000; n++ {
		needed[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
	}
	for _, n := range []int{10000, 100000, 1000000, 2000000} {
		needed[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
	}
	return needed
}

// formName is the catalog's name of a CLDR plural category.
func formName(f plural.Form) string {
	switch f {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// verbs describes the fmt verbs of a text as the sorted set of
// "argument:verb" pairs ("1:d 2:s"), so a translation may reorder them with
// %[n] but must fill the same arguments the same way. implicit tells whether
// some verb takes its argument by position rather than by %[n].
func verbs(text string) (set []string, implicit bool) {
	const flags = "+-# 0123456789."
	next := 1
	for i := 0; i < len(text); i++ {
		if text[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(text) && strings.IndexByte(flags, text[j]) >= 0 {
			j++
		}
		arg, explicit := next, false
		if j < len(text) && text[j] == '[' {
			end := strings.IndexByte(text[j:], ']')
			if end < 0 {
				break
			}
			if n, err := strconv.Atoi(text[j+1 : j+end]); err == nil {
				arg, explicit = n, true
			}
			j += end + 1
			for j < len(text) && strings.IndexByte(flags, text[j]) >= 0 {
				j++
			}
		}
		if j >= len(text) {
			break
		}
		if text[j] != '%' {
			set = append(set, strconv.Itoa(arg)+":"+string(text[j]))
			implicit = implicit || !explicit
			next = arg + 1
		}
		i = j
	}
	sort.Strings(set)
	return slices.Compact(set), implicit
}

func sameVerbs(a, b string) bool {
	va, _ := verbs(a)
	vb, _ := verbs(b)
	return slices.Equal(va, vb)
}

// Has reports whether key exists.
func (b *Bundle) Has(key string) bool {
	_, ok := b.catalogs[Fallback].msgs[key]
	return ok
}

func (b *Bundle) catalog(lang string) catalog {
	if cat, ok := b.catalogs[lang]; ok {
		return cat
	}
	return b.catalogs[Fallback]
}

// T returns the text of key in lang, filled with args. An unknown key comes
// back as itself, which tests catch. Called on a plural message, T takes its
// first argument as the count, as N does.
func (b *Bundle) T(lang, key string, args ...any) string {
	cat := b.catalog(lang)
	m, ok := cat.msgs[key]
	if !ok {
		return key
	}
	if m.forms != nil {
		text := form(cat.tag, m.forms, toInt(first(args)))
		if !strings.Contains(text, "%") {
			return text // an "=N" form that says the count in words
		}
		return fmt.Sprintf(text, args...)
	}
	if len(args) == 0 {
		return m.text
	}
	return fmt.Sprintf(m.text, args...)
}

// N returns the form of key that fits the count n in lang, filled with n
// and then args: "%d cursos encontrados para “%s”" with n and the query.
func (b *Bundle) N(lang, key string, n int, args ...any) string {
	return b.T(lang, key, append([]any{n}, args...)...)
}

// form picks the text for n: an "=n" form if there is one, else the form of
// n's CLDR category, else "other".
func form(tag language.Tag, forms map[string]string, n int) string {
	if text, ok := forms["="+strconv.Itoa(n)]; ok {
		return text
	}
	if n < 0 {
		n = -n
	}
	if text, ok := forms[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))]; ok {
		return text
	}
	return forms["other"]
}

func first(args []any) any {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}

// toInt reads a count of any integer type, as templates hand them over.
func toInt(v any) int {
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return int(rv.Int())
	case rv.CanUint():
		return int(rv.Uint())
	}
	return 0
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

// N translates a plural message for the count n, followed by args.
func (p Printer) N(key string, n int, args ...any) string {
	if p.bundle == nil {
		return key
	}
	return p.bundle.N(p.Lang, key, n, args...)
}
