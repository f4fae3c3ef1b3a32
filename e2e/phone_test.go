package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// layoutProblems runs in the page: it lists what a person on a phone would
// notice — the page scrolling sideways, a header that fills the screen,
// and buttons whose text cannot be read against their own background
// (WCAG contrast below 4.5:1).
const layoutProblems = `(() => {
  const problems = [];
  const W = window.innerWidth, H = window.innerHeight;
  if (document.documentElement.scrollWidth > W) {
    const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > W + 1 && ![...e.querySelectorAll("*")].some(c => c.getBoundingClientRect().right > W + 1)).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right) + "px");
    problems.push("page is " + document.documentElement.scrollWidth + " px wide on a " + W + " px screen (" + wide.join(", ") + ")");
  }
  const header = document.querySelector("header.site");
  if (header && header.getBoundingClientRect().height > H / 5) problems.push("header is " + Math.round(header.getBoundingClientRect().height) + " px high on a " + H + " px screen");
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  for (const b of document.querySelectorAll("main button")) {
    if (!b.offsetParent) continue;
    const fg = lum(rgb(getComputedStyle(b).color)), bg = lum(background(b));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) problems.push("button " + JSON.stringify(b.textContent.trim()) + " has contrast " + ratio.toFixed(2) + ":1");
  }
  return problems;
})()`

// TestPhoneLayout opens the pages an administrator and an instructor use
// on a 375 px phone: nothing is wider than the screen, the header folds
// into a menu that opens without JavaScript, and delete buttons are legible.
func TestPhoneLayout(t *testing.T) {
	s := startServer(t)
	ctx := browser(t)
	signIn(t, ctx, s, adminEmail, adminPassword) // on a wide screen: signIn waits for the visible sign-out button
	do(t, ctx, "phone screen", chromedp.EmulateViewport(375, 740))

	do(t, ctx, "open the teaching list", chromedp.Navigate(s.URL+"/manage/courses"), chromedp.WaitVisible(chromedp.CSS("main")))
	course, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main a[href^='/manage/courses/']:not([href$='/new'])").getAttribute("href")`))
	if err != nil {
		t.Fatalf("find a course to manage: %v", err)
	}
	for _, path := range []string{"/admin/users", "/admin/institutions", "/admin/certificates", "/admin/certificates/settings", course, "/courses", "/my/courses"} {
		do(t, ctx, "open "+path, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](layoutProblems))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, p := range problems {
			t.Errorf("%s on a phone: %s", path, p)
		}
	}

	// The folded menu opens on a tap and shows every destination.
	visible := func() bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("header.site a[href='/my/courses']").offsetParent`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if visible() {
		t.Error("the header's links show on a phone before the menu is opened")
	}
	do(t, ctx, "open the menu", chromedp.Click(chromedp.CSS("label.menu-button")))
	if !visible() {
		t.Error("tapping Menu does not show the header's links")
	}
}
