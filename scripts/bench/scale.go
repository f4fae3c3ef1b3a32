package main

// The scale section of the benchmark (-scale): Aula serving the database
// `aula seed scale` filled (scripts/bench.sh seeds it once per marker),
// measured page by page against issue 11's goals, then each page's
// statements captured and run under EXPLAIN (ANALYZE, BUFFERS).
//
// The statements are captured by a PostgreSQL wire-protocol proxy in this
// process: a second server (the same binary, on the same database) connects
// through it, each page is requested once, and the proxy keeps the text of
// every Query and Parse message sent while that page was asked for. bun
// interpolates its arguments, so each text is the statement as it ran,
// ready for EXPLAIN; the measured server never goes through the proxy.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// figure is one page measured at scale.
type figure struct {
	name string
	goal time.Duration // p99 goal (0: none)
	// path returns the URL path of request i (rotating over codes for the
	// figures that must not hit a cache).
	path func(i int) string
	api  bool // with the admin's token instead of the browser session
	ttfb bool // also report the time to the first byte
	// visitors: each request comes from an address of its own (in
	// X-Forwarded-For; the server trusts the loopback as its proxy), as
	// the people checking certificates do, rather than one address the
	// verify page's limit stops after a few dozen a minute.
	visitors bool
}

// scaleIDs are the seeded rows the figures ask for, looked up with SQL.
type scaleIDs struct {
	course, quiz, institution int64
	attempts, enrolments      int64
	codes                     []string
	theme                     string
}

func lookup(ctx context.Context, dsn string) (*scaleIDs, error) {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	ids := &scaleIDs{}
	// The big course is the one most enrolled in, its quiz the one with the
	// most attempts (the seeder's first course and final quiz).
	for _, q := range []struct {
		sql  string
		args []any
		dst  []any
	}{
		{`SELECT course_id, count(*) FROM enrolments GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, nil, []any{&ids.course, &ids.enrolments}},
		{`SELECT a.quiz_id, count(*) FROM attempts AS a JOIN quizzes AS q ON q.id = a.quiz_id WHERE q.course_id = $1
			GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, []any{&ids.course}, []any{&ids.quiz, &ids.attempts}},
		{`SELECT institution_id FROM users WHERE institution_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, nil, []any{&ids.institution}},
		{`SELECT slug FROM library_themes ORDER BY position LIMIT 1`, nil, []any{&ids.theme}},
	} {
		args := q.args
		if len(args) == 1 {
			args = []any{ids.course}
		}
		if err := db.QueryRowContext(ctx, q.sql, args...).Scan(q.dst...); err != nil {
			return nil, fmt.Errorf("look up %.40s…: %w (is the database seeded with aula seed scale?)", q.sql, err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT code FROM certificates WHERE revoked_at IS NULL AND course_id IS NOT NULL ORDER BY id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("certificate codes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		ids.codes = append(ids.codes, code)
	}
	if len(ids.codes) == 0 {
		return nil, fmt.Errorf("no certificates seeded")
	}
	return ids, rows.Err()
}

// Goals of issue 11 (p99).
const (
	listGoal   = 50 * time.Millisecond
	reportGoal = 200 * time.Millisecond
)

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next"`)

// figures lists what the scale section measures. The roster's deep page
// is reached through the first page's own "next" link: with an offset in
// it, the offset is moved to 80 % of the roster; with a cursor, the links
// are followed for a while.
func (b *bench) figures(ids *scaleIDs, cookie, only string) ([]figure, error) {
	roster := fmt.Sprintf("/manage/courses/%d/enrolments", ids.course)
	// Reaching the deep page takes up to 15 s: only when it is measured.
	deep, depth := roster, int64(0)
	if wanted(only, "course roster, deep page") {
		var err error
		if deep, depth, err = b.deepPage(cookie, roster, ids.enrolments); err != nil {
			return nil, err
		}
	}
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	code := func(i int) string { return ids.codes[i%len(ids.codes)] }
	var first sync.Mutex
	next := 0
	// Each request of "first PDF" draws a certificate no request drew before.
	fresh := func(int) string {
		first.Lock()
		defer first.Unlock()
		next++
		return "/certificates/" + ids.codes[(len(ids.codes)-next%len(ids.codes))%len(ids.codes)] + ".pdf"
	}
	// Each request of "a new search each time" asks the words with year
	// bounds no request asked before (the last 128 searches are kept by
	// each process, library/searches_kept.go): the cost of a search no
	// one made in the last minute, as most searches with words are.
	searches := 0
	newSearch := func(int) string {
		first.Lock()
		defer first.Unlock()
		searches++
		return fmt.Sprintf("/library?q=%s&year_from=%d&year_to=%d", url.QueryEscape("proteção social"), 1980+searches%30, 2010+(searches/30)%30)
	}
	q := url.QueryEscape
	return []figure{
		{name: fmt.Sprintf("quiz results (%d attempts)", ids.attempts), goal: listGoal, path: fixed(fmt.Sprintf("/manage/quizzes/%d/results", ids.quiz))},
		{name: fmt.Sprintf("course roster, first page (%d enrolments)", ids.enrolments), goal: listGoal, path: fixed(roster)},
		{name: fmt.Sprintf("course roster, deep page (row %d, %s)", depth, "next link"), goal: listGoal, path: fixed(deep)},
		{name: "gradebook page", goal: listGoal, path: fixed(fmt.Sprintf("/reports/courses/%d/gradebook", ids.course))},
		{name: fmt.Sprintf("gradebook CSV, API (%d rows)", ids.enrolments), path: fixed(fmt.Sprintf("/api/v1/courses/%d/gradebook.csv", ids.course)), api: true, ttfb: true},
		{name: "user search /admin/users?q=Simões Araú", goal: listGoal, path: fixed("/admin/users?q=" + q("Simões Araú"))},
		{name: "certificate search /admin/certificates?q=Magalhães Núñez", goal: listGoal, path: fixed("/admin/certificates?q=" + q("Magalhães Núñez"))},
		{name: "institution report", goal: reportGoal, path: fixed(fmt.Sprintf("/reports/institutions/%d", ids.institution))},
		{name: "network report", goal: reportGoal, path: fixed("/reports/network")},
		{name: "admin dashboard /admin", goal: reportGoal, path: fixed("/admin")},
		{name: "library, browse", goal: listGoal, path: fixed("/library")},
		{name: "library, words «proteção social»", goal: listGoal, path: fixed("/library?q=" + q("proteção social"))},
		{name: "library, words, a new search each time (year bounds)", goal: listGoal, path: newSearch},
		{name: "library, facets country + theme", goal: listGoal, path: fixed("/library?country=BR&theme=" + q(ids.theme))},
		{name: "certificate PDF, first drawing", path: fresh},
		{name: "certificate PDF, cached", path: func(int) string { return "/certificates/" + ids.codes[0] + ".pdf" }},
		{name: "verify page of a seeded code", goal: listGoal, path: func(i int) string { return "/verify/" + code(i) }, visitors: true},
	}, nil
}

// deepPage follows the roster's "next" link to a page far in: an offset
// link is moved to 80 % of the roster; any other (a cursor) is followed
// for up to 15 s. It reads the pages' links: their bodies are
// decompressed (fetch's body).
func (b *bench) deepPage(cookie, first string, total int64) (string, int64, error) {
	_, page, err := fetch(b.hc, b.base+first, fetchOpts{cookie: cookie, body: true})
	if err != nil {
		return "", 0, err
	}
	m := nextLink.FindSubmatch(page)
	if m == nil {
		return "", 0, fmt.Errorf("roster %s has no next link", first)
	}
	link, err := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
	if err != nil {
		return "", 0, err
	}
	if v := link.Query(); v.Has("offset") {
		depth := total * 8 / 10
		v.Set("offset", strconv.FormatInt(depth, 10))
		link.RawQuery = v.Encode()
		return link.String(), depth, nil
	}
	var rows int64 = 20
	stop := time.Now().Add(15 * time.Second)
	for time.Now().Before(stop) {
		_, page, err := fetch(b.hc, b.base+link.String(), fetchOpts{cookie: cookie, body: true})
		if err != nil {
			return "", 0, err
		}
		m := nextLink.FindSubmatch(page)
		if m == nil {
			break
		}
		next, err := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		if err != nil {
			return "", 0, err
		}
		link, rows = next, rows+20
	}
	return link.String(), rows, nil
}

// measureScale prints the "At scale" table rows, then the plans, of the
// figures only names (every one when empty), with the CPU per request of
// the server and its backends when meter is not nil (-pid). The seeded
// admin cannot sign in, and the database outlives the run's password, so
// each run makes an admin of its own.
func measureScale(b *bench, dsn, binary string, dur time.Duration, conns int, only string, meter *cpuMeter) error {
	ctx := context.Background()
	ids, err := lookup(ctx, dsn)
	if err != nil {
		return err
	}
	admin := fmt.Sprintf("bench-admin-%d@aula.example", time.Now().UnixNano())
	cmd := exec.Command(binary, "user", "create", "-email", admin, "-name", "Administração Peña", "-role", "admin", "-password", b.password)
	cmd.Env = append(os.Environ(), "AULA_DATABASE_URL="+dsn)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("user create: %v: %s", err, out)
	}
	token, err := b.token(admin)
	if err != nil {
		return fmt.Errorf("admin token: %w", err)
	}
	browser, err := b.signIn(admin)
	if err != nil {
		return err
	}
	cookie, err := session(browser, b.base)
	if err != nil {
		return err
	}
	all, err := b.figures(ids, cookie, only)
	if err != nil {
		return err
	}
	var figs []figure
	for _, f := range all {
		if wanted(only, f.name) {
			figs = append(figs, f)
		}
	}
	// The figures that report the time to the first byte stream the body
	// (newHostClient): Do returns with the headers, and the body is read
	// after. The others read it whole in Do, which costs the client less.
	stream := newHostClient(b.base, true)
	cpuHead, cpuRule, blank := "", "", ""
	if meter != nil {
		cpuHead, cpuRule, blank = " CPU per request (server + its PostgreSQL backends) |", "---|", " |"
	}
	fmt.Println("| figure | rps | p50 | p99 | errors / requests | goal (p99) |" + cpuHead)
	fmt.Println("|---|---|---|---|---|---|" + cpuRule)
	for _, f := range figs {
		hc, o := b.hc, fetchOpts{cookie: cookie, visitor: f.visitors}
		if f.api {
			o = fetchOpts{token: token, visitor: f.visitors}
		}
		if f.ttfb {
			hc = stream
		}
		var before cpuSample
		if meter != nil {
			before = meter.sample()
		}
		total, ttfb := runTTFB(dur, conns, func(i int) (time.Duration, error) {
			t, _, err := fetch(hc, b.base+f.path(i), o)
			return t, err
		})
		cpu := ""
		if meter != nil {
			cpu = " " + cpuColumn(meter.since(before), int64(total.n)) + " |"
		}
		fmt.Printf("| %s | %.0f | %s | %s | %d / %d | %s |%s\n", f.name, total.rps, ms(total.p50), ms(total.p99), total.errs, total.n, verdict(f.goal, total.p99), cpu)
		if f.ttfb {
			fmt.Printf("| %s — time to first byte | | %s | %s | | |%s\n", f.name, ms(ttfb.p50), ms(ttfb.p99), blank)
		}
	}
	fmt.Println()
	return explainFigures(ctx, b, dsn, admin, binary, figs)
}

// requestTimeout is the longest a request may take (newHostClient's):
// a page slower than this counts as an error, which keeps the section
// bounded whatever a page costs.
const requestTimeout = 20 * time.Second

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func verdict(goal, p99 time.Duration) string {
	switch {
	case goal == 0:
		return ""
	case p99 < goal:
		return fmt.Sprintf("< %d ms: met", goal.Milliseconds())
	default:
		return fmt.Sprintf("< %d ms: **not met**", goal.Milliseconds())
	}
}

// explainFigures serves a second server through the capturing proxy,
// requests each figure once, and prints each distinct SELECT it ran with
// the summary of its EXPLAIN (ANALYZE, BUFFERS).
func explainFigures(ctx context.Context, b *bench, dsn, admin, binary string, figs []figure) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	p, err := newProxy(u.Host)
	if err != nil {
		return err
	}
	defer p.ln.Close()
	proxied := *u
	proxied.Host = p.ln.Addr().String()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	data, err := os.MkdirTemp("", "aula-bench-explain-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), "AULA_ADDR="+addr, "AULA_DATABASE_URL="+proxied.String(), "AULA_DATA_DIR="+data,
		"AULA_LOG_LEVEL=warn", "AULA_SHUTDOWN_DRAIN=0s", "AULA_TRUSTED_PROXIES=127.0.0.1",
		// Statements whole, arguments in: the proxy records what it can EXPLAIN.
		"AULA_DB_PREPARE=false")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	second := &bench{base: "http://" + addr, password: b.password}
	second.hc = newHostClient(second.base, false)
	defer second.hc.CloseIdleConnections()
	ready := false
	for range 150 {
		if err := get(second.hc, second.base+"/readyz"); err == nil {
			ready = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !ready {
		return fmt.Errorf("the explain server did not start")
	}
	token, err := second.token(admin)
	if err != nil {
		return err
	}
	browser, err := second.signIn(admin)
	if err != nil {
		return err
	}
	cookie, err := session(browser, second.base)
	if err != nil {
		return err
	}
	captured := make([][]string, len(figs))
	for i, f := range figs {
		o := fetchOpts{cookie: cookie, visitor: f.visitors}
		if f.api {
			o = fetchOpts{token: token, visitor: f.visitors}
		}
		p.record(true)
		_, _, err := fetch(second.hc, second.base+f.path(0), o)
		captured[i] = p.record(false)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: explain:", f.name, err)
		}
	}
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	defer db.Close()
	seen := map[string]bool{}
	for i, f := range figs {
		var shown []string
		n := 0
		for _, q := range captured[i] {
			if isJobs(q) {
				continue // the server's queue, not the page
			}
			n++
			if !readStatement.MatchString(q) || seen[q] {
				continue
			}
			seen[q] = true
			shown = append(shown, q)
		}
		fmt.Printf("### %s\n\n%d statements (BEGIN and COMMIT included); the reads not shown above, the plan of each taking %v or more:\n\n", f.name, n, fullPlan)
		for _, q := range shown {
			plan, took, err := explain(ctx, db, q)
			if err != nil {
				fmt.Printf("- `%s`: EXPLAIN failed: %v\n", oneLine(q, 160), err)
				continue
			}
			if took < fullPlan {
				fmt.Printf("- %.2f ms `%s`\n", float64(took.Microseconds())/1000, oneLine(q, 160))
				continue
			}
			fmt.Printf("- %.2f ms `%s`\n\n  ```\n", float64(took.Microseconds())/1000, oneLine(q, 400))
			for _, l := range summary(plan) {
				fmt.Printf("  %s\n", l)
			}
			fmt.Print("  ```\n")
		}
		fmt.Println()
	}
	return nil
}

// fullPlan is the execution time from which a statement's plan is shown,
// not only its time.
const fullPlan = 2 * time.Millisecond

// readStatement: only SELECTs are explained (a WITH may write, but
// EXPLAIN runs in a transaction rolled back).
var readStatement = regexp.MustCompile(`(?is)^\s*(SELECT|WITH)\b`)

var jobsStatement = regexp.MustCompile(`(?i)\b(FROM|UPDATE|INTO)\s+"?jobs"?\b|LISTEN|NOTIFY`)

func isJobs(q string) bool { return jobsStatement.MatchString(q) }

var executionTime = regexp.MustCompile(`^Execution Time: ([0-9.]+) ms`)

// explain runs EXPLAIN (ANALYZE, BUFFERS) of q in a transaction it rolls
// back, so a statement that locks or writes leaves nothing behind, and
// returns the plan and its execution time.
func explain(ctx context.Context, db *sql.DB, q string) ([]string, time.Duration, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback() //nolint:errcheck // read only, rolled back on purpose
	// Bounded, as the pages are: a plan that would run longer is left out.
	if _, err := tx.ExecContext(ctx, "SET LOCAL statement_timeout = '30s'"); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var plan []string
	var took time.Duration
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, 0, err
		}
		if m := executionTime.FindStringSubmatch(l); m != nil {
			f, _ := strconv.ParseFloat(m[1], 64)
			took = time.Duration(f * float64(time.Millisecond))
		}
		plan = append(plan, l)
	}
	return plan, took, rows.Err()
}

// summary keeps the top nodes of a plan (the first eight node lines,
// without their detail lines), the top node's buffers (the statement's)
// and its planning and execution times.
func summary(plan []string) []string {
	var out []string
	nodes, buffers := 0, false
	for i, l := range plan {
		node := i == 0 || strings.Contains(l, "->")
		switch {
		case node && nodes < 8:
			nodes++
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			out = append(out, indent+oneLine(l, 160))
		case !buffers && strings.HasPrefix(strings.TrimSpace(l), "Buffers:"):
			buffers = true
			out = append(out, "  (total) "+strings.TrimSpace(l))
		case strings.HasPrefix(l, "Planning Time") || strings.HasPrefix(l, "Execution Time"):
			out = append(out, l)
		}
	}
	return out
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "`", "'")), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// proxy passes PostgreSQL connections to upstream and keeps the
// statements the clients send while recording.
type proxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	on       bool
	got      []string
}

func newProxy(upstream string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, upstream: upstream}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p, nil
}

// record turns recording on or off; turning it off returns what was
// recorded since it was turned on.
func (p *proxy) record(on bool) []string {
	// The server's reads of one request have all been sent by the time its
	// answer arrived; a moment more lets late ones land in their page.
	if !on {
		time.Sleep(50 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.on = on
	got := p.got
	p.got = nil
	return got
}

func (p *proxy) keep(q string) {
	p.mu.Lock()
	if p.on {
		p.got = append(p.got, q)
	}
	p.mu.Unlock()
}

func (p *proxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer server.Close()
	go func() { _, _ = io.Copy(client, server); client.Close() }()
	r := bufio.NewReader(client)
	// The startup message has no type byte: a length and the rest.
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil || n < 4 {
		return
	}
	start := make([]byte, n)
	binary.BigEndian.PutUint32(start, n)
	if _, err := io.ReadFull(r, start[4:]); err != nil {
		return
	}
	if _, err := server.Write(start); err != nil {
		return
	}
	for {
		head := make([]byte, 5)
		if _, err := io.ReadFull(r, head); err != nil {
			return
		}
		msg := make([]byte, binary.BigEndian.Uint32(head[1:])-4)
		if _, err := io.ReadFull(r, msg); err != nil {
			return
		}
		switch head[0] {
		case 'Q': // simple query: the text, NUL-terminated
			p.keep(strings.TrimRight(string(msg), "\x00"))
		case 'P': // parse: a statement name, then the text
			if parts := strings.SplitN(string(msg), "\x00", 3); len(parts) == 3 {
				p.keep(parts[1])
			}
		}
		if _, err := server.Write(append(head, msg...)); err != nil {
			return
		}
	}
}
