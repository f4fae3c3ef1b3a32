package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// TestUserSearchPastTheCountCap: a search that matches more than 1,000
// people says "more than 1000" on the page (its next link still there)
// and total 1000 with more in the API; one that matches fewer counts them
// exactly, without more.
func TestUserSearchPastTheCountCap(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	token, _ := e.token(accounts.RoleAdmin)
	word := fmt.Sprintf("Quintanilha%d", time.Now().UnixNano())
	_, err := e.db.NewRaw(`INSERT INTO users (email, name, role, locale)
		SELECT 'cap' || n || '.' || ? || '@example.org', 'Inês ' || ? || ' ' || n, 'learner', 'en'
		FROM generate_series(1, ?) AS n`, word, word, accounts.CountCap+5).Exec(e.t.Context())
	if err != nil {
		t.Fatal(err)
	}
	res := admin.get("/admin/users?q=" + word)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "1–20 of more than 1000", `rel="next"`)
	mustContain(t, e.api(http.MethodGet, "/api/v1/users?q="+word, token, nil), `"total":1000`, `"more":true`)

	// "<word> 1000" matches one of them: counted exactly.
	mustNotContain(t, admin.get("/admin/users?q="+word+"%201000"), "more than")
	api := e.api(http.MethodGet, "/api/v1/users?q="+word+"%201000", token, nil)
	mustContain(t, api, `"total":1`)
	mustNotContain(t, api, `"more"`)
}
