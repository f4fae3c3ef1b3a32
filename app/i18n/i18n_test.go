package i18n_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assets"
)

func TestCatalogsLoadWithSameKeys(t *testing.T) {
	b, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.T("es", "nav.signin"); got == "nav.signin" || got == b.T("en", "nav.signin") {
		t.Errorf("es nav.signin = %q, want a Spanish text", got)
	}
}

// catalogs builds a catalog tree with one file per language; a language
// left out gets the English file.
func catalogs(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, lang := range i18n.Languages {
		text, ok := files[lang]
		if !ok {
			text = files["en"]
		}
		fsys[lang+"/core.json"] = &fstest.MapFile{Data: []byte(text)}
	}
	for dir, text := range files {
		if !i18n.Supported(dir) {
			fsys[dir] = &fstest.MapFile{Data: []byte(text)}
		}
	}
	return fsys
}

const found = `{"found": {"one": "%d course found for “%s”.", "other": "%d courses found for “%s”."}}`

func TestPluralFormsFollowEachLanguagesRule(t *testing.T) {
	b, err := i18n.Load(catalogs(map[string]string{
		"en": found,
		"es": `{"found": {"one": "%d curso encontrado para «%s».", "other": "%d cursos encontrados para «%s»."}}`,
		// Brazil's rule puts 0 with 1; Portugal's puts it with 2. An "=0"
		// form says it in words.
		"pt-BR": `{"found": {"one": "%d curso encontrado para “%s”.", "other": "%d cursos encontrados para “%s”."}}`,
		"pt-PT": `{"found": {"=0": "Nenhum curso encontrado para “%[2]s”.", "one": "%d curso encontrado para “%s”.", "other": "%d cursos encontrados para “%s”."}}`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 courses found for “ley”."},
		{"en", 1, "1 course found for “ley”."},
		{"en", 2, "2 courses found for “ley”."},
		{"es", 0, "0 cursos encontrados para «ley»."},
		{"es", 1, "1 curso encontrado para «ley»."},
		{"es", 5, "5 cursos encontrados para «ley»."},
		{"pt-BR", 0, "0 curso encontrado para “ley”."},
		{"pt-BR", 1, "1 curso encontrado para “ley”."},
		{"pt-BR", 2, "2 cursos encontrados para “ley”."},
		{"pt-PT", 0, "Nenhum curso encontrado para “ley”."},
		{"pt-PT", 1, "1 curso encontrado para “ley”."},
		{"pt-PT", 5, "5 cursos encontrados para “ley”."},
	} {
		if got := b.Printer(tc.lang).N("found", tc.n, "ley"); got != tc.want {
			t.Errorf("%s N(found, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	// T on a plural message counts by its first argument, of any integer type.
	if got := b.T("es", "found", int64(1), "ley"); got != "1 curso encontrado para «ley»." {
		t.Errorf("T with an int64 count = %q", got)
	}
}

func TestLoadRefusesCatalogsThatDiffer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing key", map[string]string{"en": `{"a": "A", "b": "B"}`, "es": `{"a": "A"}`}, "es: missing b"},
		{"unknown key", map[string]string{"en": `{"a": "A"}`, "pt-PT": `{"a": "A", "z": "Z"}`}, "pt-PT: unknown z"},
		{"other verbs", map[string]string{"en": `{"a": "%s of %d"}`, "es": `{"a": "%d de %s"}`}, "es: a fills its arguments"},
		{"reordered verbs are fine, a wrong one is not", map[string]string{"en": `{"a": "%s of %d", "b": "%d"}`, "es": `{"a": "%[2]d de %[1]s", "b": "%s"}`}, "es: b fills"},
		{"plural in one language", map[string]string{"en": found, "es": `{"found": "%d cursos para %s"}`}, "es: found is plural in one language only"},
		{"form the rule needs", map[string]string{"en": found, "pt-BR": `{"found": {"other": "%d cursos para %s"}}`}, `pt-BR: found lacks the plural form "one"`},
		{"form the rule never uses", map[string]string{"en": found, "es": `{"found": {"one": "%d curso %s", "few": "%d cursos %s", "other": "%d cursos %s"}}`}, `es: found has the form "few"`},
		{"form without the count", map[string]string{"en": found, "es": `{"found": {"one": "Un curso para %s", "other": "%d cursos %s"}}`}, `es: found form "one" fills`},
		{"exact form numbering by position", map[string]string{"en": found, "es": `{"found": {"=0": "Ninguno para %s", "one": "%d curso %s", "other": "%d cursos %s"}}`}, `es: found form "=0" fills`},
		{"not a text", map[string]string{"en": `{"a": 3}`}, "a is neither a text nor plural forms"},
		{"folder of no language", map[string]string{"en": `{"a": "A"}`, "pt/security.json": `{"a": "A"}`}, "folder pt/ is not a supported language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := i18n.Load(catalogs(tc.files))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestLoadRefusesAKeyDefinedTwice(t *testing.T) {
	fsys := catalogs(map[string]string{"en": `{"a": "A"}`})
	fsys["es/other.json"] = &fstest.MapFile{Data: []byte(`{"a": "A"}`)}
	if _, err := i18n.Load(fsys); err == nil || !strings.Contains(err.Error(), "key a defined twice") {
		t.Errorf("Load: %v, want a key defined twice", err)
	}
}

func TestCatalogPluralsFor0125(t *testing.T) {
	b, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][4]string{
		"en":    {"0 courses found for “ley”.", "1 course found for “ley”.", "2 courses found for “ley”.", "5 courses found for “ley”."},
		"es":    {"0 cursos encontrados para «ley».", "1 curso encontrado para «ley».", "2 cursos encontrados para «ley».", "5 cursos encontrados para «ley»."},
		"pt-BR": {"0 curso encontrado para “ley”.", "1 curso encontrado para “ley”.", "2 cursos encontrados para “ley”.", "5 cursos encontrados para “ley”."},
		"pt-PT": {"0 cursos encontrados para «ley».", "1 curso encontrado para «ley».", "2 cursos encontrados para «ley».", "5 cursos encontrados para «ley»."},
	}
	for lang, texts := range want {
		for i, n := range []int{0, 1, 2, 5} {
			if got := b.Printer(lang).N("courses.catalog.results", n, "ley"); got != texts[i] {
				t.Errorf("%s, %d: %q, want %q", lang, n, got, texts[i])
			}
		}
	}
	if got := b.T("pt-PT", "bulk.invalid", 1); got != "O ficheiro tem 1 linha a corrigir. Nada foi importado." {
		t.Errorf("pt-PT bulk.invalid 1 = %q", got)
	}
	if got := b.T("en", "certificates.zip.progress", 1, 0); got != "Preparing: 0 of 1 certificate" {
		t.Errorf("en zip progress = %q", got)
	}
}
