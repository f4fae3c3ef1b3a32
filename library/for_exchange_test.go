package library_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// TestExperienceFromExchange: an action's report becomes one draft
// country experience however often it is sent; countries the library
// cannot place are left out, an unknown theme is refused on its field,
// and a report longer than an abstract is cut with an ellipsis.
func TestExperienceFromExchange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Instituto Mexicano del Seguro Social Peña", Acronym: unique("I"), Country: "MX"}
	if err := accounts.NewStore(e.db).InsertInstitution(ctx, inst); err != nil {
		t.Fatal(err)
	}
	ex := library.Experience{Origin: unique("exchange-action:"), Title: "Cuidados para personas mayores",
		Abstract: strings.Repeat("Evaluación del modelo de cuidados. ", 400), Language: "es", Countries: []string{"MX", "", "XK1"},
		Themes: []string{"elderly-care"}, Year: 2027, Institutions: []library.Credit{{ID: inst.ID, Name: inst.Name}, {ID: 0, Name: "INSS João"}}}
	var first *library.Item
	for range 2 {
		it, err := e.lib.ExperienceFromExchange(ctx, e.db, ex)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = it
		} else if it.ID != first.ID {
			t.Errorf("sent twice: items %d and %d", first.ID, it.ID)
		}
	}
	if first.Status != library.StatusDraft || first.Type != library.TypeExperience || first.Origin == nil || *first.Origin != ex.Origin ||
		strings.Join(first.Countries, ",") != "MX" || len(first.Themes) != 1 || first.Themes[0] != e.theme("elderly-care") ||
		strings.Join(first.Authors, "; ") != inst.Name+"; INSS João" || *first.InstitutionID != inst.ID {
		t.Errorf("item %+v", first)
	}
	if n := utf8.RuneCountInString(first.Abstract); n > 10000 || !strings.HasSuffix(first.Abstract, " del modelo…") {
		t.Errorf("abstract of %d characters ends %q", n, first.Abstract[len(first.Abstract)-30:])
	}

	ex.Origin, ex.Themes = unique("exchange-action:"), []string{"astrology"}
	_, err := e.lib.ExperienceFromExchange(ctx, e.db, ex)
	var fe *library.FieldError
	if !errors.As(err, &fe) || fe.Field != "themes" {
		t.Errorf("unknown theme: %v", err)
	}
}
