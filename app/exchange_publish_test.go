package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// completedActions takes Mexico's offer through a round to two completed
// actions, one with Brazil and one with Portugal, each with its report,
// and returns their ids.
func (x *exchangeEnv) completedActions(reports ...string) []int64 {
	x.t.Helper()
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.room("Sala Peña")
	var round int64
	for _, r := range x.schedule().Rounds {
		if r.OfferID == x.mxOffer {
			round = r.ID
		}
	}
	var ids []int64
	for i, demanding := range []struct {
		id    int64
		token string
	}{{x.br.ID, x.brTok}, {x.pt.ID, x.ptTok}}[:len(reports)] {
		res := x.api(http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/actions", round), demanding.token, map[string]any{
			"type": "study_visit", "description": "Visita de estudio a Ciudad de México", "offering_institution_id": x.mx.ID,
			"demanding_institution_id": demanding.id})
		wantStatus(x.t, res, http.StatusCreated)
		var a struct{ ID int64 }
		decode(x.t, res, &a)
		path := fmt.Sprintf("/api/v1/actions/%d", a.ID)
		wantStatus(x.t, x.api(http.MethodPost, path+"/confirm", x.mxTok, nil), http.StatusOK)
		wantStatus(x.t, x.api(http.MethodPost, path+"/decision", x.admin, map[string]any{"selected": true, "reason": "Pertinente"}), http.StatusOK)
		wantStatus(x.t, x.api(http.MethodPost, path+"/progress", x.mxTok, map[string]any{"note": "Inicio", "status": "in_progress"}), http.StatusCreated)
		wantStatus(x.t, x.api(http.MethodPost, path+"/progress", demanding.token, map[string]any{"note": "Fin", "status": "completed",
			"report": reports[i]}), http.StatusCreated)
		ids = append(ids, a.ID)
	}
	return ids
}

type libraryItemOut struct {
	ID            int64    `json:"id"`
	Type          string   `json:"type"`
	Status        string   `json:"status"`
	Title         string   `json:"title"`
	Abstract      string   `json:"abstract"`
	Language      string   `json:"language"`
	Countries     []string `json:"countries"`
	Themes        []int64  `json:"themes"`
	Authors       []string `json:"authors"`
	InstitutionID *int64   `json:"institution_id"`
	ThemeLabels   []struct {
		Slug string `json:"slug"`
	} `json:"theme_labels"`
}

// librarySearch returns the ids of the items a visitor finds for q.
func (x *exchangeEnv) librarySearch(q string) []int64 {
	x.t.Helper()
	res := x.api(http.MethodGet, "/api/v1/library/items?q="+url.QueryEscape(q), "", nil)
	wantStatus(x.t, res, http.StatusOK)
	var out struct{ Items []libraryItemOut }
	decode(x.t, res, &out)
	var ids []int64
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestPublishedReportReachesTheLibrary: an admin publishes a completed
// action's report; in the same transaction it becomes a draft country
// experience crediting both institutions, with their countries, the
// offer's themes and the report's language; a librarian publishes it and
// readers find it in the library's search. Publishing again is a 409 and
// makes no second item; a language the library refuses is a 422 on
// language and leaves the action unpublished and no item behind.
func TestPublishedReportReachesTheLibrary(t *testing.T) {
	x := newExchangeEnv(t)
	word := unique("cuidadoslongos")
	report := "Se adaptó el modelo de " + word + " del IMSS en el INSS: evaluación de João Conceição y Ana Peña."
	ids := x.completedActions(report, "Informe de la visita de Portugal")
	actionPath := fmt.Sprintf("/api/v1/actions/%d", ids[0])

	res := x.api(http.MethodPost, actionPath+"/publish", x.admin, map[string]any{"language": "es"})
	wantStatus(t, res, http.StatusOK)
	var a struct {
		PublishedAt *string `json:"published_at"`
		LibraryRef  string  `json:"library_ref"`
	}
	decode(t, res, &a)
	if a.PublishedAt == nil || a.LibraryRef == "" {
		t.Fatalf("published %s", res.body)
	}
	res = x.api(http.MethodGet, "/api/v1/library/items/"+a.LibraryRef, x.admin, nil)
	wantStatus(t, res, http.StatusOK)
	var it libraryItemOut
	decode(t, res, &it)
	slices.Sort(it.Countries)
	if it.Type != "experience" || it.Status != "draft" || it.Title != "Cuidados para personas mayores" || it.Abstract != report ||
		it.Language != "es" || !slices.Equal(it.Countries, []string{"BR", "MX"}) || it.InstitutionID == nil || *it.InstitutionID != x.mx.ID ||
		!slices.Equal(it.Authors, []string{x.mx.Name, x.br.Name}) || len(it.ThemeLabels) != 1 || it.ThemeLabels[0].Slug != "elderly-care" {
		t.Errorf("library item %s", res.body)
	}
	// A draft is the librarians': readers do not find it yet.
	if found := x.librarySearch(word); len(found) != 0 {
		t.Errorf("a draft found by readers: %v", found)
	}
	wantStatus(t, x.api(http.MethodPost, "/api/v1/library/items/"+a.LibraryRef+"/publish", x.admin, nil), http.StatusOK)
	if found := x.librarySearch(word); len(found) != 1 || fmt.Sprint(found[0]) != a.LibraryRef {
		t.Errorf("search for %q after publishing: %v, want [%s]", word, found, a.LibraryRef)
	}

	// Twice: 409, still one item.
	wantStatus(t, x.api(http.MethodPost, actionPath+"/publish", x.admin, nil), http.StatusConflict)
	var items int
	if err := x.db.NewRaw("SELECT count(*) FROM library_items WHERE origin = ?", fmt.Sprintf("exchange-action:%d", ids[0])).
		Scan(context.Background(), &items); err != nil || items != 1 {
		t.Errorf("%d items from the action, %v", items, err)
	}

	// A language the library refuses rolls both sides back.
	second := fmt.Sprintf("/api/v1/actions/%d", ids[1])
	res = x.api(http.MethodPost, second+"/publish", x.admin, map[string]any{"language": "xx"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var refusal apiError
	decode(t, res, &refusal)
	if refusal.Error.Fields["language"] == "" {
		t.Errorf("bad language: %s", res.body)
	}
	if err := x.db.NewRaw("SELECT count(*) FROM library_items WHERE origin = ?", fmt.Sprintf("exchange-action:%d", ids[1])).
		Scan(context.Background(), &items); err != nil || items != 0 {
		t.Errorf("%d items left by the refusal, %v", items, err)
	}
	if res := x.api(http.MethodGet, second, x.admin, nil); !strings.Contains(res.body, `"published_at":null`) {
		t.Errorf("action published although the library refused: %s", res.body)
	}
	// Only admins publish.
	wantStatus(t, x.api(http.MethodPost, second+"/publish", x.mxTok, nil), http.StatusForbidden)

	// The action page's form, in Portuguese for Portugal's action.
	admin, _ := x.signedIn(accounts.RoleAdmin)
	page := admin.get(fmt.Sprintf("/actions/%d", ids[1]))
	if !strings.Contains(page.body, fmt.Sprintf(`action="/actions/%d/publish"`, ids[1])) {
		t.Fatalf("no publish form on a completed action\n%s", page.body)
	}
	wantStatus(t, admin.post(fmt.Sprintf("/actions/%d/publish", ids[1]), url.Values{"language": {"pt"}}), http.StatusSeeOther)
	page = admin.get(fmt.Sprintf("/actions/%d", ids[1]))
	if strings.Contains(page.body, `/publish"`) || !strings.Contains(page.body, `href="/library/manage/items/`) {
		t.Errorf("published action's page\n%s", page.body)
	}
}
