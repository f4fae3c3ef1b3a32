// Package metrics counts what an operator watches on /metrics, in the
// Prometheus format: requests by route and status with their latency,
// the database pools, background jobs, mail, and certificates issued.
//
// One Metrics belongs to one installation (wiring.New makes it), with its
// own registry, so tests that build many installations never collide. A
// nil *Metrics counts nothing: every method may be called on it, so a
// package that reports something needs no check.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds an installation's collectors.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	jobs     *prometheus.CounterVec
	mail     *prometheus.CounterVec
	log      *slog.Logger
}

// New returns the collectors of one installation, with Go's runtime and
// the process's own figures (memory, open files, CPU) registered.
func New(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{reg: prometheus.NewRegistry(), log: log}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aula_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "aula_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by method and route pattern.",
		// From a cached page to a large certificate ZIP.
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aula_jobs_total",
		Help: "Background job attempts finished, by kind and outcome (done, retry: tried again later, discarded: given up).",
	}, []string{"kind", "outcome"})
	m.mail = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aula_mail_total",
		Help: "Emails handed to the mail server, by outcome (sent, failed).",
	}, []string{"outcome"})
	m.reg.MustRegister(m.requests, m.latency, m.jobs, m.mail,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{m.log}})
}

// Request counts one answered request. route is the route's pattern
// ("/courses/:ref"), never the path, so the number of series stays that
// of the routes.
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// JobFinished counts one attempt of a background job of kind by its
// outcome, in the queue's own words: jobs.OutcomeDone, OutcomeRetry (it
// will be tried again) or OutcomeDiscarded (no more tries).
func (m *Metrics) JobFinished(kind, outcome string) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(kind, outcome).Inc()
}

// MailSent counts an email the mail server accepted.
func (m *Metrics) MailSent() {
	if m != nil {
		m.mail.WithLabelValues("sent").Inc()
	}
}

// MailFailed counts an email the mail server refused or never got.
func (m *Metrics) MailFailed() {
	if m != nil {
		m.mail.WithLabelValues("failed").Inc()
	}
}

// DB reports a database pool's use (open, in use, idle connections, and
// waits for a free one) under the label db=name ("primary", "replica").
func (m *Metrics) DB(name string, db *sql.DB) {
	if m == nil || db == nil {
		return
	}
	m.register(prometheus.WrapRegistererWith(prometheus.Labels{"db": name}, m.reg),
		collectors.NewDBStatsCollector(db, "aula"))
}

// QueueDepth reports, at each scrape, how many jobs wait in the queue by
// kind, as fn counts them (from the database, so every process shows the
// installation's queue).
func (m *Metrics) QueueDepth(fn func(ctx context.Context) (map[string]int, error)) {
	if m == nil {
		return
	}
	m.register(m.reg, &countsCollector{
		desc: prometheus.NewDesc("aula_jobs_queued", "Background jobs waiting to run, by kind.", []string{"kind"}, nil),
		kind: prometheus.GaugeValue, fn: fn, log: m.log,
	})
}

// CertificatesIssued reports, at each scrape, the installation's
// certificates issued so far, as fn counts them in the database: every
// process reports the same figure, whichever process issued them.
func (m *Metrics) CertificatesIssued(fn func(ctx context.Context) (int, error)) {
	if m == nil {
		return
	}
	m.register(m.reg, &countsCollector{
		desc: prometheus.NewDesc("aula_certificates_issued_total", "Certificates issued by the installation (all processes).", []string{}, nil),
		kind: prometheus.CounterValue, log: m.log,
		fn: func(ctx context.Context) (map[string]int, error) {
			n, err := fn(ctx)
			return map[string]int{"": n}, err
		},
	})
}

// Gauge reports, at each scrape, a figure fn reads, such as the read
// replica's lag in seconds.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	if m == nil {
		return
	}
	m.register(m.reg, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn))
}

// register adds a collector, logging rather than failing when wiring
// registers the same one twice: metrics must never stop a start.
func (m *Metrics) register(r prometheus.Registerer, c prometheus.Collector) {
	if err := r.Register(c); err != nil {
		m.log.Warn("metrics: register collector", "error", err)
	}
}

// scrapeTimeout bounds a database count made for a scrape: a slow
// database must not make the scrape itself time out.
const scrapeTimeout = 2 * time.Second

// countsCollector asks fn for labelled counts at each scrape, keeping the
// last good answer when fn fails (the series do not vanish while the
// database is away for a moment).
type countsCollector struct {
	desc *prometheus.Desc
	kind prometheus.ValueType
	fn   func(ctx context.Context) (map[string]int, error)
	log  *slog.Logger
	mu   sync.Mutex
	last map[string]int
}

func (c *countsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *countsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := c.fn(ctx)
	c.mu.Lock()
	if err != nil {
		c.log.Warn("metrics: count for a scrape", "metric", c.desc.String(), "error", err)
		counts = c.last
	} else {
		c.last = counts
	}
	c.mu.Unlock()
	for label, n := range counts {
		var labels []string
		if label != "" {
			labels = []string{label}
		}
		ch <- prometheus.MustNewConstMetric(c.desc, c.kind, float64(n), labels...)
	}
}

// slogPrinter lets promhttp report errors through slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics: serve", "error", v) }
