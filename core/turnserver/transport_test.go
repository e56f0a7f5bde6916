package turnserver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"
)

// selfSignedPEM makes a certificate for 127.0.0.1 and its key, both PEM.
func selfSignedPEM(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "omnirtc-turn-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	must(t, err)

	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

// TestTURNServerEventsNameTheClientTransport: an allocation's event says the
// transport of the listener it came in on, UDP or TCP (TLS runs over TCP),
// not pion's fixed "UDP"; its deletion says the same.
func TestServerEventsNameTheClientTransport(t *testing.T) {
	certPEM, keyPEM := selfSignedPEM(t)
	listeners, _ := json.Marshal([]map[string]string{
		{"transport": "udp", "address": "127.0.0.1:0"},
		{"transport": "tcp", "address": "127.0.0.1:0"},
		{"transport": "tls", "address": "127.0.0.1:0", "certificate": certPEM, "privateKey": keyPEM},
	})
	cfg, err := ParseConfig([]byte(`{"listeners":` + string(listeners) + `,
		"relay":{"address":"127.0.0.1","minPort":50000,"maxPort":50999},"users":{"alice":"wonder"}}`))
	must(t, err)
	events := &recordedEvents{}
	server, err := New(cfg, nil, events.handle, logging.NewDefaultLoggerFactory())
	must(t, err)
	defer func() { _ = server.Close() }()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM([]byte(certPEM))
	want := map[string]string{"udp": "UDP", "tcp": "TCP", "tls": "TCP"}
	clients := map[string]string{} // client address -> listener transport
	for _, l := range server.listeners {
		var conn net.PacketConn
		switch l.Transport {
		case "udp":
			conn, err = net.ListenPacket("udp4", "127.0.0.1:0") //nolint:noctx
		case "tcp":
			var c net.Conn
			c, err = net.Dial("tcp", l.Address) //nolint:noctx
			if err == nil {
				conn = turn.NewSTUNConn(c)
			}
		case "tls":
			var c net.Conn
			c, err = tls.Dial("tcp", l.Address, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}) //nolint:noctx
			if err == nil {
				conn = turn.NewSTUNConn(c)
			}
		}
		must(t, err)
		client, err := turn.NewClient(&turn.ClientConfig{
			STUNServerAddr: l.Address, TURNServerAddr: l.Address, Conn: conn,
			Username: "alice", Password: "wonder", Realm: "omnirtc", RTO: 200 * time.Millisecond,
		})
		must(t, err)
		must(t, client.Listen())
		relay, err := client.Allocate()
		if err != nil {
			t.Fatalf("allocate over %s: %v", l.Transport, err)
		}
		local := conn.LocalAddr().String()
		clients[local] = l.Transport
		defer func() {
			_ = relay.Close()
			client.Close()
			_ = conn.Close()
		}()
	}
	must(t, server.Close())
	events.mu.Lock()
	defer events.mu.Unlock()
	seen := map[EventType]int{}
	for _, e := range events.events {
		seen[e.Type]++
		if e.Type == EventClosed {
			continue
		}
		transport, ok := clients[e.ClientAddress]
		if !ok {
			t.Fatalf("event for an unknown client: %+v", e)
		}
		if e.Protocol != want[transport] {
			t.Errorf("%s listener: event %v says protocol %q, want %q", transport, e.Type, e.Protocol, want[transport])
		}
	}
	if seen[EventAllocationCreated] != 3 || seen[EventAllocationDeleted] != 3 {
		t.Fatalf("events: %+v", events.events)
	}
}
