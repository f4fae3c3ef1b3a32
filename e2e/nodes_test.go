package e2e_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aula-platform/aula/courses/s3test"
	"github.com/aula-platform/aula/migrations/testdb"
)

// clientAddr is the loopback address the test's clients connect to nginx
// from: not nginx's own 127.0.0.1, so the logs show whether Aula took
// the client's address from X-Forwarded-For.
const clientAddr = "127.0.0.5"

// node is one `aula serve` of the installation.
type node struct {
	addr string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan struct{}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// cluster is two nodes on one database and one S3 bucket behind nginx
// with the production configuration of docs/deploy/nginx.conf.
type cluster struct {
	URL   string // https://127.0.0.1:PORT, through nginx
	plain string // the port-80 server, which redirects
	bin   string
	env   []string
	nodes []*node
	roots *x509.CertPool
	nginx *lockedBuffer
}

// startCluster builds the binary, starts the object store, two nodes and
// nginx in front of them.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	dir := t.TempDir()
	c := &cluster{bin: filepath.Join(dir, "aula"), nginx: &lockedBuffer{}}
	build := exec.Command("go", "build", "-o", c.bin, "./cmd/aula")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	testdb.OpenEmpty(t, "nodes")
	dsn, err := testdb.URL("nodes")
	if err != nil {
		t.Fatal(err)
	}
	s3 := s3test.Start(t)
	httpsPort, plainPort := freePort(t), freePort(t)
	c.URL = fmt.Sprintf("https://127.0.0.1:%d", httpsPort)
	c.plain = fmt.Sprintf("http://127.0.0.1:%d", plainPort)
	c.env = append(os.Environ(),
		"AULA_BASE_URL="+c.URL,
		"AULA_DATABASE_URL="+dsn,
		"AULA_STORAGE_URL="+s3.URL(),
		"AULA_SECRET="+strings.Repeat("k", 40), // one secret for every node
		"AULA_TRUSTED_PROXIES=127.0.0.1",
		"AULA_ADMIN_EMAIL="+adminEmail,
		"AULA_ADMIN_PASSWORD="+adminPassword,
		"AULA_DEMO=1",
		"AULA_SHUTDOWN_DRAIN=0s",
	)
	c.env = append(c.env, s3.Env()...)
	for i := range 2 {
		n := &node{addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)), logs: &lockedBuffer{}, done: make(chan struct{})}
		n.cmd = exec.Command(c.bin, "serve")
		n.cmd.Env = append(append([]string{}, c.env...), "AULA_ADDR="+n.addr, fmt.Sprintf("AULA_DATA_DIR=%s/node%d", dir, i))
		n.cmd.Stdout, n.cmd.Stderr = n.logs, n.logs
		if err := n.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { _ = n.cmd.Wait(); close(n.done) }()
		t.Cleanup(func() {
			_ = n.cmd.Process.Signal(os.Interrupt)
			select {
			case <-n.done:
			case <-time.After(20 * time.Second):
				_ = n.cmd.Process.Kill()
			}
			if t.Failed() {
				t.Logf("node %d log:\n%s", i, n.logs)
			}
		})
		c.nodes = append(c.nodes, n)
		waitHTTP(t, "node", "http://"+n.addr+"/readyz", n.done, n.logs, nil)
	}
	c.startNginx(t, dir, httpsPort, plainPort)
	return c
}

// startNginx writes a certificate for 127.0.0.1, takes the production
// configuration from docs/ with the test's addresses and files in place
// of the example's, and runs nginx in the foreground.
func (c *cluster) startNginx(t *testing.T, dir string, httpsPort, plainPort int) {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("nginx not found: run `make test` or apt-get install nginx")
		}
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	c.roots = selfSigned(t, certFile, keyFile)

	prod, err := os.ReadFile("../docs/deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(prod)
	for _, r := range []struct{ old, new string }{
		{"server 10.0.0.11:8080", "server " + c.nodes[0].addr},
		{"server 10.0.0.12:8080", "server " + c.nodes[1].addr},
		{"listen 443 ssl http2;", fmt.Sprintf("listen 127.0.0.1:%d ssl http2;", httpsPort)},
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", plainPort)},
		{"/etc/ssl/aula/fullchain.pem", certFile},
		{"/etc/ssl/aula/privkey.pem", keyFile},
		{"/var/log/nginx/aula.access.log", filepath.Join(dir, "access.log")},
	} {
		if !strings.Contains(conf, r.old) {
			t.Fatalf("docs/deploy/nginx.conf no longer has %q: update the test with it", r.old)
		}
		conf = strings.ReplaceAll(conf, r.old, r.new)
	}
	// The IPv6 listeners of production: this machine's test runs on IPv4.
	conf = regexp.MustCompile(`(?m)^\s*listen \[::\]:.*$`).ReplaceAllString(conf, "")
	site := filepath.Join(dir, "aula.conf")
	if err := os.WriteFile(site, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// Debian's nginx.conf, cut to what a test needs: everything in its
	// own folder.
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the temp folders are root's
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 256; }
http {
	client_body_temp_path %[2]s/body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
	include %[3]s;
}
`, user, dir, site)
	mainFile := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(mainFile, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", mainFile, "-p", dir)
	cmd.Stdout, cmd.Stderr = c.nginx, c.nginx
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx:\n%s\n%s", c.nginx, errLog)
		}
	})
	waitHTTP(t, "nginx", c.URL+"/readyz", done, c.nginx, c.roots)
}

// selfSigned writes a certificate and key for 127.0.0.1 and returns a
// pool that trusts it.
func selfSigned(t *testing.T, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "aula e2e"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitHTTP waits for url to answer 200, failing the test if the process
// exits first or a minute passes.
func waitHTTP(t *testing.T, what, url string, done <-chan struct{}, logs fmt.Stringer, roots *x509.CertPool) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-done:
			t.Fatalf("%s exited before %s answered:\n%s", what, url, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s not ready after a minute (%v):\n%s", what, url, err, logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// visitor is someone's browser: cookies, the last form's CSRF token, and
// a connection to nginx from clientAddr. Redirects are not followed, so
// the test sees each 303.
type visitor struct {
	t     *testing.T
	c     *cluster
	http  *http.Client
	csrf  string
	token string // API bearer token, once asked for
}

func (c *cluster) visitor(t *testing.T) *visitor {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(clientAddr)}, Timeout: 5 * time.Second}
	return &visitor{t: t, c: c, http: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: c.roots},
			DialContext:     dialer.DialContext,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// answer is a response read whole, with the node that served it.
type answer struct {
	status int
	header http.Header
	body   []byte
	node   int // index in cluster.nodes; -1 when no node's log has it
}

// do sends req through nginx, with a forged X-Forwarded-For that nginx
// must replace, and reads the answer.
func (v *visitor) do(req *http.Request) answer {
	v.t.Helper()
	req.Header.Set("X-Forwarded-For", "203.0.113.66")
	if v.token != "" && strings.HasPrefix(req.URL.Path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+v.token)
	}
	res, err := v.http.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		v.t.Fatalf("%s %s: read: %v", req.Method, req.URL.Path, err)
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		v.csrf = string(m[1])
	}
	return answer{status: res.StatusCode, header: res.Header, body: body, node: v.c.servedBy(res.Header.Get("X-Request-Id"))}
}

// servedBy finds the node whose log has the request id. A node's output
// reaches the test through a pipe, so its line may come a moment after
// the answer.
func (c *cluster) servedBy(id string) int {
	if id == "" {
		return -1
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for i, n := range c.nodes {
			if strings.Contains(n.logs.String(), "request_id="+id) {
				return i
			}
		}
	}
	return -1
}

func (v *visitor) get(path string, headers ...string) answer {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, v.c.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return v.do(req)
}

// post sends a form with the CSRF token of the last page.
func (v *visitor) post(path string, form url.Values) answer {
	v.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", v.csrf)
	req, _ := http.NewRequest(http.MethodPost, v.c.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// api calls the JSON API with the visitor's token and decodes into out.
func (v *visitor) api(method, path string, body any, out any) answer {
	v.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, v.c.URL+"/api/v1"+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	a := v.do(req)
	if out != nil && a.status < 300 {
		if err := json.Unmarshal(a.body, out); err != nil {
			v.t.Fatalf("%s %s: %v\n%s", method, path, err, a.body)
		}
	}
	return a
}

// signIn signs in through the form, CSRF token included.
func (v *visitor) signIn(email, password string) answer {
	v.t.Helper()
	want(v.t, "sign-in form", v.get("/signin"), http.StatusOK)
	a := v.post("/signin", url.Values{"email": {email}, "password": {password}})
	want(v.t, "sign in as "+email, a, http.StatusSeeOther)
	var tok struct{ Token string }
	want(v.t, "API token", v.api(http.MethodPost, "/tokens", map[string]string{"email": email, "password": password}, &tok), http.StatusCreated)
	v.token = tok.Token
	return a
}

func want(t *testing.T, step string, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %d, want %d\n%.2000s", step, a.status, status, a.body)
	}
}

// TestTwoNodesBehindNginx: two `aula serve` on one database and one S3
// bucket, behind nginx configured as docs/deploy.md recommends. A
// learner's journey alternates between the nodes (round robin): sign-in
// and CSRF tokens made on one node work on the other, quiz answers saved
// on one are graded on the other; one node is killed in the middle and
// the journey finishes on the other, as does the admin's work: an
// upload, a byte range of it, a certificate ZIP made by the background
// worker of whichever node took it.
func TestTwoNodesBehindNginx(t *testing.T) {
	c := startCluster(t)
	if out, err := c.aula("user", "create", "-email", "joao@nodes.test", "-name", "João Conceição Peña", "-role", "learner", "-password", "senha do joão", "-locale", "pt-PT"); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	served := map[int]int{}

	// TLS ends at nginx; the plain port only redirects to it.
	plain := c.visitor(t)
	res, err := plain.http.Get(c.plain + "/courses")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(res.Header.Get("Location"), "https://") {
		t.Errorf("plain HTTP: %d to %q, want 301 to https", res.StatusCode, res.Header.Get("Location"))
	}

	// The admin uploads a course file (streamed through nginx to a node,
	// from there to the bucket).
	admin := c.visitor(t)
	admin.signIn(adminEmail, adminPassword)
	var list struct {
		Items []struct {
			ID       int64
			Language string
		}
	}
	admin.api(http.MethodGet, "/courses?language=en", nil, &list)
	if len(list.Items) == 0 {
		t.Fatal("no English demo course")
	}
	courseID := list.Items[0].ID
	pdf := samplePDF(300 << 10)
	want(t, "manage page", admin.get(fmt.Sprintf("/manage/courses/%d", courseID)), http.StatusOK)
	up := admin.upload(fmt.Sprintf("/manage/courses/%d/files", courseID), "guia-peña.pdf", pdf)
	want(t, "upload", up, http.StatusSeeOther)
	m := regexp.MustCompile(`uploaded=(\d+)`).FindStringSubmatch(up.header.Get("Location"))
	if m == nil {
		t.Fatalf("upload went to %q", up.header.Get("Location"))
	}
	assetPath := fmt.Sprintf("/courses/%d/files/%s", courseID, m[1])

	// Body limits: nginx refuses a body over the upload limit itself.
	big := admin.uploadRaw(fmt.Sprintf("/manage/courses/%d/files", courseID), 25<<20)
	if big != http.StatusRequestEntityTooLarge {
		t.Errorf("25 MB upload: %d, want 413 from nginx", big)
	}

	// The learner signs in, enrols and reads every module, page by page.
	learner := c.visitor(t)
	signedIn := learner.signIn("joao@nodes.test", "senha do joão")
	served[signedIn.node]++
	want(t, "enrol page", learner.get(fmt.Sprintf("/enrol/%d", courseID)), http.StatusOK)
	enrolled := learner.post(fmt.Sprintf("/enrol/%d", courseID), nil)
	want(t, "enrol (CSRF token from the other page)", enrolled, http.StatusSeeOther)
	served[enrolled.node]++
	var course struct {
		Modules []struct{ ID int64 }
	}
	learner.api(http.MethodGet, fmt.Sprintf("/courses/%d", courseID), nil, &course)
	var mine []struct{ ID, CourseID int64 }
	var enrolments struct {
		Items []struct {
			ID       int64 `json:"id"`
			CourseID int64 `json:"course_id"`
		}
	}
	learner.api(http.MethodGet, "/me/enrolments", nil, &enrolments)
	for _, e := range enrolments.Items {
		if e.CourseID == courseID {
			mine = append(mine, struct{ ID, CourseID int64 }{e.ID, e.CourseID})
		}
	}
	if len(mine) != 1 || len(course.Modules) == 0 {
		t.Fatalf("enrolments %+v, modules %+v", enrolments, course)
	}
	for _, mod := range course.Modules {
		want(t, "module page", learner.get(fmt.Sprintf("/courses/%d/modules/%d", courseID, mod.ID)), http.StatusOK)
		done := learner.post(fmt.Sprintf("/enrolments/%d/modules/%d/complete", mine[0].ID, mod.ID), nil)
		want(t, "mark module complete", done, http.StatusSeeOther)
		served[done.node]++
	}
	// The file, resumed from its middle: a byte range straight from S3.
	part := learner.get(assetPath, "Range", "bytes=100000-100099")
	want(t, "byte range of the course file", part, http.StatusPartialContent)
	if !bytes.Equal(part.body, pdf[100000:100100]) {
		t.Error("the byte range has other bytes than the file's")
	}

	// The quiz: started and autosaved on whichever node, then one node dies.
	quizID, answers := quizAnswers(t, admin, courseID)
	var attempt struct{ ID int64 }
	want(t, "start attempt", learner.api(http.MethodPost, fmt.Sprintf("/quizzes/%d/attempts", quizID), nil, &attempt), http.StatusCreated)
	for id, a := range answers { // one answer saved before the kill
		saved := learner.api(http.MethodPut, fmt.Sprintf("/attempts/%d/answers", attempt.ID), map[string]any{"seq": 1, "answers": map[string]any{id: a}}, nil)
		want(t, "autosave", saved, http.StatusOK)
		served[saved.node]++
		delete(answers, id)
		break
	}
	if served[0] == 0 || served[1] == 0 {
		t.Fatalf("the learner's requests did not alternate between the nodes: %v", served)
	}
	killed := 0
	if err := c.nodes[killed].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-c.nodes[killed].done

	saved := learner.api(http.MethodPut, fmt.Sprintf("/attempts/%d/answers", attempt.ID), map[string]any{"seq": 2, "answers": answers}, nil)
	want(t, "autosave after a node died", saved, http.StatusOK)
	var result struct {
		Passed  bool    `json:"passed"`
		Percent float64 `json:"percent"`
	}
	submitted := learner.api(http.MethodPost, fmt.Sprintf("/attempts/%d/submit", attempt.ID), map[string]any{}, &result)
	want(t, "submit after a node died", submitted, http.StatusOK)
	if !result.Passed || result.Percent != 100 {
		t.Fatalf("submit graded %+v: the answers saved on the dead node are lost", result)
	}

	// The course is complete: its certificate is issued and verifies.
	var certs struct {
		Items []struct{ Code string }
	}
	learner.api(http.MethodGet, "/me/certificates", nil, &certs)
	if len(certs.Items) != 1 {
		t.Fatalf("certificates after passing: %+v", certs)
	}
	code := certs.Items[0].Code
	doc := learner.get("/api/v1/certificates/" + code + ".pdf")
	want(t, "certificate PDF", doc, http.StatusOK)
	if !bytes.HasPrefix(doc.body, []byte("%PDF-")) {
		t.Error("the certificate is no PDF")
	}
	var verified struct {
		Status     string `json:"status"`
		HolderName string `json:"holder_name"`
	}
	c.visitor(t).api(http.MethodGet, "/verify/"+code, nil, &verified)
	if verified.Status != "valid" || verified.HolderName != "João Conceição Peña" {
		t.Errorf("verification: %+v", verified)
	}

	// The admin's ZIP of the course's certificates: a background job,
	// its file in the bucket, downloaded through the node still alive.
	want(t, "ZIP page", admin.get(fmt.Sprintf("/admin/certificates/courses/%d/zip", courseID)), http.StatusOK)
	want(t, "start ZIP", admin.post(fmt.Sprintf("/admin/certificates/courses/%d/zip", courseID), nil), http.StatusSeeOther)
	download := regexp.MustCompile(`/admin/certificates/zips/\d+/download`)
	var link string
	for deadline := time.Now().Add(30 * time.Second); link == ""; {
		page := admin.get(fmt.Sprintf("/admin/certificates/courses/%d/zip", courseID))
		link = string(download.Find(page.body))
		if link == "" && time.Now().After(deadline) {
			t.Fatalf("no ZIP after 30 s:\n%.2000s", page.body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	zip := admin.get(link)
	want(t, "ZIP download", zip, http.StatusOK)
	if !bytes.HasPrefix(zip.body, []byte("PK")) {
		t.Error("the ZIP download is no ZIP file")
	}
	// Every request after the kill was served, by the survivor.
	for _, a := range []answer{saved, submitted, doc, zip} {
		if a.node != 1-killed {
			t.Errorf("request %s after the kill was served by node %d", a.header.Get("X-Request-Id"), a.node)
		}
	}

	// X-Forwarded-For: Aula logs the client's address as nginx saw it,
	// never the one the client forged.
	logs := c.nodes[0].logs.String() + c.nodes[1].logs.String()
	if !strings.Contains(logs, "ip="+clientAddr) || strings.Contains(logs, "203.0.113.66") {
		t.Error("the nodes' logs do not show the client's address from nginx's X-Forwarded-For")
	}
	// /metrics is not for the public, even though nginx is on loopback.
	if m := c.visitor(t).get("/metrics"); m.status != http.StatusNotFound {
		t.Errorf("/metrics through nginx: %d, want 404", m.status)
	}
}

// aula runs a subcommand on the cluster's database and bucket.
func (c *cluster) aula(args ...string) (string, error) {
	cmd := exec.Command(c.bin, args...)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// upload posts a file through the course's upload form.
func (v *visitor) upload(path, name string, content []byte) answer {
	v.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf", v.csrf)
	f, _ := w.CreateFormFile("file", name)
	_, _ = f.Write(content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, v.c.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(req)
}

// uploadRaw announces a body of size bytes and returns the status
// (nginx may close the connection before reading it all).
func (v *visitor) uploadRaw(path string, size int64) int {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, v.c.URL+path, io.LimitReader(zeros{}, size))
	req.ContentLength = size
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	res, err := v.http.Do(req)
	if err != nil {
		v.t.Fatalf("POST %s with %d bytes: %v", path, size, err)
	}
	res.Body.Close()
	return res.StatusCode
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// samplePDF is a PDF file of about size bytes, with accents in it.
func samplePDF(size int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%% %06d Guía del afiliado — João Conceição Peña\n", i)
	}
	b.WriteString("%%EOF\n")
	return b.Bytes()
}

// quizAnswers reads the course's quiz as its editor (the admin) and
// returns its id and the right answer to each question, by question id.
func quizAnswers(t *testing.T, admin *visitor, courseID int64) (int64, map[string]any) {
	t.Helper()
	var quizzes struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	admin.api(http.MethodGet, fmt.Sprintf("/courses/%d/quizzes", courseID), nil, &quizzes)
	if len(quizzes.Items) == 0 {
		t.Fatalf("course %d has no quiz", courseID)
	}
	quizID := quizzes.Items[0].ID
	var quiz struct {
		Questions []struct {
			ID      int64           `json:"id"`
			Kind    string          `json:"kind"`
			Answer  json.RawMessage `json:"answer"`
			Options []struct {
				Correct bool `json:"correct"`
			} `json:"options"`
		} `json:"questions"`
	}
	want(t, "quiz as its editor", admin.api(http.MethodGet, fmt.Sprintf("/quizzes/%d", quizID), nil, &quiz), http.StatusOK)
	answers := map[string]any{}
	for _, q := range quiz.Questions {
		id := fmt.Sprint(q.ID)
		switch q.Kind {
		case "single":
			for i, o := range q.Options {
				if o.Correct {
					answers[id] = i
				}
			}
		case "multiple":
			var idx []int
			for i, o := range q.Options {
				if o.Correct {
					idx = append(idx, i)
				}
			}
			answers[id] = idx
		default:
			answers[id] = q.Answer
		}
	}
	if len(answers) == 0 {
		t.Fatalf("quiz %d has no questions the test can answer", quizID)
	}
	return quizID, answers
}
