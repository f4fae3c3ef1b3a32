package app

import (
	"html/template"
	"strings"
	"sync"
	"testing"
)

// TestKeptHTMLStaysBounded: however many modules are read, and from how
// many requests at once, what the module page keeps stays under its bound
// (the process's memory), an entry too large is not kept, and what is
// kept is what was put with its version.
func TestKeptHTMLStaysBounded(t *testing.T) {
	const max = 64 << 10
	k := newKeptHTML[int64](max)
	body := template.HTML(strings.Repeat("x", 3000))
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				id := int64(w*500 + i)
				k.put(id, "v1", body)
				if v, ok := k.get(id); ok && (v.version != "v1" || v.parts[0] != body) {
					t.Errorf("module %d: kept %q", id, v.version)
				}
			}
		}()
	}
	wg.Wait()
	if k.size > max || k.size != len(k.items)*len(body) {
		t.Errorf("kept %d bytes in %d entries, bound %d", k.size, len(k.items), max)
	}
	k.put(1, "v2", template.HTML(strings.Repeat("y", max/8+1)))
	if v, ok := k.get(1); ok && v.version == "v2" {
		t.Error("an entry larger than an eighth of the bound is kept")
	}
	k.put(2, "v3", "<p>a</p>", "<nav></nav>")
	if v, _ := k.get(2); v.version != "v3" || len(v.parts) != 2 || v.parts[1] != "<nav></nav>" {
		t.Errorf("kept %+v", v)
	}
}
