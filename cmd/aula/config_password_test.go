package main

import (
	"strings"
	"testing"
)

// TestWeakAdminPasswordStopsTheStart: AULA_ADMIN_PASSWORD gets the rules of
// every password, and `aula serve` refuses to start with a weak one.
func TestWeakAdminPasswordStopsTheStart(t *testing.T) {
	t.Setenv("AULA_ADMIN_EMAIL", "ana.pena@inss.example")
	for _, weak := range []string{"short", "password12", "1234567890", "aaaaaaaaaa", "ana.pena@inss.example", "AnaPena2024"} {
		t.Setenv("AULA_ADMIN_PASSWORD", weak)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "AULA_ADMIN_PASSWORD") {
			t.Errorf("AULA_ADMIN_PASSWORD=%q: %v, want a refusal naming the variable", weak, err)
		}
	}
	t.Setenv("AULA_ADMIN_PASSWORD", "lento pero seguro, siempre")
	if _, err := loadConfig(); err != nil {
		t.Errorf("a good password refused: %v", err)
	}
}
