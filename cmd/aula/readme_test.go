package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeUserCreateExample runs the README's `aula user create` line,
// with its optional institution, on an installation with the demo
// content: an operator copying it must not meet "no institution".
func TestReadmeUserCreateExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var example string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "bin/aula user create ") {
			example, _, _ = strings.Cut(line, "#")
		}
	}
	if example == "" {
		t.Fatal("the README shows no `bin/aula user create` line")
	}
	var args []string
	skip := false
	for _, w := range shellWords(strings.TrimPrefix(example, "bin/aula ")) {
		switch {
		case w == "[-password": // generated when left out
			skip = true
		case skip:
			skip = false
		default:
			args = append(args, strings.Trim(w, "[]"))
		}
	}
	env := testEnv(t, newDatabaseURL(t), t.TempDir())
	if out, err := runAula(t, env, "seed", "demo"); err != nil {
		t.Fatalf("seed demo: %v\n%s", err, out)
	}
	out, err := runAula(t, env, args...)
	if err != nil {
		t.Fatalf("aula %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if !strings.Contains(out, "created admin") || !strings.Contains(out, "password: ") {
		t.Errorf("aula %s printed:\n%s", strings.Join(args, " "), out)
	}
}
