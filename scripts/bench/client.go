package main

// The load client of the figures. The benchmark runs on the machine it
// measures: the client, the server and PostgreSQL share two cores, so
// every bit of CPU the client spends on a request is taken from the
// server. net/http spent ~0.25 ms of CPU a request, more than the server
// spends on a light page, and gunzipped every answer, which depressed
// every figure; the figures were wrk's, a lean C client.
// fasthttp's HostClient comes close to wrk's cost: keep-alive connections,
// requests and responses from its pools, headers parsed in place, and
// bodies kept as they came, compressed, as a browser on a slow link asks
// for them (only a figure that reads a body decompresses it).
//
// Setup (tokens, the sign-in form with its CSRF token, enrolments, the
// quiz) stays on net/http: it runs once, and its cookie jar holds the
// sessions the signed-in figures then send as a Cookie header.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// acceptEncoding is what a browser asks for: the server compresses its
// pages (app/public_pages.go), and the figures measure that.
const acceptEncoding = "gzip, br"

// newHostClient is a keep-alive client of base's host. With stream, Do
// returns once the headers are read and the body is left to
// Response.BodyStream, so the time Do takes is the time to the first byte
// of a streamed answer (the gradebook CSV); without it Do reads the body
// whole, which costs less. A request slower than requestTimeout fails, so
// a figure stays bounded whatever a page costs.
func newHostClient(base string, stream bool) *fasthttp.HostClient {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		panic(fmt.Sprintf("bench: bad address %q", base))
	}
	addr, tls := u.Host, u.Scheme == "https"
	if u.Port() == "" {
		port := "80"
		if tls {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	return &fasthttp.HostClient{
		Addr:  addr,
		IsTLS: tls,
		Name:  "aula-bench",
		// One connection per concurrent client is all a figure uses (each
		// waits for its answer); the margin covers -c above the usual.
		MaxConns:           1024,
		MaxConnWaitTimeout: 5 * time.Second,
		ReadTimeout:        requestTimeout,
		WriteTimeout:       requestTimeout,
		StreamResponseBody: stream,
	}
}

// session is the Cookie header of a signed-in browser: the cookies its
// jar holds for base.
func session(c *http.Client, base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	var header string
	for _, k := range c.Jar.Cookies(u) {
		if header != "" {
			header += "; "
		}
		header += k.Name + "=" + k.Value
	}
	if header == "" {
		return "", fmt.Errorf("no session cookie for %s", base)
	}
	return header, nil
}

// fetchOpts shape one GET: an API token, a browser's Cookie header, a
// visitor address of its own (X-Forwarded-For, for the per-address rate
// limits a trusted proxy's visitors have), the body kept for the caller.
type fetchOpts struct {
	token   string
	cookie  string
	visitor bool
	body    bool
}

var visitor atomic.Uint32

// fetch is the benchmark's one GET: it requests u and returns the time to
// its first byte and, with o.body, the body, uncompressed. The time to the
// first byte is the time to the headers with a streaming client
// (newHostClient's stream); with any other it is the whole answer's. A
// status other than 200 is an error.
func fetch(hc *fasthttp.HostClient, u string, o fetchOpts) (time.Duration, []byte, error) {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(u)
	req.Header.Set(fasthttp.HeaderAcceptEncoding, acceptEncoding)
	if o.token != "" {
		req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+o.token)
	}
	if o.cookie != "" {
		req.Header.Set(fasthttp.HeaderCookie, o.cookie)
	}
	if o.visitor {
		n := visitor.Add(1)
		req.Header.Set(fasthttp.HeaderXForwardedFor, fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
	}
	t := time.Now()
	err := hc.Do(req, res)
	ttfb := time.Since(t)
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if s := res.BodyStream(); s != nil {
		// A streaming client: the body is still to be read, to its end,
		// which hands the connection back for the next request.
		var raw []byte
		if o.body {
			raw, err = io.ReadAll(s)
		} else {
			_, err = io.Copy(io.Discard, s)
		}
		if cerr := res.CloseBodyStream(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, nil, fmt.Errorf("GET %s: %w", u, err)
		}
		res.SetBodyRaw(raw)
	}
	if res.StatusCode() != fasthttp.StatusOK {
		return ttfb, nil, fmt.Errorf("GET %s: %d", u, res.StatusCode())
	}
	var data []byte
	if o.body {
		body, err := res.BodyUncompressed()
		if err != nil {
			return ttfb, nil, fmt.Errorf("GET %s: %w", u, err)
		}
		data = append([]byte(nil), body...) // res goes back to its pool
	}
	return ttfb, data, nil
}

// get is fetch for a figure that only needs to know it worked.
func get(hc *fasthttp.HostClient, u string) error {
	_, _, err := fetch(hc, u, fetchOpts{})
	return err
}

// post sends body as JSON to path with the API token and hands the
// answer to decode (when not nil), uncompressed if its Content-Encoding
// says it is compressed. A status of 300 or more
// is an error.
func (b *bench) post(path, token string, body []byte, decode func([]byte) error) error {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.SetRequestURI(b.base + path)
	req.Header.SetContentType("application/json")
	req.Header.Set(fasthttp.HeaderAcceptEncoding, acceptEncoding)
	req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+token)
	req.SetBodyRaw(body)
	if err := b.hc.Do(req, res); err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	if res.StatusCode() >= 300 {
		data, _ := res.BodyUncompressed()
		return fmt.Errorf("POST %s: %d %s", path, res.StatusCode(), data)
	}
	if decode == nil {
		return nil
	}
	data, err := res.BodyUncompressed()
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	return decode(data)
}
