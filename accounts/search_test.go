package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestUserSearchIgnoresAccentsAndUsesAnIndex: the admins' user search
// finds "João Conceição" from "conceicao" or "JOAO", as the catalogue
// does, and among a few thousand users PostgreSQL answers it from an index.
func TestUserSearchIgnoresAccentsAndUsesAnIndex(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts_search")
	log := &testdb.QueryLog{}
	db.AddQueryHook(log)
	svc := accounts.NewService(db, nil)

	first := []string{"Ana", "José", "María", "Inês", "Raúl", "Sofía", "Tomás", "Lucía", "André", "Zoë"}
	last := []string{"Peña", "Muñoz", "Gómez", "Araújo", "Brandão", "Simões", "Ibáñez", "Løvås", "Müller", "Dupré"}
	users := make([]accounts.User, 0, 4000)
	for i := range 4000 {
		users = append(users, accounts.User{
			Email: fmt.Sprintf("person%d.%s@inst%d.example", i, strings.ToLower(last[i%len(last)][:2]), i%40),
			Name:  fmt.Sprintf("%s %s %d", first[i%len(first)], last[(i/len(first))%len(last)], i),
			Role:  accounts.RoleLearner, Locale: "es",
		})
	}
	if _, err := db.NewInsert().Model(&users).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	joao, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: "jdc@inss.example", Name: "João da Conceição", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	pena, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: "M.P@ISS.example", Name: "María Peñalva", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	// What autovacuum does after a bulk insert: statistics, and the trigram
	// index's own, without which the planner guesses its cost.
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE users"); err != nil {
		t.Fatal(err)
	}

	for query, want := range map[string]int64{
		"conceicao": joao.ID, "CONCEIÇÃO": joao.ID, "joão da": joao.ID, "jdc@INSS": joao.ID,
		"penalva": pena.ID, "PEÑALVA": pena.ID, "m.p@iss": pena.ID,
		// Parts of words, and across words: the index is asked with some
		// of the query's trigrams, the query itself checked after.
		"ñalva": pena.ID, "a peñal": pena.ID, "o da c": joao.ID,
	} {
		list, total, err := svc.Users(ctx, accounts.UserFilter{Query: query, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(list) != 1 || list[0].ID != want {
			t.Errorf("search %q: %d users (%v), want only user %d", query, total, list, want)
		}
	}
	// Wildcards typed by the admin are text, not patterns.
	if _, total, err := svc.Users(ctx, accounts.UserFilter{Query: "%_%", Limit: 20}); err != nil || total != 0 {
		t.Errorf("search %%_%%: %d users (%v), want none", total, err)
	}

	if _, _, err := svc.Users(ctx, accounts.UserFilter{Query: "conceicao", Limit: 20}); err != nil {
		t.Fatal(err)
	}
	query := log.Last("accounts_fold")
	if query == "" {
		t.Fatal("the search query was not seen")
	}
	var plan []string
	if err := db.NewRaw("EXPLAIN "+query).Scan(ctx, &plan); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "users_search_text_idx") {
		t.Errorf("the search does not use users_search_text_idx:\n%s", text)
	}

	// The index is asked with at most three of the query's trigrams,
	// spread over its words and in its order (migration 20261205200000):
	// GIN reads every trigram's whole posting list, and more kept no
	// fewer candidates.
	for folded, want := range map[string]string{
		"magalhaes nunez": "%mag%alh%nun%", "joao da conceicao": "%joa%con%cei%", "conceicao": "%con%cei%cao%",
		"previdencia social 42": "%pre%vid%soc%", "o da c": "%", "": "%", "m.p@iss": "%iss%",
	} {
		var got string
		if err := db.NewRaw("SELECT accounts_search_pattern(?)", folded).Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("pattern of %q: %q, want %q", folded, got, want)
		}
	}
}
