package e2e_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored from the npm registry (testdata/axe-core/README).
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// maxPageBytes is the most a page may weigh on the wire, with its styles,
// scripts and images: a learner on a slow mobile link still gets it in a
// few seconds.
const maxPageBytes = 60 << 10

// auditor checks every page a journey stops at as a person would notice:
// a screenshot in a folder named after the test (e2e/artifacts/<test>/),
// no serious or critical accessibility violation (axe-core, WCAG 2 A and
// AA), no console error, and the page's weight.
type auditor struct {
	t   *testing.T
	ctx context.Context
	dir string
	n   int

	mu      sync.Mutex
	console []string // errors and exceptions since the last audit
}

func newAuditor(t *testing.T, ctx context.Context) *auditor {
	t.Helper()
	dir := filepath.Join("artifacts", strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	a := &auditor{t: t, ctx: ctx, dir: dir}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			a.mu.Lock()
			a.console = append(a.console, m.String())
			a.mu.Unlock()
		}
	}()
	t.Logf("screenshots in %s", dir)
	return a
}

// axeRun runs axe-core on the page and returns the serious and critical
// violations, with the elements they concern.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r =>
  JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`

// pageWeight is what the page cost on the wire: the document and every
// resource it loaded (what came from the browser's cache counts nothing).
const pageWeight = `(() => {
  const size = e => e.transferSize || e.encodedBodySize || 0;
  return [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce((n, e) => n + size(e), 0);
})()`

// check audits the page the browser shows now, naming its screenshot.
func (a *auditor) check(name string) {
	a.t.Helper()
	a.audit(name, "")
}

// checkRefusal audits a page the server answered with an error status on
// purpose (a form sent back with what to fix): the browser logs that
// status as a failed load, which is no fault of the page.
func (a *auditor) checkRefusal(name string) {
	a.t.Helper()
	a.audit(name, refusedLoad)
}

// checkOffline audits a page whose requests fail on purpose because the
// browser is offline: the browser logs each as a failed load.
func (a *auditor) checkOffline(name string) {
	a.t.Helper()
	a.audit(name, offlineLoad)
}

// The console messages an audit expects, beside none.
const (
	refusedLoad = "Failed to load resource: the server responded with a status of 4"
	offlineLoad = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"
)

// audit checks the page; console errors containing expected are no fault.
func (a *auditor) audit(name string, expected string) {
	a.t.Helper()
	a.n++
	shot, err := chromedp.Run(a.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		a.t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(a.dir, fmt.Sprintf("%02d-%s.png", a.n, name)), shot, 0o644); err != nil {
		a.t.Fatal(err)
	}
	if _, err := chromedp.Run(a.ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		a.t.Fatalf("%s: load axe-core: %v", name, err)
	}
	report, err := chromedp.Run(a.ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		a.t.Fatalf("%s: axe-core: %v", name, err)
	}
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(report), &violations); err != nil {
		a.t.Fatalf("%s: axe-core report %q: %v", name, report, err)
	}
	for _, v := range violations {
		a.t.Errorf("%s: accessibility (%s) %s: %s at %v", name, v.Impact, v.ID, v.Help, v.Nodes)
	}
	weight, err := chromedp.Run(a.ctx, chromedp.Evaluate[int](pageWeight))
	if err != nil {
		a.t.Fatalf("%s: page weight: %v", name, err)
	}
	if weight > maxPageBytes {
		a.t.Errorf("%s: the page weighs %d bytes, more than %d", name, weight, maxPageBytes)
	}
	a.mu.Lock()
	errs := a.console
	a.console = nil
	a.mu.Unlock()
	for _, e := range errs {
		if expected != "" && strings.Contains(e, expected) {
			continue
		}
		a.t.Errorf("%s: console: %s", name, e)
	}
}
