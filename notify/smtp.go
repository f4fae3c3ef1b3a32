package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPOptions adjust an SMTP relay beyond its URL.
type SMTPOptions struct {
	// TLSConfig verifies the relay's certificate (the system's roots and
	// the URL's host when nil); tests trust their own server with it.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each command (30 s when 0).
	Timeout time.Duration
}

// SMTP sends messages through a relay, over a connection per message:
// Aula sends a few messages a minute, and a connection kept open would
// time out between them.
type SMTP struct {
	opts []gomail.Option
	host string
	// What the URL asked for, for the start-up log.
	Describe string
}

// NewSMTP reads a relay's URL (AULA_SMTP_URL):
//
//	smtp://user:pass@host:587   STARTTLS when the relay offers it (port 587 by default)
//	smtp://host:25?tls=required STARTTLS or nothing is sent
//	smtps://user:pass@host:465  TLS from the first byte (port 465 by default)
//
// The user and password, when given, authenticate with the best mechanism
// the relay offers (never in clear text: PLAIN and LOGIN wait for TLS).
func NewSMTP(raw string, o SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, errors.New("notify: SMTP URL has no host: write smtp://host:587 or smtps://host:465")
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	tlsConfig := o.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConfig = tlsConfig.Clone()
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = u.Hostname()
	}
	opts := []gomail.Option{gomail.WithTimeout(o.Timeout), gomail.WithTLSConfig(tlsConfig)}
	port := 587
	var mode string
	switch u.Scheme {
	case "smtps":
		port, mode = 465, "TLS"
		opts = append(opts, gomail.WithSSL())
	case "smtp":
		switch tlsMode := u.Query().Get("tls"); tlsMode {
		case "", "opportunistic":
			mode = "STARTTLS when offered"
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "required":
			mode = "STARTTLS required"
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		default:
			return nil, fmt.Errorf("notify: SMTP URL: tls=%q must be required or left out", tlsMode)
		}
	default:
		return nil, fmt.Errorf("notify: SMTP URL scheme %q must be smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("notify: SMTP URL port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTP{opts: opts, host: u.Hostname(),
		Describe: fmt.Sprintf("%s://%s (%s)", u.Scheme, net.JoinHostPort(u.Hostname(), strconv.Itoa(port)), mode)}, nil
}

// Send hands m to the relay. A 5xx answer is a *Rejected.
func (s *SMTP) Send(ctx context.Context, from string, m *Message) error {
	msg, err := buildMessage(from, m)
	if err != nil {
		return &Rejected{Err: err}
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("notify: SMTP client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			return &Rejected{Err: err}
		}
		return fmt.Errorf("notify: send to %s: %w", s.host, err)
	}
	return nil
}

// buildMessage writes the MIME message: plain text and HTML alternatives
// in UTF-8 (quoted-printable, so accents survive any relay), names in
// encoded words, the one-click unsubscribe headers of RFC 8058 on all but
// account mail.
func buildMessage(from string, m *Message) (*gomail.Msg, error) {
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(sender)
	if err := msg.AddToFormat(m.ToName, m.ToAddress); err != nil {
		return nil, fmt.Errorf("address %q: %w", m.ToAddress, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.CreatedAt)
	// Replies from out-of-office robots are not wanted (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	if m.UnsubscribeURL != nil {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+*m.UnsubscribeURL+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.TextBody)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTMLBody)
	return msg, nil
}
