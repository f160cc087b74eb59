// Package notify sends the site's e-mail: moderators hear about held
// comments, commenters who asked to hear about replies get them. Mail goes
// through an outbox table, so each message is sent once even with several
// processes, and a mail server that is down delays mail without losing it.
package notify

import (
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Mailer delivers messages to an SMTP server.
type Mailer struct {
	addr     string // host:port
	host     string
	from     string
	auth     smtp.Auth
	implicit bool // TLS from the first byte (port 465)
	starttls bool // upgrade with STARTTLS when offered
}

// ParseURL reads MARQUEE_SMTP_URL: smtp://user:pass@host:587?from=blog@example.org
// (tls=none to refuse encryption on a trusted network, smtps:// for TLS on
// connect). An empty string means no mail: (nil, nil).
func ParseURL(s string) (*Mailer, error) {
	if s == "" {
		return nil, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("MARQUEE_SMTP_URL must look like smtp://user:password@host:587?from=blog@example.org")
	}
	from := u.Query().Get("from")
	if a, err := mail.ParseAddress(from); err != nil || a.Address == "" {
		return nil, fmt.Errorf("MARQUEE_SMTP_URL needs ?from=address (the sender of the site's mail)")
	}
	port := u.Port()
	if port == "" {
		port = "587"
		if u.Scheme == "smtps" {
			port = "465"
		}
	}
	m := &Mailer{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from,
		implicit: u.Scheme == "smtps", starttls: u.Query().Get("tls") != "none"}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}

// Host is the mail server's name, for the privacy page.
func (m *Mailer) Host() string { return m.host }

// Message is one e-mail.
type Message struct {
	To          string
	Subject     string
	Body        string
	Unsubscribe string // one-click unsubscribe URL, when the mail is a subscription
}

// Send delivers one message.
func (m *Mailer) Send(msg Message) error {
	var c *smtp.Client
	var err error
	dialer := &net.Dialer{Timeout: 15 * time.Second}
	if m.implicit {
		conn, err := tls.DialWithDialer(dialer, "tcp", m.addr, &tls.Config{ServerName: m.host})
		if err != nil {
			return err
		}
		c, err = smtp.NewClient(conn, m.host)
		if err != nil {
			return err
		}
	} else {
		conn, err := dialer.Dial("tcp", m.addr)
		if err != nil {
			return err
		}
		conn.SetDeadline(time.Now().Add(60 * time.Second))
		if c, err = smtp.NewClient(conn, m.host); err != nil {
			return err
		}
	}
	defer c.Close()
	if err = c.Hello("localhost"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok && m.starttls && !m.implicit {
		if err = c.StartTLS(&tls.Config{ServerName: m.host}); err != nil {
			return err
		}
	}
	if m.auth != nil {
		if err = c.Auth(m.auth); err != nil {
			return err
		}
	}
	if err = c.Mail(m.from); err != nil {
		return err
	}
	if err = c.Rcpt(msg.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err = w.Write(m.format(msg)); err != nil {
		return err
	}
	if err = w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// format writes the message with headers, as plain UTF-8 text.
func (m *Mailer) format(msg Message) []byte {
	var b strings.Builder
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.from)
	h("To", msg.To)
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "8bit")
	h("Auto-Submitted", "auto-generated")
	if msg.Unsubscribe != "" {
		h("List-Unsubscribe", "<"+msg.Unsubscribe+">")
		h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	// A line holding a single dot would end the message early.
	body = strings.ReplaceAll(body, "\r\n.\r\n", "\r\n..\r\n")
	b.WriteString(body)
	return []byte(b.String())
}
