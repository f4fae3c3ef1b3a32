// Command splitpt brings Portuguese messages written for the single "pt"
// catalog into the two that replaced it, pt-BR and pt-PT. Run it from the
// repository root after merging a branch that still adds
// assets/i18n/pt/<area>.json:
//
//	go run ./scripts/splitpt
//	go test ./app/i18n/
//
// Every key of assets/i18n/pt/*.json goes into the file of the same name in
// both pt-BR/ and pt-PT/ (created when missing), and the pt/ folder is
// removed; a key that one Portuguese has and the other lacks (as when git
// followed the rename of pt/ to pt-BR/ with a merged file) is copied to the
// other. Keys already present are never overwritten. The copied texts are
// still in whichever Portuguese their author wrote: the test then names,
// by file and key, each word that belongs to the other variety
// (TestPortugueseCatalogsKeepToTheirOwnWords), and the start-up check each
// key still missing anywhere (TestCatalogsLoadWithSameKeys).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

const root = "assets/i18n"

var targets = []string{"pt-BR", "pt-PT"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "splitpt:", err)
		os.Exit(1)
	}
}

func run() error {
	legacy, _ := filepath.Glob(filepath.Join(root, "pt", "*.json"))
	for _, file := range legacy {
		for _, lang := range targets {
			if err := merge(file, filepath.Join(root, lang, filepath.Base(file))); err != nil {
				return err
			}
		}
	}
	if len(legacy) > 0 {
		if err := os.RemoveAll(filepath.Join(root, "pt")); err != nil {
			return err
		}
	}
	for i, lang := range targets {
		other := targets[1-i]
		files, _ := filepath.Glob(filepath.Join(root, lang, "*.json"))
		for _, file := range files {
			if err := merge(file, filepath.Join(root, other, filepath.Base(file))); err != nil {
				return err
			}
		}
	}
	return nil
}

// entry is one message with its value as written.
type entry struct {
	key string
	raw json.RawMessage
}

// merge adds to dst (created when missing) the keys of src it lacks,
// keeping dst's entries and order. A key defined in another file of dst's
// folder counts as present.
func merge(src, dst string) error {
	from, err := read(src)
	if err != nil {
		return err
	}
	present := map[string]bool{}
	siblings, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), "*.json"))
	for _, file := range siblings {
		entries, err := read(file)
		if err != nil {
			return err
		}
		for _, e := range entries {
			present[e.key] = true
		}
	}
	to, err := read(dst)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	added := 0
	for _, e := range from {
		if !present[e.key] {
			to = append(to, e)
			added++
		}
	}
	if added == 0 {
		return nil
	}
	fmt.Printf("%s: %d keys from %s\n", dst, added, src)
	return write(dst, to)
}

func read(file string) ([]entry, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%s: not a JSON object", file)
	}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out = append(out, entry{key: tok.(string), raw: raw})
	}
	return out, nil
}

// write lays the file out as the catalogs are: two spaces, one key a line.
func write(file string, entries []entry) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, e := range entries {
		key, _ := json.Marshal(e.key)
		var value bytes.Buffer
		if err := json.Indent(&value, e.raw, "  ", "  "); err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %s: %s", key, value.Bytes())
		if i < len(entries)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}
