package assessment

import "testing"

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Proteção", "protecao"},
		{"PROTEÇÃO SOCIAL", "protecao social"},
		{"Peña", "pena"},
		{"João Conceição", "joao conceicao"},
		{"Señalización", "senalizacion"},
		{"Ação Pública", "acao publica"},
		{"pingüino", "pinguino"},
		// Already decomposed input (as some keyboards and macOS produce).
		{"Prote\u0063\u0327\u0061\u0303o", "protecao"},
		{"  seguridad   social  ", "seguridad social"},
		{"\tseguridad\n\u00a0social ", "seguridad social"}, // tab, newline, no-break space
		{"", ""},
		{"   ", ""},
		{"\u0301\u0303", ""}, // combining marks alone
		{"1.5", "1.5"},       // punctuation is part of the answer
		{"15", "15"},
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeTextKeepsDifferentWordsApart(t *testing.T) {
	pairs := [][2]string{
		{"pena", "pana"},
		{"1.5", "15"},
		{"seguridad social", "seguridadsocial"},
	}
	for _, p := range pairs {
		if normalizeText(p[0]) == normalizeText(p[1]) {
			t.Errorf("normalizeText makes %q and %q equal", p[0], p[1])
		}
	}
}
