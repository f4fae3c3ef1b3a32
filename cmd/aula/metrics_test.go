package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsAddr: with AULA_METRICS_ADDR set, /metrics is served there
// and the main address answers it 404, even to loopback; with AULA_PPROF=1
// the profiler is there too, and only there.
func TestMetricsAddr(t *testing.T) {
	metricsAddr := freeAddr(t)
	p := serveAt(t, newDatabaseURL(t), t.TempDir(), "AULA_METRICS_ADDR="+metricsAddr, "AULA_PPROF=1")
	p.waitReady(t)
	res, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `aula_http_requests_total{method="GET",route="/readyz",status="200"}`) {
		t.Errorf("GET %s/metrics = %d\n%s", metricsAddr, res.StatusCode, body)
	}
	res, err = http.Get("http://" + p.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("main address /metrics = %d, want 404 when AULA_METRICS_ADDR is set", res.StatusCode)
	}
	for addr, want := range map[string]int{metricsAddr: http.StatusOK, p.addr: http.StatusNotFound} {
		res, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s/debug/pprof/cmdline = %d, want %d", addr, res.StatusCode, want)
		}
	}
	if err := p.stop(t); err != nil {
		t.Error(err)
	}
}
