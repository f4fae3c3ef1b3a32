package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/library"
)

// TestExchangeThemesAreTheLibrarys: offers name themes of the library's
// vocabulary, a theme the library gains included; the matrix, its chart
// and its CSV label them in the reader's language; anything else is a
// 422 on themes, and the schema refuses it too.
func TestExchangeThemesAreTheLibrarys(t *testing.T) {
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	e, _ := newInstallation(t, installation{clock: clock.Now})
	x := exchangeEnvOn(t, e)
	ctx := context.Background()
	slug := unique("pueblos-indigenas-")
	if _, err := x.db.ExecContext(ctx, `INSERT INTO library_themes (slug, position, labels) VALUES (?, 1000, ?)`, slug,
		`{"en": "Indigenous peoples", "es": "Pueblos indígenas", "pt-BR": "Povos indígenas do Brasil", "pt-PT": "Povos indígenas"}`); err != nil {
		t.Fatal(err)
	}
	// The vocabulary is kept for library.ThemesKept: a theme added (by a
	// migration, or by hand) is known once that has passed.
	clock.Advance(library.ThemesKept)
	ptOffer := x.offer(x.ptTok, x.pt.ID, "Proteção social dos povos indígenas", slug, "food-security")
	x.interests()
	wantStatus(t, x.interest(x.mxTok, ptOffer, x.mx.ID, 1), http.StatusCreated)

	// The API keeps the slug and adds the label in the caller's language.
	res := x.api(http.MethodGet, x.path("/matrix"), x.mxTok, nil, "Accept-Language", "es")
	wantStatus(t, res, http.StatusOK)
	var m struct {
		ByTheme []struct {
			Theme, Label      string
			Offers, Interests int
		} `json:"by_theme"`
	}
	decode(t, res, &m)
	byTheme := map[string]string{}
	for _, th := range m.ByTheme {
		byTheme[th.Theme] = fmt.Sprintf("%s %d/%d", th.Label, th.Offers, th.Interests)
	}
	if byTheme[slug] != "Pueblos indígenas 1/1" || byTheme["food-security"] != "Seguridad alimentaria 2/3" {
		t.Errorf("by theme %v", byTheme)
	}

	// The page's filter and chart speak Spanish.
	x.mxBrowser.post("/language", url.Values{"lang": {"es"}, "next": {"/"}})
	page := x.mxBrowser.get(fmt.Sprintf("/exchanges/%d/matrix", x.id))
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `<option value="`+slug+`">Pueblos indígenas</option>`) ||
		!strings.Contains(page.body, `font-size="13">Pueblos indígenas (1 oferta)</text>`) ||
		!strings.Contains(page.body, `font-size="13">Seguridad alimentaria (2 ofertas)</text>`) {
		t.Errorf("matrix page in Spanish: labels missing\n%s", page.body)
	}
	page = x.mxBrowser.get(fmt.Sprintf("/exchanges/%d/matrix?theme=%s", x.id, slug))
	if !strings.Contains(page.body, "Proteção social dos povos indígenas") || strings.Contains(page.body, "Cuidados para personas mayores") {
		t.Errorf("filter by the library's theme\n%s", page.body)
	}
	if offer := x.mxBrowser.get(fmt.Sprintf("/offers/%d", ptOffer)); !strings.Contains(offer.body, "Pueblos indígenas; Seguridad alimentaria") {
		t.Errorf("offer page in Spanish\n%s", offer.body)
	}

	// The CSV in Brazilian Portuguese, distinct from Portugal's.
	csv := x.api(http.MethodGet, x.path("/matrix.csv"), x.brTok, nil, "Accept-Language", "pt-BR")
	wantStatus(t, csv, http.StatusOK)
	if !strings.Contains(csv.body, "Povos indígenas do Brasil; Segurança alimentar") || !strings.Contains(csv.body, "Cuidado da pessoa idosa") {
		t.Errorf("matrix CSV in pt-BR:\n%s", csv.body)
	}

	// A theme outside the vocabulary is a 422 on themes, and the schema
	// refuses it as well.
	res = x.api(http.MethodPost, x.path("/offers"), x.mxTok, map[string]any{"institution_id": x.mx.ID, "title": "Programa",
		"themes": []string{"food-security", "Food security"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var refusal apiError
	decode(t, res, &refusal)
	if refusal.Error.Fields["themes"] == "" {
		t.Errorf("unknown theme: %s", res.body)
	}
	if _, err := x.db.ExecContext(ctx, `UPDATE exchange_offers SET themes = '{astrology}' WHERE id = ?`, x.mxOffer); err == nil {
		t.Error("the schema took a theme outside the vocabulary")
	}
}
