// Command bench measures a running Aula and the ceilings next to it in one
// run, for bench/results.md (scripts/bench.sh runs it; `make bench`).
//
//	go run ./scripts/bench -url http://127.0.0.1:18091 -admin a@x -password … -d 5s -c 16
//
// It prepares what it measures through the API (learners enrolled in the
// first demo course, a quiz without an attempt limit), then hammers each
// figure for the duration with c concurrent clients and prints one
// Markdown table row per figure: requests per second, p50, p99, errors,
// and SQL statements per request (from the server's log when -log is
// given). With -ceiling it measures a bare Fiber handler rendering a
// template page of the module page's size instead. The figures' requests
// go through fasthttp, whose CPU per request is close to wrk's (client.go):
// the client shares the machine's cores with what it measures.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18091", "Aula's address")
	binary := flag.String("bin", "", "aula binary, to create the benchmark's users")
	dsn := flag.String("dsn", "", "AULA_DATABASE_URL of the server, for -bin")
	admin := flag.String("admin", "", "admin email (created by the server from AULA_ADMIN_EMAIL)")
	password := flag.String("password", "", "the admin's and the learners' password")
	dur := flag.Duration("d", 5*time.Second, "duration of each figure")
	conns := flag.Int("c", 16, "concurrent clients")
	ceiling := flag.Int("ceiling", 0, "measure a bare Fiber template page of this many bytes instead")
	scale := flag.Bool("scale", false, "measure the pages of a database seeded by aula seed scale (-dsn, -bin), then explain their statements")
	only := flag.String("only", "", "measure only the figures whose names contain one of these comma-separated words")
	pid := flag.Int("pid", 0, "the server's process id: add the CPU time per request of the server and its backends (of -dsn)")
	flag.Parse()
	if *ceiling > 0 {
		row("bare Fiber + html/template page", measureCeiling(*ceiling, *dur, *conns))
		return
	}
	b := &bench{base: strings.TrimRight(*base, "/"), password: *password}
	b.hc = newHostClient(b.base, false)
	if *scale {
		if err := measureScale(b, *dsn, *binary, *dur, *conns, *only, newCPUMeter(*pid, *dsn)); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := b.prepare(*binary, *dsn, *admin, *conns); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	meter := newCPUMeter(*pid, *dsn)
	figure := func(name string, conns int, do func(i int) error) {
		if !wanted(*only, name) {
			return
		}
		if meter == nil {
			row(name, run(*dur, conns, do))
			return
		}
		before := meter.sample()
		r := run(*dur, conns, do)
		fmt.Printf("| %s | %.0f | %.2f ms | %.2f ms | %d / %d | %s |\n", name, r.rps,
			float64(r.p50.Microseconds())/1000, float64(r.p99.Microseconds())/1000, r.errs, r.n, cpuColumn(meter.since(before), r.n))
	}
	signedIn := func(path string) func(i int) error {
		return func(i int) error {
			_, _, err := fetch(b.hc, b.base+path, fetchOpts{cookie: b.learners[i%len(b.learners)].cookie})
			return err
		}
	}
	figure("catalogue /courses (visitor)", *conns, func(int) error { return get(b.hc, b.base+"/courses") })
	figure("catalogue search /courses?q=seguridad", *conns, func(int) error { return get(b.hc, b.base+"/courses?q=seguridad") })
	figure("course page (visitor)", *conns, func(int) error { return get(b.hc, b.base+"/courses/"+b.slug) })
	modulePage, myCourses := signedIn("/courses/"+b.slug+"/modules/"+fmt.Sprint(b.moduleID)), signedIn("/my/courses")
	figure("module page (signed in)", *conns, modulePage)
	figure("my courses (signed in)", *conns, myCourses)
	figure("quiz start + submit (API, pairs)", len(b.learners), func(i int) error { return b.startSubmit(b.learners[i]) })
	figure("verify page", *conns, func(int) error { return get(b.hc, b.base+"/verify") })
	// Issue 11's memory goal is under 200 users at once: each client keeps
	// to one page, in the mix's shares, the signed-in ones as one of the
	// learners. Last, so the server's peak RSS (bench.sh's heading) is
	// taken after it.
	figure("200 users at once: 100 module page, 40 catalogue, 40 course page, 20 my courses", 200, func(i int) error {
		switch {
		case i < 100:
			return modulePage(i)
		case i < 140:
			return get(b.hc, b.base+"/courses")
		case i < 180:
			return get(b.hc, b.base+"/courses/"+b.slug)
		default:
			return myCourses(i)
		}
	})
}

// wanted reports whether the figure name is among only's words (all
// figures when only is empty).
func wanted(only, name string) bool {
	if only == "" {
		return true
	}
	for _, w := range strings.Split(only, ",") {
		if w = strings.TrimSpace(w); w != "" && strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// bench is what the figures need: a course, its first module, a quiz
// and learners enrolled in the course, each signed in, and the client
// that requests them (client.go).
type bench struct {
	base, password string
	hc             *fasthttp.HostClient
	slug           string
	courseID       int64
	moduleID       int64
	quizID         int64
	learners       []*learner
}

type learner struct {
	email  string
	token  string
	cookie string // the session's Cookie header, signed in through the form
}

func (b *bench) prepare(binary, dsn, admin string, n int) error {
	adminToken, err := b.token(admin)
	if err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		} `json:"items"`
	}
	if err := b.api("GET", "/api/v1/courses?language=es", "", nil, &list); err != nil || len(list.Items) == 0 {
		return fmt.Errorf("courses: %v (%d)", err, len(list.Items))
	}
	b.courseID, b.slug = list.Items[0].ID, list.Items[0].Slug
	var detail struct {
		Modules []struct {
			ID int64 `json:"id"`
		} `json:"modules"`
	}
	if err := b.api("GET", fmt.Sprintf("/api/v1/courses/%d", b.courseID), adminToken, nil, &detail); err != nil || len(detail.Modules) == 0 {
		return fmt.Errorf("course %d: %v", b.courseID, err)
	}
	b.moduleID = detail.Modules[0].ID
	var quiz struct {
		ID int64 `json:"id"`
	}
	body := map[string]any{"title": "Benchmark", "required": false, "pass_percent": 50, "max_attempts": 0,
		"review": "after_attempt", "questions": []map[string]any{
			{"kind": "single", "prompt": "¿Quién paga la pensión?", "points": 1,
				"options": []map[string]any{{"text": "El banco", "correct": false}, {"text": "La caja", "correct": true}}},
			{"kind": "true_false", "prompt": "A pensão é vitalícia.", "points": 1, "answer": true},
		}}
	if err := b.api("POST", fmt.Sprintf("/api/v1/courses/%d/quizzes", b.courseID), adminToken, body, &quiz); err != nil {
		return fmt.Errorf("quiz: %w", err)
	}
	b.quizID = quiz.ID
	run := fmt.Sprint(time.Now().UnixNano())
	// One learner per client, up to 16, so that the quiz pair (one open
	// attempt per learner at a time) runs as many at once as the one-row
	// insert it is measured against (16 clients). Each learner signs in
	// twice (a token and a browser session): 16 stay under the 60
	// sign-ins per address and minute.
	for i := range max(1, min(n, 16)) {
		email := fmt.Sprintf("bench-%s-%d@aula.example", run, i)
		cmd := exec.Command(binary, "user", "create", "-email", email, "-name", "João Conceição Peña", "-role", "learner", "-password", b.password)
		cmd.Env = append(os.Environ(), "AULA_DATABASE_URL="+dsn)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("user create: %v: %s", err, out)
		}
		l := &learner{email: email}
		if l.token, err = b.token(email); err != nil {
			return err
		}
		if err := b.api("POST", fmt.Sprintf("/api/v1/courses/%d/enrolments", b.courseID), l.token, map[string]any{}, nil); err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
		browser, err := b.signIn(email)
		if err != nil {
			return err
		}
		if l.cookie, err = session(browser, b.base); err != nil {
			return err
		}
		b.learners = append(b.learners, l)
	}
	return nil
}

func (b *bench) token(email string) (string, error) {
	var out struct{ Token string }
	err := b.api("POST", "/api/v1/tokens", "", map[string]string{"email": email, "password": b.password}, &out)
	return out.Token, err
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn returns a client holding a session cookie, signed in through the
// sign-in form as a browser is.
func (b *bench) signIn(email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(b.base + "/signin")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("sign-in form has no token")
	}
	res, err = c.PostForm(b.base+"/signin", url.Values{"email": {email}, "password": {b.password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: %d", res.StatusCode)
	}
	return c, nil
}

// startSubmit is one attempt of the quiz through the API, over the load
// client: its start (whose small JSON answer names the attempt and its
// questions) and its submission.
func (b *bench) startSubmit(l *learner) error {
	var a struct {
		ID        int64 `json:"id"`
		Questions []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"questions"`
	}
	decode := func(data []byte) error { return json.Unmarshal(data, &a) }
	if err := b.post(fmt.Sprintf("/api/v1/quizzes/%d/attempts", b.quizID), l.token, []byte("{}"), decode); err != nil {
		return err
	}
	answers := map[string]any{}
	for _, q := range a.Questions {
		if q.Kind == "single" {
			answers[fmt.Sprint(q.ID)] = 1
		} else {
			answers[fmt.Sprint(q.ID)] = true
		}
	}
	body, err := json.Marshal(map[string]any{"answers": answers})
	if err != nil {
		return err
	}
	return b.post(fmt.Sprintf("/api/v1/attempts/%d/submit", a.ID), l.token, body, nil)
}

// transport is the setup's (net/http): tokens, the sign-in form, enrolment,
// the quiz. The figures go through the load client (client.go).
var transport = &http.Transport{MaxIdleConnsPerHost: 64, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}

func init() { http.DefaultClient.Transport = transport }

// api is the setup's request to the API (net/http: it runs once).
func (b *bench) api(method, path, token string, body, out any) error {
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, b.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// result is one figure.
type result struct {
	n, errs  int64
	rps      float64
	p50, p99 time.Duration
}

// run calls do from conns goroutines (each with its index) for d.
func run(d time.Duration, conns int, do func(i int) error) result {
	r, _ := runTTFB(d, conns, func(i int) (time.Duration, error) { return 0, do(i) })
	return r
}

// runTTFB is run for a do that also returns its time to the first byte,
// whose distribution is the second result.
func runTTFB(d time.Duration, conns int, do func(i int) (time.Duration, error)) (result, result) {
	var n, errs atomic.Int64
	var mu sync.Mutex
	var lat, firsts []time.Duration
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine, first []time.Duration
			for time.Now().Before(stop) {
				t := time.Now()
				ttfb, err := do(i)
				if err != nil {
					if errs.Add(1) == 1 {
						fmt.Fprintln(os.Stderr, "bench:", err)
					}
				}
				mine, first = append(mine, time.Since(t)), append(first, ttfb)
				n.Add(1)
			}
			mu.Lock()
			lat, firsts = append(lat, mine...), append(firsts, first...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := result{n: n.Load(), errs: errs.Load(), rps: float64(n.Load()) / elapsed.Seconds()}
	r.p50, r.p99 = percentiles(lat)
	f := r
	f.p50, f.p99 = percentiles(firsts)
	return r, f
}

func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*99/100]
}

func row(name string, r result) {
	fmt.Printf("| %s | %.0f | %.2f ms | %.2f ms | %d / %d |\n", name, r.rps,
		float64(r.p50.Microseconds())/1000, float64(r.p99.Microseconds())/1000, r.errs, r.n)
}

// measureCeiling serves a bare Fiber handler rendering an html/template
// page of size bytes (the module page's) and measures it as the others.
func measureCeiling(size int, d time.Duration, conns int) result {
	page := template.Must(template.New("p").Parse(`<!doctype html><html><head><title>{{.Title}}</title></head><body><main>{{range .Paras}}<p>{{.}}</p>{{end}}</main></body></html>`))
	para := strings.Repeat("Proteção social e seguridade: João Conceição Peña. ", 4)
	paras := make([]string, max(1, size/(len(para)+7)))
	for i := range paras {
		paras[i] = para
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Type("html", "utf-8")
		return page.Execute(c, map[string]any{"Title": "Módulo", "Paras": paras})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() { _ = app.Listener(ln) }()
	u := "http://" + ln.Addr().String() + "/"
	hc := newHostClient(u, false)
	r := run(d, conns, func(int) error { return get(hc, u) })
	hc.CloseIdleConnections()
	_ = app.ShutdownWithTimeout(time.Second)
	return r
}
