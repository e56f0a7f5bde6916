package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/stun/v4"
	"github.com/pion/webrtc/v4"
)

// Configuration mirrors W3C RTCConfiguration, plus engine settings under
// "omnirtc".
type Configuration struct {
	ICEServers           []ICEServer    `json:"iceServers"`
	ICETransportPolicy   string         `json:"iceTransportPolicy"`
	BundlePolicy         string         `json:"bundlePolicy"`
	RTCPMuxPolicy        string         `json:"rtcpMuxPolicy"`
	Certificates         []string       `json:"certificates"`
	ICECandidatePoolSize uint8          `json:"iceCandidatePoolSize"`
	Engine               EngineSettings `json:"omnirtc"`

	given []byte // the JSON text it was parsed from (GivenJSON)
}

// ICEServer mirrors W3C RTCIceServer.
type ICEServer struct {
	URLs StringList `json:"urls"`
	// Username and Credential are nil when omitted, which a TURN URL refuses
	// (W3C webrtc-pc 4.2); empty strings are taken.
	Username       *string `json:"username"`
	Credential     *string `json:"credential"`
	CredentialType string  `json:"credentialType"`
	// Engine holds OmniRTC's own options for this server.
	Engine *ICEServerSettings `json:"omnirtc"`
}

// StringList accepts a JSON string or an array of strings, as "urls" does.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = StringList{one}

		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New(`key "iceServers[].urls": must be a string or an array of strings`)
	}
	*l = many

	return nil
}

// PortRange is an inclusive range of UDP ports.
type PortRange struct {
	Min uint16 `json:"min"`
	Max uint16 `json:"max"`
}

// EngineSettings are OmniRTC's own options, beyond RTCConfiguration.
type EngineSettings struct {
	PortRange                *PortRange `json:"portRange"`
	UDPMuxPort               *uint16    `json:"udpMuxPort"`
	TCPMuxPort               *uint16    `json:"tcpMuxPort"`
	NetworkTypes             []string   `json:"networkTypes"`
	Interfaces               []string   `json:"interfaces"`
	IPs                      []string   `json:"ips"`
	NAT1To1IPs               []string   `json:"nat1to1IPs"`
	NAT1To1CandidateType     string     `json:"nat1to1CandidateType"`
	MDNS                     string     `json:"mdns"`
	IncludeLoopback          bool       `json:"includeLoopback"`
	ICEDisconnectedTimeoutMs *uint32    `json:"iceDisconnectedTimeoutMs"`
	ICEFailedTimeoutMs       *uint32    `json:"iceFailedTimeoutMs"`
	ICEKeepaliveIntervalMs   *uint32    `json:"iceKeepaliveIntervalMs"`
	SCTPMaxMessageSize       *uint32    `json:"sctpMaxMessageSize"`
	UDPBufferSize            *uint32    `json:"udpBufferSize"`
	Interceptors             *[]string  `json:"interceptors"`

	// JitterBuffer sets the "jitterBuffer" interceptor's options.
	JitterBuffer *JitterBufferSettings `json:"jitterBuffer"`
	// ULPFEC sets the "ulpfec" interceptor's options.
	ULPFEC *ULPFECSettings `json:"ulpfec"`
}

// ParseConfiguration decodes configuration JSON strictly: unknown keys, wrong
// types and out-of-range values are errors that name the key. Empty text is
// the default configuration.
func ParseConfiguration(text []byte) (Configuration, error) {
	var cfg Configuration
	err := strictjson.DecodeConfig("configuration", text, &cfg, func() error {
		if err := refuseNulls(text); err != nil {
			return err
		}

		return cfg.validate()
	})
	cfg.given = slices.Clone(text)

	return cfg, err
}

// nonNullKeys are the RTCConfiguration members whose WebIDL types (enums,
// sequences) take no null: JSON null for one is a TypeError in a browser,
// where encoding/json would silently read it as "not given".
var nonNullKeys = []string{"iceServers", "iceTransportPolicy", "bundlePolicy", "rtcpMuxPolicy", "certificates"}

func refuseNulls(text []byte) error {
	var top map[string]json.RawMessage
	_ = json.Unmarshal(text, &top) // blank text leaves it empty; bad text failed to decode already
	for _, key := range nonNullKeys {
		if string(top[key]) == "null" {
			return fmt.Errorf("key %q: null is not allowed", key)
		}
	}

	return nil
}

func (c *Configuration) validate() error {
	checks := []struct {
		key, value string
		allowed    []string
	}{
		{"iceTransportPolicy", c.ICETransportPolicy, []string{"", "all", "relay"}},
		{"bundlePolicy", c.BundlePolicy, []string{"", "balanced", "max-compat", "max-bundle"}},
		{"rtcpMuxPolicy", c.RTCPMuxPolicy, []string{"", "require"}},
		{"omnirtc.mdns", c.Engine.MDNS, []string{"", "disabled", "query", "gather"}},
		{"omnirtc.nat1to1CandidateType", c.Engine.NAT1To1CandidateType, []string{"", "host", "srflx"}},
	}
	if c.RTCPMuxPolicy == "negotiate" { // dropped from the W3C enum; browsers may refuse it so
		return rtcerr.Wrap(rtcerr.ErrNotSupported, errors.New(`key "rtcpMuxPolicy": "negotiate" is not supported`))
	}
	for _, check := range checks {
		if !contains(check.allowed, check.value) {
			return fmt.Errorf("key %q: %s is not one of %s", check.key, rtcerr.Quote(check.value),
				strings.Join(check.allowed[1:], ", "))
		}
	}
	for i, server := range c.ICEServers {
		if len(server.URLs) == 0 {
			return fmt.Errorf("key \"iceServers[%d].urls\": at least one URL is required", i)
		}
		if !contains([]string{"", "password"}, server.CredentialType) {
			return fmt.Errorf("key \"iceServers[%d].credentialType\": only \"password\" is supported", i)
		}
		if err := server.validateURLs(); err != nil {
			return fmt.Errorf("key \"iceServers[%d].urls\": %w", i, err)
		}
	}
	for _, nt := range c.Engine.NetworkTypes {
		if _, ok := networkTypes[nt]; !ok {
			return fmt.Errorf("key \"omnirtc.networkTypes\": unknown network type %s", rtcerr.Quote(nt))
		}
	}
	if c.Engine.Interceptors != nil {
		for _, name := range *c.Engine.Interceptors {
			if _, ok := interceptorNames[name]; !ok {
				return fmt.Errorf("key \"omnirtc.interceptors\": unknown interceptor %s", rtcerr.Quote(name))
			}
		}
	}
	if err := c.Engine.validateAddresses(); err != nil {
		return err
	}
	if err := c.Engine.validateJitterBuffer(); err != nil {
		return err
	}
	if err := c.Engine.validateULPFEC(); err != nil {
		return err
	}
	if r := c.Engine.PortRange; r != nil && (r.Min == 0 || r.Max < r.Min) {
		return fmt.Errorf("key \"omnirtc.portRange\": need 0 < min <= max, got %d..%d", r.Min, r.Max)
	}
	if s := c.Engine.SCTPMaxMessageSize; s != nil && *s < 1024 {
		return fmt.Errorf("key \"omnirtc.sctpMaxMessageSize\": %d is below the 1024-byte minimum", *s)
	}

	return nil
}

// validateURLs checks what pion would refuse later without naming the URL,
// and the port it would take out of range, with the kinds W3C webrtc-pc 4.2
// names: a URL that does not parse is a SyntaxError, a TURN URL without
// username or credential an InvalidAccessError.
func (s *ICEServer) validateURLs() error {
	for _, raw := range s.URLs {
		u, err := stun.ParseURI(raw)
		switch {
		case err != nil:
			return rtcerr.Wrap(rtcerr.ErrInvalidSyntax, fmt.Errorf("%s: %w", rtcerr.Quote(raw), err))
		case u.Port < 1 || u.Port > 65535:
			return rtcerr.Wrap(rtcerr.ErrInvalidSyntax, fmt.Errorf("%s: port %d is outside 1..65535", rtcerr.Quote(raw), u.Port))
		case isTURN(u) && (s.Username == nil || s.Credential == nil):
			return rtcerr.Wrap(rtcerr.ErrInvalidAccess,
				fmt.Errorf("%s: a TURN server needs \"username\" and \"credential\"", rtcerr.Quote(raw)))
		}
	}

	return nil
}

func isTURN(u *stun.URI) bool {
	return u.Scheme == stun.SchemeTypeTURN || u.Scheme == stun.SchemeTypeTURNS
}

// pionServer is s as pion takes it. pion refuses a TURN URL with an empty
// username, which W3C webrtc-pc 4.2 accepts; such a URL stays in the
// configuration but is not used to gather (it could not authenticate).
func (s *ICEServer) pionServer() webrtc.ICEServer {
	out := webrtc.ICEServer{}
	if s.Username != nil {
		out.Username = *s.Username
	}
	if s.Credential != nil {
		out.Credential = *s.Credential
	}
	for _, raw := range s.URLs {
		if u, err := stun.ParseURI(raw); err == nil && isTURN(u) && out.Username == "" {
			continue
		}
		out.URLs = append(out.URLs, raw)
	}

	return out
}

// validateAddresses refuses interface names and IPs that could never match:
// pion would take them and silently gather nothing, or fail later.
func (s *EngineSettings) validateAddresses() error {
	if slices.Contains(s.Interfaces, "") {
		return errors.New(`key "omnirtc.interfaces": "" is not an interface name`)
	}
	for i, ip := range s.IPs {
		parsed := net.ParseIP(ip)
		if parsed == nil {
			return fmt.Errorf("key \"omnirtc.ips\": %s is not an IP address", rtcerr.Quote(ip))
		}
		s.IPs[i] = parsed.String() // the form the filter compares with
	}
	for _, mapping := range s.NAT1To1IPs {
		// "external" or "external/local", as pion takes them.
		external, local, mapped := strings.Cut(mapping, "/")
		if net.ParseIP(external) == nil || (mapped && net.ParseIP(local) == nil) {
			return fmt.Errorf("key \"omnirtc.nat1to1IPs\": %s is not an IP address or \"external/local\" pair of them",
				rtcerr.Quote(mapping))
		}
	}

	return nil
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
