package courses_test

import (
	"strings"
	"testing"

	"github.com/aula-platform/aula/courses"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Introducción a la Seguridad Social", "introduccion-a-la-seguridad-social"},
		{"Extensão da proteção social", "extensao-da-protecao-social"},
		{"¿Qué es la protección social?", "que-es-la-proteccion-social"},
		{"Peña & João Conceição: guía 2024", "pena-joao-conceicao-guia-2024"},
		{"  --Gestión   de   riesgos--  ", "gestion-de-riesgos"},
		{"Straße, Øresund, Æsir, Œuvre, Łódź", "strasse-oresund-aesir-oeuvre-lodz"},
		{"ＦＵＬＬ width ﬁnanzas²", "full-width-finanzas2"},
		{"C++ / Go_lang", "c-go-lang"},
		{"Ünïcödé ÀÉÎÕÜ ñÑ çÇ", "unicode-aeiou-nn-cc"},
		{"2024", "course-2024"},
		{"", "course"},
		{"¿?¡! —", "course"},
		{"社会保障", "course"},
	}
	for _, tc := range tests {
		got := courses.Slugify(tc.title)
		if got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.title, got, tc.want)
		}
		if !courses.ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, which ValidSlug refuses", tc.title, got)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	f.Add("Introducción a la Seguridad Social")
	f.Add("2024")
	f.Add("¿?")
	f.Fuzz(func(t *testing.T, title string) {
		s := courses.Slugify(title)
		if !courses.ValidSlug(s) {
			t.Fatalf("Slugify(%q) = %q, which ValidSlug refuses", title, s)
		}
		if again := courses.Slugify(s); again != s {
			t.Fatalf("Slugify is not stable: %q → %q → %q", title, s, again)
		}
		for _, n := range []int{2, 99, 123456} {
			if c := courses.SlugCandidate(s, n); !courses.ValidSlug(c) {
				t.Fatalf("SlugCandidate(%q, %d) = %q, which ValidSlug refuses", s, n, c)
			}
		}
	})
}

func TestSlugifyCutsLongTitlesAtAWord(t *testing.T) {
	title := "Curso avanzado de administración financiera y actuarial de los regímenes de pensiones contributivos y no contributivos en América Latina"
	got := courses.Slugify(title)
	want := "curso-avanzado-de-administracion-financiera-y-actuarial-de-los-regimenes-de"
	if got != want {
		t.Errorf("Slugify(long) = %q, want %q", got, want)
	}
	if len(got) > courses.MaxSlugLen {
		t.Errorf("len = %d, more than %d", len(got), courses.MaxSlugLen)
	}

	// One word longer than the limit cannot be cut at a dash.
	got = courses.Slugify(strings.Repeat("a", 200))
	if got != strings.Repeat("a", courses.MaxSlugLen) {
		t.Errorf("Slugify(200 a) = %q", got)
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		slug string
		want bool
	}{
		{"introduccion-a-la-seguridad-social", true},
		{"curso-2", true},
		{"a", true},
		{"2024-pensiones", true},
		{strings.Repeat("a", courses.MaxSlugLen), true},
		{strings.Repeat("a", courses.MaxSlugLen+1), false},
		{"", false},
		{"2024", false}, // would read as an ID
		{"Curso", false},
		{"curso--doble", false},
		{"-curso", false},
		{"curso-", false},
		{"curso_uno", false},
		{"curso uno", false},
		{"introducción", false},
		{"../etc", false},
		{"curso\n", false},
	}
	for _, tc := range tests {
		if got := courses.ValidSlug(tc.slug); got != tc.want {
			t.Errorf("ValidSlug(%q) = %v, want %v", tc.slug, got, tc.want)
		}
	}
}

func TestSlugCandidate(t *testing.T) {
	long := courses.Slugify("Curso avanzado de administración financiera y actuarial de los regímenes de pensiones")
	tests := []struct {
		base string
		n    int
		want string
	}{
		{"pensiones", 0, "pensiones"},
		{"pensiones", 1, "pensiones"},
		{"pensiones", 2, "pensiones-2"},
		{"pensiones", 13, "pensiones-13"},
		{long, 2, "curso-avanzado-de-administracion-financiera-y-actuarial-de-los-regimenes-de-2"},
		{long, 100, "curso-avanzado-de-administracion-financiera-y-actuarial-de-los-regimenes-de-100"},
		{long, 100000, "curso-avanzado-de-administracion-financiera-y-actuarial-de-los-regimenes-100000"},
		{strings.Repeat("a", 80), 2, strings.Repeat("a", 78) + "-2"},
	}
	for _, tc := range tests {
		got := courses.SlugCandidate(tc.base, tc.n)
		if got != tc.want {
			t.Errorf("SlugCandidate(%q, %d) = %q, want %q", tc.base, tc.n, got, tc.want)
		}
		if !courses.ValidSlug(got) {
			t.Errorf("SlugCandidate(%q, %d) = %q, which ValidSlug refuses", tc.base, tc.n, got)
		}
	}

	// Every candidate up to a large n stays valid and distinct.
	seen := map[string]bool{}
	for n := 1; n <= 1000; n++ {
		c := courses.SlugCandidate(long, n)
		if seen[c] || !courses.ValidSlug(c) {
			t.Fatalf("candidate %d = %q repeats or is invalid", n, c)
		}
		seen[c] = true
	}
}
