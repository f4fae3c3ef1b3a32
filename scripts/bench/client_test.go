package main

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"
)

// serve answers as Aula does: compressed pages, a streamed CSV, a 404;
// its second result returns the last request's headers.
func serve(t *testing.T) (string, func() *fasthttp.RequestHeader) {
	t.Helper()
	page := []byte("<!doctype html><p>Proteção social, João Conceição Peña</p></html>")
	var mu sync.Mutex
	var last fasthttp.RequestHeader
	seen := func() *fasthttp.RequestHeader {
		mu.Lock()
		defer mu.Unlock()
		var h fasthttp.RequestHeader
		last.CopyTo(&h)
		return &h
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: func(c *fasthttp.RequestCtx) {
		mu.Lock()
		c.Request.Header.CopyTo(&last)
		mu.Unlock()
		switch string(c.Path()) {
		case "/gzip":
			c.Response.Header.Set(fasthttp.HeaderContentEncoding, "gzip")
			c.SetBody(fasthttp.AppendGzipBytes(nil, page))
		case "/br":
			c.Response.Header.Set(fasthttp.HeaderContentEncoding, "br")
			c.SetBody(fasthttp.AppendBrotliBytes(nil, page))
		case "/csv":
			c.SetBodyStreamWriter(func(w *bufio.Writer) {
				for range 1000 {
					w.WriteString("João;Peña;10\n")
					w.Flush()
				}
			})
		case "/start":
			c.Response.Header.Set(fasthttp.HeaderContentEncoding, "gzip")
			c.SetStatusCode(fasthttp.StatusCreated)
			c.SetBody(fasthttp.AppendGzipBytes(nil, []byte(`{"id":7}`)))
		default:
			c.SetStatusCode(fasthttp.StatusNotFound)
		}
	}}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Shutdown() })
	return "http://" + ln.Addr().String(), seen
}

func TestFetch(t *testing.T) {
	base, seen := serve(t)
	hc, stream := newHostClient(base, false), newHostClient(base, true)
	for _, c := range []*fasthttp.HostClient{hc, stream} {
		for _, p := range []string{"/gzip", "/br"} {
			_, body, err := fetch(c, base+p, fetchOpts{body: true, cookie: "aula_session=s1; csrf=x"})
			if err != nil || !bytes.Contains(body, []byte("João Conceição")) {
				t.Errorf("%s (stream %v): %q, %v", p, c.StreamResponseBody, body, err)
			}
			if got := string(seen().Peek("Accept-Encoding")); got != acceptEncoding {
				t.Errorf("Accept-Encoding %q", got)
			}
			if got := string(seen().Cookie("aula_session")); got != "s1" {
				t.Errorf("session cookie %q", got)
			}
		}
		// Twice each: the connection must come back, whatever was read.
		for range 2 {
			_, body, err := fetch(c, base+"/csv", fetchOpts{token: "t", body: true})
			if err != nil || strings.Count(string(body), "\n") != 1000 {
				t.Errorf("csv (stream %v): %d bytes, %v", c.StreamResponseBody, len(body), err)
			}
			if got := string(seen().Peek("Authorization")); got != "Bearer t" {
				t.Errorf("Authorization %q", got)
			}
			if _, _, err := fetch(c, base+"/csv", fetchOpts{}); err != nil {
				t.Errorf("csv, body unread: %v", err)
			}
		}
		if err := get(c, base+"/missing"); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("404: %v", err)
		}
	}
}

func TestPost(t *testing.T) {
	base, seen := serve(t)
	b := &bench{base: base, hc: newHostClient(base, false)}
	var got []byte
	err := b.post("/start", "t", []byte("{}"), func(data []byte) error { got = data; return nil })
	if err != nil || string(got) != `{"id":7}` {
		t.Errorf("start: %q, %v", got, err)
	}
	if h := seen(); string(h.Method()) != "POST" || string(h.ContentType()) != "application/json" {
		t.Errorf("sent %s %s", h.Method(), h.ContentType())
	}
	if err := b.post("/missing", "t", []byte("{}"), nil); err == nil {
		t.Error("a 404 is not an error")
	}
}
