package main

import (
	"strings"
	"testing"
)

// TestConfigMail: without AULA_SMTP_URL mail stays in the outbox; with
// it, a sender is required and the URL's scheme, port and tls mode are
// checked; the password never reaches the start-up log.
func TestConfigMail(t *testing.T) {
	if cfg := withConfig(t); cfg.SMTP != nil || cfg.smtpAttr() == "" {
		t.Errorf("by default: relay %v", cfg.SMTP)
	}
	cfg := withConfig(t, "AULA_SMTP_URL", "smtp://aula:s3cr%C3%A9t@mail.example.org?tls=required", "AULA_MAIL_FROM", "Aula ILSS <aula@ilss.example.org>")
	if cfg.SMTP == nil || cfg.smtpAttr() != "smtp://mail.example.org:587 (STARTTLS required)" {
		t.Errorf("relay %q", cfg.smtpAttr())
	}
	if cfg := withConfig(t, "AULA_SMTP_URL", "smtps://mail.example.org", "AULA_MAIL_FROM", "aula@ilss.example.org"); cfg.smtpAttr() != "smtps://mail.example.org:465 (TLS)" {
		t.Errorf("smtps relay %q", cfg.smtpAttr())
	}
	for _, tc := range []struct{ url, from, names string }{
		{"smtp://mail.example.org", "", "AULA_MAIL_FROM"},
		{"http://mail.example.org", "aula@ilss.example.org", "AULA_SMTP_URL"},
		{"smtp://mail.example.org?tls=maybe", "aula@ilss.example.org", "AULA_SMTP_URL"},
		{"smtp://mail.example.org:99999", "aula@ilss.example.org", "AULA_SMTP_URL"},
		{"", "not an address", "AULA_MAIL_FROM"},
	} {
		withConfig(t)
		t.Setenv("AULA_SMTP_URL", tc.url)
		t.Setenv("AULA_MAIL_FROM", tc.from)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), tc.names) {
			t.Errorf("AULA_SMTP_URL=%q AULA_MAIL_FROM=%q: %v, want an error naming %s", tc.url, tc.from, err, tc.names)
		}
	}
}
