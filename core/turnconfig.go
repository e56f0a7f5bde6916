package core

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
)

// TURNServerConfig is the JSON configuration of a built-in TURN/STUN server.
type TURNServerConfig struct {
	// Listeners are the addresses clients reach the server on.
	Listeners []TURNListener `json:"listeners"`
	// Realm is the long-term credential realm (default "omnirtc").
	Realm string `json:"realm"`
	// Relay says where relayed transport addresses are opened.
	Relay TURNRelay `json:"relay"`
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

// TURNListener is one address the server listens on.
type TURNListener struct {
	// Transport is "udp", "tcp" or "tls".
	Transport string `json:"transport"`
	// Address is "ip:port"; port 0 picks a free port (see the stats).
	Address string `json:"address"`
	// Certificate and PrivateKey are PEM text, for "tls" only.
	Certificate string `json:"certificate"`
	PrivateKey  string `json:"privateKey"`
}

// TURNRelay configures the relayed transport addresses.
type TURNRelay struct {
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
	defaultTURNRealm        = "omnirtc"
	defaultTURNLifetimeSec  = 600
	maxTURNLifetimeSec      = 3600
	defaultTURNRelayMinPort = 49152
	defaultTURNRelayMaxPort = 65535
	turnTransportUDP        = "udp"
	turnTransportTCP        = "tcp"
	turnTransportTLS        = "tls"
)

var errTURNNoListeners = errors.New(`key "listeners": at least one listener is required`)

// ParseTURNServerConfig decodes a TURN server configuration strictly:
// unknown keys, wrong types and bad values are errors naming the key.
func ParseTURNServerConfig(text []byte) (TURNServerConfig, error) {
	var cfg TURNServerConfig
	if len(text) > MaxConfigurationSize {
		return cfg, wrap(ErrTooLarge, fmt.Errorf("TURN server configuration is %d bytes, over the %d-byte limit",
			len(text), MaxConfigurationSize))
	}
	if err := decodeStrict(text, &cfg); err != nil {
		return cfg, wrap(ErrInvalidConfig, fmt.Errorf("TURN server configuration: %w", err))
	}
	if err := cfg.validate(); err != nil {
		return cfg, wrap(ErrInvalidConfig, fmt.Errorf("TURN server configuration: %w", err))
	}

	return cfg, nil
}

func (c *TURNServerConfig) validate() error {
	if len(c.Listeners) == 0 {
		return errTURNNoListeners
	}
	for i, l := range c.Listeners {
		if err := l.validate(); err != nil {
			return fmt.Errorf("key \"listeners[%d].%w", i, err)
		}
	}
	if c.Realm == "" {
		c.Realm = defaultTURNRealm
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
		lifetime := defaultTURNLifetimeSec
		c.AllocationLifetimeSec = &lifetime
	}
	if l := *c.AllocationLifetimeSec; l < 1 || l > maxTURNLifetimeSec {
		return fmt.Errorf("key \"allocationLifetimeSec\": %d is outside 1..%d", l, maxTURNLifetimeSec)
	}

	return nil
}

// validate reports errors as `<field>": message`, after the caller's key prefix.
func (l *TURNListener) validate() error {
	switch l.Transport {
	case turnTransportUDP, turnTransportTCP:
		if l.Certificate != "" || l.PrivateKey != "" {
			return errors.New(`certificate": only a "tls" listener takes a certificate`)
		}
	case turnTransportTLS:
		if _, err := tls.X509KeyPair([]byte(l.Certificate), []byte(l.PrivateKey)); err != nil {
			return fmt.Errorf(`certificate": not a usable PEM certificate and private key: %w`, err)
		}
	default:
		return fmt.Errorf(`transport": %s is not one of udp, tcp, tls`, quote(l.Transport))
	}
	if _, _, err := net.SplitHostPort(l.Address); err != nil {
		return fmt.Errorf(`address": %s is not "ip:port"`, quote(l.Address))
	}

	return nil
}

func (r *TURNRelay) validate() error {
	if net.ParseIP(r.Address) == nil {
		return fmt.Errorf("key \"relay.address\": %s is not an IP address", quote(r.Address))
	}
	if r.BindAddress == "" {
		r.BindAddress = r.Address
	}
	if net.ParseIP(r.BindAddress) == nil {
		return fmt.Errorf("key \"relay.bindAddress\": %s is not an IP address", quote(r.BindAddress))
	}
	minPort, maxPort := uint16(defaultTURNRelayMinPort), uint16(defaultTURNRelayMaxPort)
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

// splitRESTUsername splits a time-limited username "expiry:user" (or just
// "expiry") into its parts; ok is false when it has no numeric expiry.
func splitRESTUsername(username string) (expiry int64, user string, ok bool) {
	stamp, user, _ := strings.Cut(username, ":")
	if stamp == "" {
		return 0, "", false
	}
	for _, r := range stamp {
		if r < '0' || r > '9' {
			return 0, "", false
		}
	}
	if _, err := fmt.Sscan(stamp, &expiry); err != nil {
		return 0, "", false
	}

	return expiry, user, true
}
