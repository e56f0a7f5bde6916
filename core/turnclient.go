package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/pion/stun/v4"
)

// ICEServerSettings are OmniRTC's own options of one iceServers entry, under
// its "omnirtc" key.
type ICEServerSettings struct {
	// CACertificates is PEM text of the certificate authorities a turns:
	// server's certificate must chain to, instead of the system's roots
	// (for a private or self-signed server certificate). Verification stays on.
	CACertificates string `json:"caCertificates"`
}

// turnDialTimeout bounds connecting to a TCP or TLS TURN server.
const turnDialTimeout = 10 * time.Second

// turnDialer connects pion's ICE agent to TCP TURN servers (turn: with
// ?transport=tcp and turns:) when some turns: server has its own CAs; pion
// would otherwise verify turns: against the system roots only. It is the
// agent's proxy dialer, so it sees addresses only: tlsByAddr says which are
// turns: servers.
type turnDialer struct {
	tlsByAddr map[string]*tls.Config
}

// newTURNDialer returns nil when no iceServers entry needs it.
func newTURNDialer(servers []ICEServer) (*turnDialer, error) {
	d := &turnDialer{tlsByAddr: map[string]*tls.Config{}}
	custom := false
	for i, s := range servers {
		var roots *x509.CertPool
		if s.Engine != nil && s.Engine.CACertificates != "" {
			roots = x509.NewCertPool()
			if !roots.AppendCertsFromPEM([]byte(s.Engine.CACertificates)) {
				return nil, fmt.Errorf("key \"iceServers[%d].omnirtc.caCertificates\": no PEM certificate found", i)
			}
			custom = true
		}
		for _, raw := range s.URLs {
			u, err := stun.ParseURI(raw)
			if err != nil || u.Scheme != stun.SchemeTypeTURNS {
				continue // pion reports bad URLs itself
			}
			addr := net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
			d.tlsByAddr[addr] = &tls.Config{ServerName: u.Host, RootCAs: roots, MinVersion: tls.VersionTLS12}
		}
	}
	if !custom {
		return nil, nil //nolint:nilnil // nil dialer: pion dials itself
	}

	return d, nil
}

// Dial implements golang.org/x/net/proxy.Dialer.
func (d *turnDialer) Dial(network, addr string) (net.Conn, error) {
	dialCtx, cancelDial := context.WithTimeout(context.Background(), turnDialTimeout)
	defer cancelDial()
	conn, err := (&net.Dialer{}).DialContext(dialCtx, network, addr)
	if err != nil {
		return nil, err
	}
	cfg, ok := d.tlsByAddr[addr]
	if !ok {
		return conn, nil
	}
	tlsConn := tls.Client(conn, cfg)
	handshakeCtx, cancelHandshake := context.WithTimeout(context.Background(), turnDialTimeout)
	defer cancelHandshake()
	if err := tlsConn.HandshakeContext(handshakeCtx); err != nil {
		_ = conn.Close()

		return nil, err
	}

	return tlsConn, nil
}
