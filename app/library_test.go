package app_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/wiring"
)

// libraryEnv is Aula with an admin and a librarian holding API tokens.
type libraryEnv struct {
	*env
	svc          *wiring.Services
	blobs        string
	adminToken   string
	libToken     string
	librarian    *accounts.User
	memberToken  string
	member       *accounts.User
	pensionsID   float64
	pensionsSlug string
}

func newLibraryEnv(t *testing.T) *libraryEnv {
	t.Helper()
	blobs := t.TempDir()
	e, svc := newInstallation(t, installation{blobs: blobs})
	return libraryOn(t, e, svc, blobs)
}

// libraryOn sets up the librarian, the member and their tokens on an
// installation whose files are in blobs.
func libraryOn(t *testing.T, e *env, svc *wiring.Services, blobs string) *libraryEnv {
	t.Helper()
	le := &libraryEnv{env: e, svc: svc, blobs: blobs}
	le.adminToken, _ = e.token(accounts.RoleAdmin)
	le.libToken, le.librarian = e.token(accounts.RoleInstructor)
	wantStatus(t, e.api(http.MethodPut, "/api/v1/library/librarians/"+itoa(le.librarian.ID), le.adminToken, nil), http.StatusOK)
	le.member = le.memberOfInstitution()
	res := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": le.member.Email, "password": testPassword})
	wantStatus(t, res, http.StatusCreated)
	var tok struct{ Token string }
	decode(t, res, &tok)
	le.memberToken = tok.Token
	var themes []struct {
		ID    float64
		Slug  string
		Label string
	}
	decode(t, e.api(http.MethodGet, "/api/v1/library/themes", "", nil), &themes)
	for _, th := range themes {
		if th.Slug == "pensions" {
			le.pensionsID, le.pensionsSlug = th.ID, th.Slug
		}
	}
	return le
}

// memberOfInstitution creates a learner of a new institution.
func (le *libraryEnv) memberOfInstitution() *accounts.User {
	le.t.Helper()
	return le.memberNamed("Ana Peña", "pt-BR")
}

// memberNamed creates a learner of a new Mozambican institution, with a
// name and language of their own.
func (le *libraryEnv) memberNamed(name, locale string) *accounts.User {
	le.t.Helper()
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Instituto Nacional de Segurança Social " + unique(""), Acronym: unique("INSS"), Country: "MZ"}
	if err := accounts.NewStore(le.db).InsertInstitution(ctx, inst); err != nil {
		le.t.Fatal(err)
	}
	u := &accounts.User{Email: unique("member") + "@example.org", Name: name + " " + unique(""), Role: accounts.RoleLearner,
		Locale: locale, InstitutionID: &inst.ID, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(le.db).InsertUser(ctx, u); err != nil {
		le.t.Fatal(err)
	}
	return u
}

// libraryItem is the API's item as tests read it.
type libraryItem struct {
	ID          int64    `json:"id"`
	Status      string   `json:"status"`
	Title       string   `json:"title"`
	Countries   []string `json:"countries"`
	PageURL     string   `json:"page_url"`
	Citation    string   `json:"citation"`
	ThemeLabels []struct {
		Slug, Label string
	} `json:"theme_labels"`
	Files []struct {
		ID       int64  `json:"id"`
		FileName string `json:"file_name"`
		URL      string `json:"url"`
	} `json:"files"`
}

// create catalogues an item through the API and publishes it.
func (le *libraryEnv) create(body map[string]any, publish bool) libraryItem {
	le.t.Helper()
	res := le.api(http.MethodPost, "/api/v1/library/items", le.libToken, body)
	wantStatus(le.t, res, http.StatusCreated)
	var it libraryItem
	decode(le.t, res, &it)
	if publish {
		wantStatus(le.t, le.api(http.MethodPost, "/api/v1/library/items/"+itoa(it.ID)+"/publish", le.libToken, nil), http.StatusOK)
	}
	return it
}

func (le *libraryEnv) uploadFile(token string, itemID int64, name string, content []byte) response {
	le.t.Helper()
	body, ctype := multipartBody(le.t, nil, name, content)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/library/items/"+itoa(itemID)+"/files", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := le.app.Test(req, -1)
	if err != nil {
		le.t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	res.Body.Close()
	return response{Response: res, body: buf.String()}
}

func TestLibraryAPIContract(t *testing.T) {
	le := newLibraryEnv(t)
	tag := unique("q")
	it := le.create(map[string]any{"type": "experience", "title": "Extensão da proteção social em Moçambique " + tag,
		"abstract": "Pensões não contributivas.", "language": "pt", "countries": []string{"MZ"},
		"themes": []float64{le.pensionsID}, "year": 2024, "authors": []string{"João Conceição"}}, false)
	if it.Status != "draft" || it.ID == 0 {
		t.Fatalf("created item %+v, want a draft", it)
	}
	if res := le.api(http.MethodGet, "/api/v1/library/items/"+itoa(it.ID), "", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a draft shown to anyone: %d", res.StatusCode)
	}
	// A member may not catalogue; a made-up field value is a 422 on its field.
	wantStatus(t, le.api(http.MethodPost, "/api/v1/library/items", le.memberToken, map[string]any{"type": "report"}), http.StatusForbidden)
	res := le.api(http.MethodPost, "/api/v1/library/items", le.libToken, map[string]any{"type": "report", "title": "X",
		"language": "pt", "countries": []string{"XX1"}, "year": 2020})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var apiErr apiError
	decode(t, res, &apiErr)
	if apiErr.Error.Fields["countries"] == "" {
		t.Fatalf("no message on countries: %s", res.body)
	}

	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	first := le.uploadFile(le.libToken, it.ID, "Relatório anual.pdf", pdf)
	wantStatus(t, first, http.StatusCreated)
	second := le.uploadFile(le.libToken, it.ID, "Relatório anual.pdf", pdf)
	wantStatus(t, second, http.StatusCreated)
	var f1, f2 struct{ ID int64 }
	decode(t, first, &f1)
	decode(t, second, &f2)
	if f1.ID != f2.ID {
		t.Errorf("the same file twice made two files: %d, %d", f1.ID, f2.ID)
	}
	if n := storedBlobs(t, le.blobs); n != 1 {
		t.Errorf("%d blobs stored, want 1", n)
	}
	if res := le.uploadFile(le.libToken, it.ID, "page.pdf", []byte("<html><script>alert(1)</script></html>")); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an HTML page called .pdf: %d, want 422", res.StatusCode)
	}
	if res := le.uploadFile(le.memberToken, it.ID, "x.pdf", pdf); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member uploads: %d, want 403", res.StatusCode)
	}

	wantStatus(t, le.api(http.MethodPost, "/api/v1/library/items/"+itoa(it.ID)+"/publish", le.libToken, nil), http.StatusOK)
	res = le.api(http.MethodGet, "/api/v1/library/items/"+itoa(it.ID), "", nil, "Accept-Language", "pt-PT")
	wantStatus(t, res, http.StatusOK)
	var shown libraryItem
	decode(t, res, &shown)
	if len(shown.Files) != 1 || shown.Files[0].FileName != "Relatório anual.pdf" || shown.Status != "published" {
		t.Fatalf("published item: %s", res.body)
	}
	if len(shown.ThemeLabels) != 1 || shown.ThemeLabels[0].Label != "Pensões" {
		t.Errorf("theme labels in pt-PT: %+v", shown.ThemeLabels)
	}
	if !strings.Contains(shown.Citation, "João Conceição (2024). Extensão da proteção social") || !strings.HasSuffix(shown.Citation, shown.PageURL) {
		t.Errorf("citation %q", shown.Citation)
	}

	res = le.api(http.MethodGet, "/api/v1/library/items?q=protecoes+"+tag+"&country=MZ", "", nil, "Accept-Language", "pt-BR")
	wantStatus(t, res, http.StatusOK)
	var found struct {
		Items  []libraryItem
		Total  int
		Facets map[string][]struct {
			Value, Label string
			Count        int
		}
	}
	decode(t, res, &found)
	if found.Total != 1 || len(found.Items) != 1 || found.Items[0].ID != it.ID {
		t.Fatalf("search: %s", res.body)
	}
	for facet, want := range map[string]string{"country": "Moçambique", "theme": "Aposentadorias e pensões", "language": "Português",
		"type": "Experiência de país", "year": "2024"} {
		v := found.Facets[facet]
		if len(v) != 1 || v[0].Label != want || v[0].Count != 1 {
			t.Errorf("facet %s: %+v, want %q ×1", facet, v, want)
		}
	}
	res = le.api(http.MethodGet, "/api/v1/library/items?sort=popular", "", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

// storedBlobs counts the contents in a DirStore.
func storedBlobs(t *testing.T, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if !d.IsDir() && !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLibraryPageFacetsKeepTheSearch(t *testing.T) {
	le := newLibraryEnv(t)
	tag := unique("q")
	for _, c := range []struct{ title, lang, country string }{
		{"Segurança social em Cabo Verde", "pt", "CV"}, {"Seguridad social en el Perú", "es", "PE"}} {
		le.create(map[string]any{"type": "report", "title": c.title + " " + tag, "language": c.lang,
			"countries": []string{c.country}, "year": 2023}, true)
	}
	b := le.browser()
	b.lang = "pt-PT"
	res := b.get("/library?q=" + tag)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "2 documentos") {
		t.Errorf("no count of results in pt-PT")
	}
	// Portuguese first for a Portuguese reader, whatever the order.
	if strings.Index(res.body, "Segurança social em Cabo Verde") > strings.Index(res.body, "Seguridad social en el Perú") {
		t.Errorf("the Portuguese item is not first")
	}
	link := "/library?country=CV&amp;q=" + tag
	if !strings.Contains(res.body, `href="`+link+`"`) || !strings.Contains(res.body, ">Cabo Verde</a>") {
		t.Fatalf("no Cabo Verde facet link keeping the search:\n%s", res.body)
	}
	res = b.get(strings.ReplaceAll(link, "&amp;", "&"))
	if !strings.Contains(res.body, "1 documento") || strings.Contains(res.body, "Perú "+tag) {
		t.Errorf("the country facet does not narrow the results")
	}
	if !strings.Contains(res.body, `href="/library?q=`+tag+`"`) {
		t.Errorf("no link to take the filter off")
	}
}

func TestLibraryItemPageCarriesMetadata(t *testing.T) {
	le := newLibraryEnv(t)
	it := le.create(map[string]any{"type": "legislation", "title": "Lei da Proteção Social", "abstract": "Texto da lei.",
		"language": "pt", "countries": []string{"AO"}, "date": "2004-08-12", "authors": []string{"Assembleia Nacional"},
		"licence": "CC BY 4.0"}, true)
	res := le.browser().get("/library/items/" + itoa(it.ID))
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{
		`<meta name="DC.title" content="Lei da Proteção Social">`,
		`<meta name="DC.creator" content="Assembleia Nacional">`,
		`<meta name="DC.date" content="2004-08-12">`,
		`<meta name="DC.language" content="pt">`,
		`<meta name="citation_title" content="Lei da Proteção Social">`,
		`<link rel="canonical" href="http://aula.test/library/items/` + itoa(it.ID) + `">`,
		`"@type":"Legislation"`,
		`Assembleia Nacional (2004). Lei da Proteção Social. http://aula.test/library/items/` + itoa(it.ID),
		`href="/library/countries/AO"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("item page lacks %s", want)
		}
	}
}

func TestLibrarianPagesCatalogueAndPublish(t *testing.T) {
	le := newLibraryEnv(t)
	admin, _ := le.signedIn(accounts.RoleAdmin)
	res := admin.get("/library/manage/new")
	wantStatus(t, res, http.StatusOK)
	res = admin.post("/library/manage/items", url.Values{"type": {"report"}, "title": {""}, "language": {"pt"}, "year": {"2020"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Give a title of at most 300 characters.") {
		t.Fatalf("no message next to the title")
	}
	res = admin.post("/library/manage/items", url.Values{"type": {"report"}, "title": {"Relatório de Peña"}, "language": {"pt"},
		"year": {"2020"}, "countries": {"mz, BR"}, "authors": {"Ana Peña\nJoão Conceição"}})
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	res = admin.get(path)
	if !strings.Contains(res.body, `value="MZ, BR"`) || !strings.Contains(res.body, "Ana Peña\nJoão Conceição") {
		t.Fatalf("the form does not show what was saved")
	}
	wantStatus(t, admin.post(path+"/publish", nil), http.StatusSeeOther)
	member, _ := le.signedIn(accounts.RoleLearner)
	if res := member.get("/library/manage/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member opens the librarian's form: %d", res.StatusCode)
	}
}

func TestAdminNamesLibrarians(t *testing.T) {
	le := newLibraryEnv(t)
	admin, _ := le.signedIn(accounts.RoleAdmin)
	u := le.user(accounts.RoleLearner)
	admin.get("/admin/librarians")
	wantStatus(t, admin.post("/admin/librarians", url.Values{"email": {u.Email}}), http.StatusSeeOther)
	if res := admin.get("/admin/librarians"); !strings.Contains(res.body, u.Email) {
		t.Fatal("the new librarian is not listed")
	}
	res := admin.post("/admin/librarians", url.Values{"email": {"nobody@example.org"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "No user has this address.") {
		t.Error("no message for an unknown address")
	}
	c := le.browser()
	c.signIn(u.Email, testPassword)
	wantStatus(t, c.get("/library/manage/new"), http.StatusOK)
}

func TestSubmissionAPIContract(t *testing.T) {
	le := newLibraryEnv(t)
	tag := unique("q")
	body := map[string]any{"type": "experience", "title": "Programa de cantinas " + tag, "abstract": "Refeições escolares.",
		"language": "pt", "countries": []string{"ST"}, "year": 2022}
	res := le.api(http.MethodPost, "/api/v1/library/submissions", le.memberToken, body)
	wantStatus(t, res, http.StatusCreated)
	var sub struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		ItemID *int64 `json:"item_id"`
	}
	decode(t, res, &sub)
	if sub.ID == 0 || sub.Status != "pending" {
		t.Fatalf("submission %s", res.body)
	}
	path := "/api/v1/library/submissions/" + itoa(sub.ID)
	wantStatus(t, le.api(http.MethodPost, path+"/accept", le.memberToken, nil), http.StatusForbidden)
	res = le.api(http.MethodPost, path+"/accept", le.libToken, map[string]string{"note": "Obrigado."})
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &sub)
	if sub.Status != "accepted" || sub.ItemID == nil {
		t.Fatalf("accepted %s", res.body)
	}
	wantStatus(t, le.api(http.MethodPost, path+"/decline", le.libToken, nil), http.StatusConflict)
	res = le.api(http.MethodGet, "/api/v1/library/items/"+itoa(*sub.ItemID), "", nil)
	wantStatus(t, res, http.StatusOK)
	var list struct{ Total int }
	decode(t, le.api(http.MethodGet, "/api/v1/library/submissions", le.memberToken, nil), &list)
	if list.Total != 1 {
		t.Fatalf("the member sees %d submissions", list.Total)
	}
}

func TestSubmissionPagesReviewFlow(t *testing.T) {
	le := newLibraryEnv(t)
	member := le.browser()
	member.lang = "pt-BR"
	member.signIn(le.member.Email, testPassword)
	wantStatus(t, member.get("/library/submit"), http.StatusOK)
	res := member.post("/library/submissions", url.Values{"type": {"experience"}, "title": {"Bolsa Família"}, "language": {"pt"},
		"countries": {"BR"}, "year": {"2003"}})
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	lib := le.browser()
	lib.signIn(le.librarian.Email, testPassword)
	res = lib.get(path)
	if !strings.Contains(res.body, "Ask for changes") {
		t.Fatal("the librarian has no review buttons")
	}
	wantStatus(t, lib.post(path+"/changes", url.Values{"note": {"Faltam os resultados."}}), http.StatusSeeOther)
	res = member.get(path)
	if !strings.Contains(res.body, "Alterações pedidas") || !strings.Contains(res.body, "Faltam os resultados.") {
		t.Fatalf("the member does not see the request:\n%s", res.body)
	}
}

func TestCountryPage(t *testing.T) {
	le := newLibraryEnv(t)
	it := le.create(map[string]any{"type": "experience", "title": "Cantinas escolares em São Tomé", "language": "pt",
		"countries": []string{"ST"}, "year": 2021}, true)
	b := le.browser()
	b.lang = "pt-PT"
	res := b.get("/library/countries/st")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "São Tomé e Príncipe na biblioteca") || !strings.Contains(res.body, `href="/library/items/`+itoa(it.ID)+`"`) {
		t.Fatalf("country page:\n%s", res.body)
	}
	if res := b.get("/library/countries/ZZ"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown country: %d", res.StatusCode)
	}
	res = le.api(http.MethodGet, "/api/v1/library/countries/ST", "", nil, "Accept-Language", "es")
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Name  string
		Total int
	}
	decode(t, res, &out)
	if out.Name != "Santo Tomé y Príncipe" || out.Total < 1 {
		t.Errorf("country API: %s", res.body)
	}
}
