package courses

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// RenderMarkdown turns a module's Markdown into HTML that is safe to insert
// into a page as is.
//
// It speaks CommonMark plus GitHub's tables, strikethrough and bare-URL
// autolinks, and footnotes; headings get IDs made like slugs ("¿Qué es?" →
// id="que-es") so a module can link to its own sections.
//
// Raw HTML in the Markdown is dropped, not passed through: instructors write
// Markdown, and an allow-list of tags typed by hand would only be a second,
// larger surface to get wrong. The HTML goldmark produces is then sanitised
// anyway against an allow-list of exactly what it emits, so a bug or a new
// feature in the Markdown layer cannot open a hole on its own. Links may be
// http, https, mailto or relative; links to other sites open in a new tab
// with rel="nofollow noopener". Images must be https or relative (a course's
// own files).
//
// Typographic quotes are left off on purpose: Spanish and Portuguese use
// «» where goldmark's typographer would put English “”.
func RenderMarkdown(src string) (string, error) {
	r := sharedMarkdown()
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("courses: render markdown: %w", err)
	}
	return r.policy.Sanitize(buf.String()), nil
}

// markdownRenderer holds the converter and the sanitiser policy. Both are
// costly to build and safe for concurrent use once built, so the package
// builds them once, on first use.
type markdownRenderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

var sharedMarkdown = sync.OnceValue(func() *markdownRenderer {
	return &markdownRenderer{md: newMarkdown(), policy: markdownPolicy()}
})

// newMarkdown configures goldmark. Its HTML renderer is left in its default
// safe mode: raw HTML blocks and inline tags become an "omitted" comment,
// which the sanitiser then removes.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			// align="…" rather than style="text-align:…": the policy
			// allows no style attribute anywhere.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:", "mailto:"})),
			extension.Footnote,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(headingIDs{}, 100)),
		),
	)
}

// headingIDs gives every heading an id made from its text the way slugs are
// made, unique within the document ("resumen", "resumen-2"). goldmark's own
// auto IDs drop accented letters ("protección" → "proteccin") and include
// link targets, which reads badly in a URL fragment.
type headingIDs struct{}

// Transform implements parser.ASTTransformer.
func (headingIDs) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	used := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		base := slugify(headingText(h, source), MaxSlugLen)
		if base == "" {
			base = "section"
		}
		id := base
		for i := 2; used[id]; i++ {
			id = SlugCandidate(base, i)
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
		return ast.WalkSkipChildren, nil
	})
}

// headingText is the text a reader sees in a heading: words of links and
// emphasis without their Markdown or URLs.
func headingText(h *ast.Heading, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(h, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Value(source))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(source))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// Attribute values the policy lets through. Each matches only what goldmark
// writes, so nothing a user types can add another value.
var (
	codeLangPattern    = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)
	cellAlignPattern   = regexp.MustCompile(`^(?:left|center|right)$`)
	integerPattern     = regexp.MustCompile(`^[0-9]{1,9}$`)
	footnoteRefPattern = regexp.MustCompile(`^fnref[0-9]*:[0-9]+$`)
	footnotePattern    = regexp.MustCompile(`^fn:[0-9]+$`)
	// imageSrcPattern admits https and scheme-less (relative) URLs only: a
	// scheme is whatever comes before the first ':' that precedes any of
	// "/?#". The URL check that follows still parses the URL.
	imageSrcPattern = regexp.MustCompile(`(?i)^(?:https://|[^:/?#]*(?:[/?#]|$))`)
	// titlePattern refuses nothing a title holds but control characters.
	titlePattern = regexp.MustCompile(`^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$`)
)

// markdownPolicy allows exactly the elements and attributes goldmark emits
// for the extensions newMarkdown enables: no class or style of the user's
// choosing, no forms, no media other than images, no event handlers.
func markdownPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	// URLs: parsed, never just pattern-matched, so case and entity tricks
	// ("jAvAsCrIpT:", "java&#x09;script:") meet url.Parse's idea of the
	// scheme, which is what the browser will use.
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	// Links to other sites get rel="nofollow noopener" and a new tab, so a
	// learner keeps their place in the module; links within Aula get
	// neither.
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // also adds rel="noopener"

	p.AllowElements(
		"p", "br", "hr", "blockquote", "pre",
		"em", "strong", "del", "code",
		"ul", "li",
		"table", "thead", "tbody", "tr",
	)
	p.AllowAttrs("id").Matching(slugPattern).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("start").Matching(integerPattern).OnElements("ol")
	p.AllowElements("ol")
	p.AllowAttrs("class").Matching(codeLangPattern).OnElements("code")
	p.AllowAttrs("align").Matching(cellAlignPattern).OnElements("th", "td")
	p.AllowElements("th", "td")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").Matching(titlePattern).OnElements("a", "img")
	p.AllowAttrs("src").Matching(imageSrcPattern).OnElements("img")
	p.AllowAttrs("alt").Matching(titlePattern).OnElements("img")

	// Footnotes: <sup id="fnref:1"><a href="#fn:1" class="footnote-ref"
	// role="doc-noteref">, <div class="footnotes" role="doc-endnotes">,
	// <li id="fn:1"> and the back link.
	p.AllowAttrs("id").Matching(footnoteRefPattern).OnElements("sup")
	p.AllowElements("sup")
	p.AllowAttrs("id").Matching(footnotePattern).OnElements("li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(?:ref|backref)$`)).OnElements("a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(?:noteref|backlink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-endnotes$`)).OnElements("div")
	return p
}
