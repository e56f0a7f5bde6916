package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestParseConfigurationAcceptsW3CAndEngineKeys(t *testing.T) {
	cfg, err := ParseConfiguration([]byte(`{
		"iceServers":[{"urls":"stun:127.0.0.1:3478"},{"urls":["turn:127.0.0.1:3478?transport=tcp"],"username":"u","credential":"p"}],
		"iceTransportPolicy":"relay","bundlePolicy":"max-bundle","rtcpMuxPolicy":"require","iceCandidatePoolSize":2,
		"omnirtc":{"portRange":{"min":40000,"max":40100},"networkTypes":["udp4","tcp4"],"mdns":"disabled",
		"includeLoopback":true,"iceDisconnectedTimeoutMs":1000,"sctpMaxMessageSize":1048576,"interceptors":["nack"]}}`))
	must(t, err)
	if len(cfg.ICEServers) != 2 || cfg.ICEServers[1].URLs[0] != "turn:127.0.0.1:3478?transport=tcp" {
		t.Fatalf("iceServers: %+v", cfg.ICEServers)
	}
	if cfg.Engine.PortRange.Max != 40100 || *cfg.Engine.SCTPMaxMessageSize != 1048576 {
		t.Fatalf("engine: %+v", cfg.Engine)
	}
	eng, err := newEngine(cfg, NewLogSink())
	must(t, err)
	eng.release()
}

func TestParseConfigurationErrorsNameTheKey(t *testing.T) {
	for text, key := range map[string]string{
		`{"iceServers":[{"url":"stun:x"}]}`:                           `"url"`,
		`{"omnirtc":{"udpMuxPort":-1}}`:                               "udpMuxPort",
		`{"omnirtc":{"mdns":"loud"}}`:                                 "omnirtc.mdns",
		`{"iceServers":[{"urls":[]}]}`:                                "iceServers[0].urls",
		`{"omnirtc":{"sctpMaxMessageSize":10}}`:                       "sctpMaxMessageSize",
		`{"iceServers":[{"urls":"stun:x","credentialType":"oauth"}]}`: "credentialType",
		`{"omnirtc":{"ips":["999.1.1.1"]}}`:                           `"omnirtc.ips": "999.1.1.1"`,
		`{"omnirtc":{"nat1to1IPs":["x"]}}`:                            `"omnirtc.nat1to1IPs": "x"`,
		`{"omnirtc":{"nat1to1IPs":["203.0.113.7/10.0.0"]}}`:           `"omnirtc.nat1to1IPs": "203.0.113.7/10.0.0"`,
		`{"omnirtc":{"interfaces":[""]}}`:                             `"omnirtc.interfaces": ""`,
		`{"bundlePolicy":null}`:                                       `"bundlePolicy": null`,
		`{"iceServers":null}`:                                         `"iceServers": null`,
		`{"rtcpMuxPolicy":"sometimes"}`:                               `"rtcpMuxPolicy"`,
	} {
		_, err := ParseConfiguration([]byte(text))
		if !errors.Is(err, rtcerr.ErrInvalidConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: got %v, want an invalid-config error naming %s", text, err, key)
		}
	}
}

// W3C webrtc-pc 4.2 and 4.4.1.1: the kinds the constructor throws.
func TestParseConfigurationW3CKinds(t *testing.T) {
	for text, want := range map[string]struct {
		kind error
		key  string
	}{
		`{"iceServers":[{"urls":""}]}`:                                                     {rtcerr.ErrInvalidSyntax, `"iceServers[0].urls": ""`},
		`{"iceServers":[{"urls":"stun.example.org"}]}`:                                     {rtcerr.ErrInvalidSyntax, `"stun.example.org"`},
		`{"iceServers":[{"urls":"http://x"}]}`:                                             {rtcerr.ErrInvalidSyntax, `"iceServers[0].urls": "http://x"`},
		`{"iceServers":[{"urls":["stun:a:99999"]}]}`:                                       {rtcerr.ErrInvalidSyntax, `"stun:a:99999": port 99999`},
		`{"iceServers":[{"urls":"turn:127.0.0.1"}]}`:                                       {rtcerr.ErrInvalidAccess, `"turn:127.0.0.1": a TURN server needs`},
		`{"iceServers":[{"urls":"turns:h","username":"u"}]}`:                               {rtcerr.ErrInvalidAccess, `"iceServers[0].urls": "turns:h"`},
		`{"iceServers":[{"urls":"turn:h?transport=xyz","username":"u","credential":"c"}]}`: {rtcerr.ErrInvalidSyntax, `"iceServers[0].urls"`},
		`{"rtcpMuxPolicy":"negotiate"}`:                                                    {rtcerr.ErrNotSupported, `"rtcpMuxPolicy": "negotiate"`},
		`{"bundlePolicy":null}`:                                                            {rtcerr.ErrInvalidConfig, `"bundlePolicy"`},
	} {
		_, err := ParseConfiguration([]byte(text))
		if !errors.Is(err, want.kind) || !strings.Contains(err.Error(), want.key) {
			t.Errorf("%s: got %v, want %v naming %s", text, err, want.kind, want.key)
		}
		if !errors.Is(want.kind, rtcerr.ErrInvalidConfig) && errors.Is(err, rtcerr.ErrInvalidConfig) {
			t.Errorf("%s: %v is also an invalid-config error", text, err)
		}
	}
	// turns: with empty strings for both is taken (webrtc-pc 4.2.1).
	cfg, err := ParseConfiguration([]byte(`{"iceServers":[{"urls":"turns:turn.example.org","username":"","credential":""}]}`))
	must(t, err)
	eng, err := newEngine(cfg, NewLogSink())
	must(t, err)
	eng.release()
}

func TestParseConfigurationTakesAddressesPionUnderstands(t *testing.T) {
	cfg, err := ParseConfiguration([]byte(`{"omnirtc":{"ips":["10.0.0.2","::0001"],
		"nat1to1IPs":["203.0.113.7","2001:db8::7/2001:db8::1"],"interfaces":["eth0"]}}`))
	must(t, err)
	if cfg.Engine.IPs[1] != "::1" { // the form the IP filter compares
		t.Fatalf("ips: %q", cfg.Engine.IPs)
	}
}

func TestParseDataChannelInitRules(t *testing.T) {
	for text, ok := range map[string]bool{
		``:                                     true,
		`{"ordered":false,"maxRetransmits":3}`: true,
		`{"negotiated":true,"id":0}`:           true,
		`{"maxRetransmits":1,"maxPacketLifeTime":1}`: false,
		`{"negotiated":true}`:                        false,
		`{"id":65535}`:                               false,
		`{"priority":"high"}`:                        false,
	} {
		_, err := ParseDataChannelInit([]byte(text))
		if (err == nil) != ok || (err != nil && !errors.Is(err, rtcerr.ErrInvalidArgument)) {
			t.Errorf("%s: got %v", text, err)
		}
	}
}
