package i18n_test

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/aula-platform/aula/assets"
)

// telltales pairs words that give a Portuguese text away as Brazil's or
// Portugal's. Each catalog must use its own side only, so that a page never
// shows "Guardar" beside "Excluir". Patterns match whole words, any case.
var telltales = []struct{ brazil, portugal string }{
	{`arquivos?`, `ficheiros?`},
	{`exclu(ir|ído|ída|ídos|ídas|a|i)`, `elimin(ar|ado|ada|ados|adas|e)`},
	{`salv(ar|o|a|os|as|e|ou)`, `guard(ar|o|ado|ada|ados|adas|e|am)`},
	{`usuári(o|a|os|as)`, `utilizador(a|es|as)?`},
	{`telas?`, `ecrã`},
	{`celular(es)?`, `telemóve(l|is)`},
	{`senhas?`, `palavras?-passe`},
	{`baix(ar|e|ado|ados)`, `descarreg(ar|ue|ado|ados)`},
	{`compartilh\w*`, `partilh\w*`},
	{`registrad(o|a|os|as)`, `registad(o|a|os|as)`},
	{`equipes?`, `equipas?`},
	{`contatos?`, `contactos?`},
	{`planilhas?`, `folhas? de cálculo`},
	{`alun(o|a|os|as)`, `formand(o|a|os|as)`},
	{`instrutor(es)?`, `formador(es)?`},
	{`embaralh\w*`, `baralh\w*`},
	{`aceitas`, `aceites`},
	{`porcentage(m|ns)`, `percentage(m|ns)`},
	{`conexão|conexões`, `ligação|ligações`},
	{`em andamento`, `em curso`},
	{`você`, `(?:está|estão) a \p{L}+r`},
	// Brazil's gerund where Portugal says "a preparar", "a aguardar".
	{`\p{L}+(?:ando|endo|indo)`, ``},
}

// notGerunds end like a gerund but are not one.
var notGerunds = map[string]bool{"quando": true, "formando": true, "vindo": true, "segundo": true, "segundos": true, "mundo": true, "fundo": true, "lindo": true}

func TestPortugueseCatalogsKeepToTheirOwnWords(t *testing.T) {
	for _, side := range []struct {
		lang  string
		words func(p struct{ brazil, portugal string }) string
	}{
		{"pt-PT", func(p struct{ brazil, portugal string }) string { return p.brazil }},
		{"pt-BR", func(p struct{ brazil, portugal string }) string { return p.portugal }},
	} {
		texts := catalogTexts(t, side.lang)
		for _, pair := range telltales {
			if side.words(pair) == "" {
				continue
			}
			re := regexp.MustCompile(`(?i)(?:^|[^\p{L}])(` + side.words(pair) + `)(?:$|[^\p{L}])`)
			for _, m := range texts {
				for _, found := range re.FindAllStringSubmatch(m.text, -1) {
					if notGerunds[strings.ToLower(found[1])] {
						continue
					}
					t.Errorf("%s %s: %q is not %s's word (pair %s / %s): %q", m.file, m.key, found[1], side.lang, pair.brazil, pair.portugal, m.text)
				}
			}
		}
	}
}

type catalogText struct{ file, key, text string }

// catalogTexts returns every text of a language's catalogs, plural forms
// included, with its file and key.
func catalogTexts(t *testing.T, lang string) []catalogText {
	files, err := fs.Glob(assets.I18n, lang+"/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogs for %s: %v", lang, err)
	}
	var out []catalogText
	for _, file := range files {
		data, err := fs.ReadFile(assets.I18n, file)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]json.RawMessage
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for key, raw := range msgs {
			var text string
			var forms map[string]string
			if json.Unmarshal(raw, &text) == nil {
				forms = map[string]string{"": text}
			} else if err := json.Unmarshal(raw, &forms); err != nil {
				t.Fatalf("%s: %s: %v", file, key, err)
			}
			for _, text := range forms {
				out = append(out, catalogText{file, key, text})
			}
		}
	}
	return out
}
