package library_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

func TestOnlyLibrariansCatalogue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []*accounts.User{nil, e.user(accounts.RoleLearner), e.user(accounts.RoleInstructor)} {
		if _, err := e.lib.CreateItem(ctx, u, params("Proibido")); !errors.Is(err, library.ErrForbidden) {
			t.Errorf("%v creates an item: %v, want ErrForbidden", u, err)
		}
	}
	for _, u := range []*accounts.User{e.user(accounts.RoleAdmin), e.librarian()} {
		it, err := e.lib.CreateItem(ctx, u, params("Permitido"))
		if err != nil {
			t.Fatalf("%s creates an item: %v", u.Role, err)
		}
		if it.Status != library.StatusDraft || it.ID == 0 {
			t.Errorf("new item: %+v, want a draft", it)
		}
	}
}

func TestRemovedLibrarianCataloguesNoMore(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user(accounts.RoleAdmin)
	u := e.librarian()
	if err := e.lib.RemoveLibrarian(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lib.CreateItem(ctx, u, params("Depois")); !errors.Is(err, library.ErrForbidden) {
		t.Fatalf("removed librarian creates: %v, want ErrForbidden", err)
	}
	if _, err := e.lib.NameLibrarian(ctx, e.librarian(), u.ID); !errors.Is(err, library.ErrForbidden) {
		t.Fatalf("a librarian names librarians: %v, want ErrForbidden", err)
	}
}

func TestItemFieldsAreChecked(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	cases := []struct {
		name  string
		edit  func(*library.ItemParams)
		field string
		err   error
	}{
		{"unknown type", func(p *library.ItemParams) { p.Type = "poem" }, "type", library.ErrInvalidType},
		{"no title", func(p *library.ItemParams) { p.Title = "  " }, "title", library.ErrInvalidTitle},
		{"language name", func(p *library.ItemParams) { p.Language = "português" }, "language", library.ErrInvalidLanguage},
		{"three-letter language", func(p *library.ItemParams) { p.Language = "por" }, "language", library.ErrInvalidLanguage},
		{"region not country", func(p *library.ItemParams) { p.Countries = []string{"419"} }, "countries", library.ErrInvalidCountry},
		{"unknown country", func(p *library.ItemParams) { p.Countries = []string{"ZZ"} }, "countries", library.ErrInvalidCountry},
		{"unknown theme", func(p *library.ItemParams) { p.Themes = []int64{99999} }, "themes", library.ErrUnknownTheme},
		{"no year", func(p *library.ItemParams) { p.Year = 0 }, "year", library.ErrNoYear},
		{"date of another year", func(p *library.ItemParams) { p.Date = "2023-05-01" }, "year", library.ErrInvalidDate},
		{"bad date", func(p *library.ItemParams) { p.Year, p.Date = 0, "2024-02-30" }, "date", library.ErrInvalidDate},
		{"link without URL", func(p *library.ItemParams) { p.Type = library.TypeLink }, "url", library.ErrURLRequired},
		{"javascript URL", func(p *library.ItemParams) { p.URL = "javascript:alert(1)" }, "url", library.ErrInvalidURL},
		{"translation in the item's language", func(p *library.ItemParams) {
			p.Translations = []library.TranslationParams{{Language: "pt", Title: "Outra"}}
		}, "translations", library.ErrInvalidTranslation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := params("Verificado")
			c.edit(&p)
			_, err := e.lib.CreateItem(context.Background(), lib, p)
			var fe *library.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v on %s", err, c.err, c.field)
			}
		})
	}
}

func TestCountriesAndLanguagesAreTidied(t *testing.T) {
	e := newEnv(t)
	p := params("  Extensão   da cobertura ")
	p.Countries = []string{" mz", "BR", "MZ"}
	p.Language = "PT"
	p.Date = "2025-03-15"
	p.Year = 0
	p.Translations = []library.TranslationParams{{Language: "en", Title: "Coverage extension"}}
	it, err := e.lib.CreateItem(context.Background(), e.user(accounts.RoleAdmin), p)
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Extensão da cobertura" || it.Language != "pt" || it.Year != 2025 ||
		len(it.Countries) != 2 || it.Countries[0] != "MZ" || it.Countries[1] != "BR" {
		t.Fatalf("stored %q %q %d %v", it.Title, it.Language, it.Year, it.Countries)
	}
	if len(it.Languages) != 2 || it.Languages[1] != "en" || len(it.Translations) != 1 {
		t.Fatalf("languages %v, translations %v", it.Languages, it.Translations)
	}
}

func TestPublishWithdrawAndVisibility(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.librarian()
	it, err := e.lib.CreateItem(ctx, lib, params("Rascunho"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lib.Item(ctx, nil, it.ID); !errors.Is(err, library.ErrNotFound) {
		t.Fatalf("a visitor sees a draft: %v", err)
	}
	if _, err := e.lib.Withdraw(ctx, lib, it.ID); !errors.Is(err, library.ErrInvalidTransition) {
		t.Fatalf("withdraw a draft: %v, want ErrInvalidTransition", err)
	}
	if it, err = e.lib.Publish(ctx, lib, it.ID); err != nil || it.Status != library.StatusPublished || it.PublishedAt == nil {
		t.Fatalf("publish: %+v %v", it, err)
	}
	if _, err := e.lib.Item(ctx, nil, it.ID); err != nil {
		t.Fatalf("a visitor cannot see a published item: %v", err)
	}
	if it, err = e.lib.Withdraw(ctx, lib, it.ID); err != nil || it.Status != library.StatusWithdrawn {
		t.Fatalf("withdraw: %+v %v", it, err)
	}
	if _, err := e.lib.Item(ctx, e.user(accounts.RoleLearner), it.ID); !errors.Is(err, library.ErrNotFound) {
		t.Fatalf("a member sees a withdrawn item: %v", err)
	}
	if _, err := e.lib.Item(ctx, lib, it.ID); err != nil {
		t.Fatalf("the librarian cannot see the withdrawn item: %v", err)
	}
}
