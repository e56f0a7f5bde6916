package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pion/stun/v4"
)

// MaxConfigurationSize bounds the configuration text accepted from callers.
const MaxConfigurationSize = 1 << 20

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
}

// ICEServer mirrors W3C RTCIceServer.
type ICEServer struct {
	URLs           StringList `json:"urls"`
	Username       string     `json:"username"`
	Credential     string     `json:"credential"`
	CredentialType string     `json:"credentialType"`
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
}

// ParseConfiguration decodes configuration JSON strictly: unknown keys, wrong
// types and out-of-range values are errors that name the key. Empty text is
// the default configuration.
func ParseConfiguration(text []byte) (Configuration, error) {
	var cfg Configuration
	if len(text) > MaxConfigurationSize {
		return cfg, wrap(ErrTooLarge, fmt.Errorf("configuration is %d bytes, over the %d-byte limit",
			len(text), MaxConfigurationSize))
	}
	if err := decodeStrict(text, &cfg); err != nil {
		return cfg, wrap(ErrInvalidConfig, fmt.Errorf("configuration: %w", err))
	}
	if err := cfg.validate(); err != nil {
		return cfg, wrap(ErrInvalidConfig, fmt.Errorf("configuration: %w", err))
	}

	return cfg, nil
}

// decodeStrict decodes one JSON object into v, rejecting unknown keys and
// trailing data. Empty or all-whitespace text leaves v unchanged. Text that
// is not UTF-8 is refused (encoding/json would silently replace the bad
// bytes, changing a username or protocol behind the caller's back).
func decodeStrict(text []byte, v any) error {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	if !utf8.Valid(text) {
		return errors.New("malformed JSON: the text is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}

	return nil
}

// describeJSONError turns encoding/json errors into messages that name the
// key the way the user wrote it.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Errorf("expected a JSON object, got %s", typeErr.Value)
		}

		return fmt.Errorf("key %q: expected %s, got %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()),
			typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d: %w", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key, unquoteErr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if unquoteErr != nil {
			return err
		}

		return fmt.Errorf("unknown key %s", quote(key))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: unexpected end of input")
	default:
		return err
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a number in range (" + kind + ")"
	}
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
	for _, check := range checks {
		if !contains(check.allowed, check.value) {
			return fmt.Errorf("key %q: %s is not one of %s", check.key, quote(check.value),
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
			return fmt.Errorf("key \"omnirtc.networkTypes\": unknown network type %s", quote(nt))
		}
	}
	if c.Engine.Interceptors != nil {
		for _, name := range *c.Engine.Interceptors {
			if _, ok := interceptorNames[name]; !ok {
				return fmt.Errorf("key \"omnirtc.interceptors\": unknown interceptor %s", quote(name))
			}
		}
	}
	if err := c.Engine.validateAddresses(); err != nil {
		return err
	}
	if err := c.Engine.validateJitterBuffer(); err != nil {
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
// and the port it would take out of range.
func (s *ICEServer) validateURLs() error {
	for _, raw := range s.URLs {
		u, err := stun.ParseURI(raw)
		switch {
		case err != nil:
			return fmt.Errorf("%s: %w", quote(raw), err)
		case u.Port < 1 || u.Port > 65535:
			return fmt.Errorf("%s: port %d is outside 1..65535", quote(raw), u.Port)
		case (u.Scheme == stun.SchemeTypeTURN || u.Scheme == stun.SchemeTypeTURNS) &&
			(s.Username == "" || s.Credential == ""):
			return fmt.Errorf("%s: a TURN server needs \"username\" and \"credential\"", quote(raw))
		}
	}

	return nil
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
			return fmt.Errorf("key \"omnirtc.ips\": %s is not an IP address", quote(ip))
		}
		s.IPs[i] = parsed.String() // the form the filter compares with
	}
	for _, mapping := range s.NAT1To1IPs {
		// "external" or "external/local", as pion takes them.
		external, local, mapped := strings.Cut(mapping, "/")
		if net.ParseIP(external) == nil || (mapped && net.ParseIP(local) == nil) {
			return fmt.Errorf("key \"omnirtc.nat1to1IPs\": %s is not an IP address or \"external/local\" pair of them",
				quote(mapping))
		}
	}

	return nil
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
