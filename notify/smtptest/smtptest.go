// Package smtptest runs a real SMTP server inside a test (emersion/go-smtp)
// and reads back what it received, as net/http/httptest does for HTTP:
// Aula's mail is tested over the wire, MIME and headers included.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options shape the server.
type Options struct {
	// Addr to listen on (a free port of 127.0.0.1 when empty): a test
	// brings a relay up where one was down.
	Addr string
	// STARTTLS offers TLS with a certificate made for the test; ClientTLS
	// trusts it.
	STARTTLS bool
	// User and Password, when set, are required (AUTH PLAIN).
	User, Password string
	// Refuse, when it returns an error for a recipient, refuses it
	// (e.g. &smtp.SMTPError{Code: 550, …} for a bounce).
	Refuse func(rcpt string) *smtp.SMTPError
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	// TLS tells whether it came over an encrypted connection.
	TLS bool
	// User is who authenticated to send it ("" without AUTH).
	User string
}

// Server is a running SMTP server.
type Server struct {
	// Addr is host:port.
	Addr string
	// ClientTLS trusts the server's certificate (with STARTTLS).
	ClientTLS *tls.Config
	opts      Options
	srv       *smtp.Server
	mu        sync.Mutex
	got       []Received
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, tlsOn := c.TLSConnectionState()
		return &session{s: s, tls: tlsOn}, nil
	}))
	srv.Domain = "smtp.test"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 10 << 20
	// The server may log after the test has ended (a connection closed
	// by Cleanup): testing.T would panic.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if opts.STARTTLS {
		cert, pool, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.ClientTLS = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		t.Fatal(err)
	}
	s.Addr, s.srv = ln.Addr().String(), srv
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the smtp:// URL of the server, with the credentials of Options
// and query (e.g. "tls=required") when given.
func (s *Server) URL(query string) string {
	u := url.URL{Scheme: "smtp", Host: s.Addr, RawQuery: query}
	if s.opts.User != "" {
		u.User = url.UserPassword(s.opts.User, s.opts.Password)
	}
	return u.String()
}

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// To returns the messages accepted for one recipient address.
func (s *Server) To(addr string) []Received {
	var out []Received
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

type session struct {
	s    *Server
	tls  bool
	user string
	msg  Received
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.opts.User || pass != ss.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	ss.msg = Received{From: from, TLS: ss.tls, User: ss.user}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.opts.Refuse != nil {
		if err := ss.s.opts.Refuse(to); err != nil {
			return err
		}
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Data = b
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.msg)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.msg = Received{} }
func (ss *session) Logout() error { return nil }

// Parsed is a received message read back as a mail program would.
type Parsed struct {
	Header mail.Header
	// Subject, From and To decoded from their encoded words.
	Subject  string
	From, To *mail.Address
	// Text and HTML are the bodies of the two alternatives, decoded.
	Text, HTML string
	// ContentTypes of the alternatives, with their charsets.
	ContentTypes []string
}

// Parse reads a received message: headers, encoded words, a
// multipart/alternative body of text/plain and text/html parts in
// quoted-printable or base64.
func Parse(data []byte) (*Parsed, error) {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p := &Parsed{Header: m.Header}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if p.From, err = mail.ParseAddress(m.Header.Get("From")); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if p.To, err = mail.ParseAddress(m.Header.Get("To")); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	if mt != "multipart/alternative" {
		return nil, fmt.Errorf("content type %s, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		// NextPart decodes quoted-printable itself (and drops the header).
		if strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "base64") {
			return nil, errors.New("base64 part: Aula writes quoted-printable")
		}
		body, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		ct := part.Header.Get("Content-Type")
		p.ContentTypes = append(p.ContentTypes, ct)
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			p.Text = string(body)
		case strings.HasPrefix(ct, "text/html"):
			p.HTML = string(body)
		}
	}
	return p, nil
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool, nil
}
