// Package turnserver is OmniRTC's built-in TURN/STUN server on pion/turn:
// UDP, TCP and TLS listeners, static, REST (coturn's use-auth-secret) and
// host-supplied credentials, per-user quotas, counters, and allocation events
// delivered in order to one handler.
package turnserver

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// Config is the JSON configuration of a built-in TURN/STUN server.
type Config struct {
	// Listeners are the addresses clients reach the server on.
	Listeners []Listener `json:"listeners"`
	// Realm is the long-term credential realm (default "omnirtc").
	Realm string `json:"realm"`
	// Relay says where relayed transport addresses are opened.
	Relay Relay `json:"relay"`
	// Users are static long-term credentials: username to password.
	Users map[string]string `json:"users"`
	// SharedSecret enables time-limited REST credentials as coturn's
	// use-auth-secret: username "expiry:user" (expiry in Unix seconds),
	// password base64(HMAC-SHA1(secret, username)).
	SharedSecret string `json:"sharedSecret"`
	// UserQuota is the most allocations one user may hold at once (0: no limit).
	UserQuota int `json:"userQuota"`
	// AllocationLifetimeSec is the lifetime of an allocation that is not
	// refreshed (default 600; clients may ask for less, at most 3600).
	// Absent is the default; given, it must be in range (0 too).
	AllocationLifetimeSec *int `json:"allocationLifetimeSec"`
}

// Listener is one address the server listens on.
type Listener struct {
	// Transport is "udp", "tcp" or "tls".
	Transport string `json:"transport"`
	// Address is "ip:port"; port 0 picks a free port (see the stats).
	Address string `json:"address"`
	// Certificate and PrivateKey are PEM text, for "tls" only.
	Certificate string `json:"certificate"`
	PrivateKey  string `json:"privateKey"`
}

// Relay configures the relayed transport addresses.
type Relay struct {
	// Address is the IP put in relayed candidates: the server's address as
	// the peers reach it. Required.
	Address string `json:"address"`
	// BindAddress is the local IP relay sockets bind to (default: Address).
	BindAddress string `json:"bindAddress"`
	// MinPort and MaxPort bound the relay ports (default 49152..65535);
	// absent is the default, 0 an error.
	MinPort *uint16 `json:"minPort"`
	MaxPort *uint16 `json:"maxPort"`
}

const (
	defaultRealm        = "omnirtc"
	defaultLifetimeSec  = 600
	maxLifetimeSec      = 3600
	defaultRelayMinPort = 49152
	defaultRelayMaxPort = 65535
	transportUDP        = "udp"
	transportTCP        = "tcp"
	transportTLS        = "tls"
)

var errNoListeners = errors.New(`key "listeners": at least one listener is required`)

// ParseConfig decodes a TURN server configuration strictly:
// unknown keys, wrong types and bad values are errors naming the key.
func ParseConfig(text []byte) (Config, error) {
	var cfg Config
	err := strictjson.DecodeConfig("TURN server configuration", text, &cfg, cfg.validate)

	return cfg, err
}

func (c *Config) validate() error {
	if len(c.Listeners) == 0 {
		return errNoListeners
	}
	for i, l := range c.Listeners {
		if err := l.validate(); err != nil {
			return fmt.Errorf("key \"listeners[%d].%w", i, err)
		}
	}
	if c.Realm == "" {
		c.Realm = defaultRealm
	}
	if err := c.Relay.validate(); err != nil {
		return err
	}
	for user := range c.Users {
		if user == "" {
			return errors.New(`key "users": a username may not be empty`)
		}
	}
	if c.UserQuota < 0 {
		return fmt.Errorf("key \"userQuota\": %d is negative", c.UserQuota)
	}
	if c.AllocationLifetimeSec == nil {
		lifetime := defaultLifetimeSec
		c.AllocationLifetimeSec = &lifetime
	}
	if l := *c.AllocationLifetimeSec; l < 1 || l > maxLifetimeSec {
		return fmt.Errorf("key \"allocationLifetimeSec\": %d is outside 1..%d", l, maxLifetimeSec)
	}

	return nil
}

// validate reports errors as `<field>": message`, after the caller's key prefix.
func (l *Listener) validate() error {
	switch l.Transport {
	case transportUDP, transportTCP:
		if l.Certificate != "" || l.PrivateKey != "" {
			return errors.New(`certificate": only a "tls" listener takes a certificate`)
		}
	case transportTLS:
		if _, err := tls.X509KeyPair([]byte(l.Certificate), []byte(l.PrivateKey)); err != nil {
			return fmt.Errorf(`certificate": not a usable PEM certificate and private key: %w`, err)
		}
	default:
		return fmt.Errorf(`transport": %s is not one of udp, tcp, tls`, rtcerr.Quote(l.Transport))
	}
	if _, _, err := net.SplitHostPort(l.Address); err != nil {
		return fmt.Errorf(`address": %s is not "ip:port"`, rtcerr.Quote(l.Address))
	}

	return nil
}

func (r *Relay) validate() error {
	if net.ParseIP(r.Address) == nil {
		return fmt.Errorf("key \"relay.address\": %s is not an IP address", rtcerr.Quote(r.Address))
	}
	if r.BindAddress == "" {
		r.BindAddress = r.Address
	}
	if net.ParseIP(r.BindAddress) == nil {
		return fmt.Errorf("key \"relay.bindAddress\": %s is not an IP address", rtcerr.Quote(r.BindAddress))
	}
	minPort, maxPort := uint16(defaultRelayMinPort), uint16(defaultRelayMaxPort)
	if r.MinPort != nil {
		minPort = *r.MinPort
	}
	if r.MaxPort != nil {
		maxPort = *r.MaxPort
	}
	if minPort == 0 || maxPort < minPort {
		return fmt.Errorf("key \"relay.minPort\": need 0 < minPort <= maxPort, got %d..%d", minPort, maxPort)
	}
	r.MinPort, r.MaxPort = &minPort, &maxPort

	return nil
}
