package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// TestAPITokensExpireAndAreListed: tokens live for the default, asked or
// maximum lifetime and stop working after it; their owner lists and revokes
// them through the API and on a page, and nobody else's.
func TestAPITokensExpireAndAreListed(t *testing.T) {
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	e, _ := newInstallation(t, installation{clock: clock.Now})
	u := e.user(accounts.RoleLearner)
	type created struct {
		Token     string
		ID        int64
		ExpiresAt time.Time `json:"expires_at"`
	}
	issue := func(body map[string]any) created {
		t.Helper()
		body["email"], body["password"] = u.Email, testPassword
		res := e.api(http.MethodPost, "/api/v1/tokens", "", body)
		wantStatus(t, res, http.StatusCreated)
		var out created
		decode(t, res, &out)
		return out
	}
	day := 24 * time.Hour
	def := issue(map[string]any{"name": "Moodle"})
	week := issue(map[string]any{"name": "Informe semanal", "expires_in_days": 7})
	long := issue(map[string]any{"expires_in_days": 1000})
	for what, tc := range map[string]struct {
		got  created
		want time.Duration
	}{"default": {def, 90 * day}, "asked for 7 days": {week, 7 * day}, "asked for more than the maximum": {long, 365 * day}} {
		if got := tc.got.ExpiresAt.Sub(clock.Now()); got != tc.want {
			t.Errorf("%s: expires in %v, want %v", what, got, tc.want)
		}
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/tokens", "", map[string]any{"email": u.Email, "password": testPassword, "expires_in_days": -1}), http.StatusUnprocessableEntity)

	res := e.api(http.MethodGet, "/api/v1/tokens", def.Token, nil)
	wantStatus(t, res, http.StatusOK)
	var listed struct {
		Items []struct {
			ID      int64
			Name    string
			Current bool
		}
		Total int
	}
	decode(t, res, &listed)
	if listed.Total != 3 || listed.Items[0].ID != long.ID || !strings.Contains(res.body, `"name":"Informe semanal"`) || strings.Contains(res.body, "token_hash") {
		t.Errorf("list %s", res.body)
	}
	for _, item := range listed.Items {
		if item.Current != (item.ID == def.ID) {
			t.Errorf("token %d marked current=%v", item.ID, item.Current)
		}
	}

	// Nobody revokes another's token; its owner does.
	otherToken, _ := e.token(accounts.RoleAdmin)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/tokens/"+itoa(long.ID), otherToken, nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", long.Token, nil), http.StatusOK)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/tokens/"+itoa(long.ID), def.Token, nil), http.StatusNoContent)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", long.Token, nil), http.StatusUnauthorized)

	// The page lists them too, and revokes.
	browser := e.browser()
	wantStatus(t, browser.signIn(u.Email, testPassword), http.StatusSeeOther)
	page := browser.get("/account/tokens")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Informe semanal") || !strings.Contains(page.body, "Moodle") || !strings.Contains(page.body, "works for 90 days") {
		t.Errorf("tokens page:\n%s", page.body)
	}
	res = browser.post("/account/tokens/"+itoa(def.ID)+"/revoke", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.Contains(browser.get(res.Header.Get("Location")).body, "The token has been revoked.") {
		t.Error("no confirmation after revoking")
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", def.Token, nil), http.StatusUnauthorized)
	wantStatus(t, browser.post("/account/tokens/"+itoa(def.ID)+"/revoke", url.Values{}), http.StatusNotFound)

	// A week later the 7-day token has expired.
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", week.Token, nil), http.StatusOK)
	clock.Advance(7*day + time.Second)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", week.Token, nil), http.StatusUnauthorized)
}
