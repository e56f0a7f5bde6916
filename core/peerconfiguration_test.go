package core

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// reported is what ConfigurationJSON reports, as far as the tests look.
type reported struct {
	ICEServers []struct {
		URLs json.RawMessage `json:"urls"`
	} `json:"iceServers"`
	ICETransportPolicy   string `json:"iceTransportPolicy"`
	BundlePolicy         string `json:"bundlePolicy"`
	RTCPMuxPolicy        string `json:"rtcpMuxPolicy"`
	ICECandidatePoolSize *int   `json:"iceCandidatePoolSize"`
	Engine               struct {
		MDNS string `json:"mdns"`
	} `json:"omnirtc"`
}

func configurationOf(t *testing.T, pc *PeerConnection) reported {
	t.Helper()
	text, err := pc.ConfigurationJSON()
	must(t, err)
	var got reported
	must(t, json.Unmarshal(text, &got))

	return got
}

func closePeer(t *testing.T, pc *PeerConnection) {
	t.Helper()
	must(t, pc.Close())
}

func setConfiguration(pc *PeerConnection, text string) error {
	cfg, err := ParseConfiguration([]byte(text))
	if err != nil {
		return err
	}

	return pc.SetConfiguration(cfg)
}

// W3C webrtc-pc 4.4.1.6 getConfiguration: the members as given, defaults for the rest.
func TestGetConfigurationReportsWhatWasGiven(t *testing.T) {
	pc := newPeer(t, `{"iceServers":[{"urls":"stun:127.0.0.1:3478"}],"bundlePolicy":"max-bundle",
		"omnirtc":{"mdns":"disabled"}}`, newRecorder())
	defer closePeer(t, pc)
	got := configurationOf(t, pc)
	if len(got.ICEServers) != 1 || string(got.ICEServers[0].URLs) != `"stun:127.0.0.1:3478"` ||
		got.BundlePolicy != "max-bundle" || got.ICETransportPolicy != "all" || got.RTCPMuxPolicy != "require" ||
		got.ICECandidatePoolSize == nil || *got.ICECandidatePoolSize != 0 || got.Engine.MDNS != "disabled" {
		t.Fatalf("getConfiguration: %+v", got)
	}
}

// W3C webrtc-pc 4.4.1.6 "set a configuration": what may change and what may not.
func TestSetConfigurationRules(t *testing.T) {
	pc := newPeer(t, `{"bundlePolicy":"max-bundle","iceCandidatePoolSize":1,"omnirtc":{"mdns":"disabled"}}`, newRecorder())
	defer closePeer(t, pc)
	for text, kind := range map[string]error{
		`{"bundlePolicy":"max-bundle","iceCandidatePoolSize":1}`:                                                nil,
		`{"iceCandidatePoolSize":1}`:                                                                            rtcerr.ErrInvalidModification, // balanced by default
		`{"bundlePolicy":"balanced"}`:                                                                           rtcerr.ErrInvalidModification,
		`{"bundlePolicy":"max-bundle","rtcpMuxPolicy":"negotiate"}`:                                             rtcerr.ErrNotSupported,
		`{"bundlePolicy":"max-bundle","omnirtc":{"mdns":"gather"}}`:                                             rtcerr.ErrInvalidModification,
		`{"bundlePolicy":"max-bundle","certificates":["x"]}`:                                                    rtcerr.ErrInvalidModification,
		`{"bundlePolicy":"max-bundle","iceServers":[{"urls":"stun.example.org"}]}`:                              rtcerr.ErrInvalidSyntax,
		`{"bundlePolicy":"max-bundle","iceServers":[{"urls":"turn:127.0.0.1"}]}`:                                rtcerr.ErrInvalidAccess,
		`{"bundlePolicy":"max-bundle","iceCandidatePoolSize":3}`:                                                nil, // before setLocalDescription
		`{"bundlePolicy":"max-bundle","iceTransportPolicy":"relay","iceServers":[{"urls":"stun:127.0.0.1:9"}]}`: nil,
	} {
		err := setConfiguration(pc, text)
		if (kind == nil) != (err == nil) || (kind != nil && !errors.Is(err, kind)) {
			t.Errorf("%s: got %v, want %v", text, err, kind)
		}
	}
}

func TestSetConfigurationAfterLocalDescription(t *testing.T) {
	pc := newPeer(t, `{"omnirtc":{"mdns":"disabled"}}`, newRecorder())
	defer closePeer(t, pc)
	_, err := pc.CreateDataChannel("x", DataChannelInit{})
	must(t, err)
	must(t, pc.SetLocalDescription("", ""))
	err = setConfiguration(pc, `{"iceCandidatePoolSize":2}`)
	if !errors.Is(err, rtcerr.ErrInvalidModification) || !strings.Contains(err.Error(), "iceCandidatePoolSize") {
		t.Fatalf("pool size after setLocalDescription: %v", err)
	}
	must(t, setConfiguration(pc, `{"iceServers":[{"urls":["stun:127.0.0.1:9"],"username":"","credential":""}]}`))
	got := configurationOf(t, pc)
	if len(got.ICEServers) != 1 || string(got.ICEServers[0].URLs) != `["stun:127.0.0.1:9"]` {
		t.Fatalf("iceServers after set: %+v", got.ICEServers)
	}
	if got.Engine.MDNS != "disabled" {
		t.Fatal("an omitted omnirtc section is kept")
	}
	closePeer(t, pc)
	if err := setConfiguration(pc, `{}`); !errors.Is(err, rtcerr.ErrInvalidState) {
		t.Fatalf("closed: %v", err)
	}
}

// JSEP 5.8 under rtcpMuxPolicy "require" (W3C webrtc-pc 4.2.4): an RTP
// section without a=rtcp-mux is an InvalidAccessError.
func TestRemoteOfferWithoutRTCPMuxIsRefused(t *testing.T) {
	fingerprint := strings.TrimSuffix(strings.Repeat("AB:", 32), ":")
	offer := "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" +
		"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\n" +
		"a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 " + fingerprint + "\r\n" +
		"a=setup:actpass\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n"
	pc := newPeer(t, "", newRecorder())
	defer closePeer(t, pc)
	err := pc.SetRemoteDescription("offer", offer)
	if !errors.Is(err, rtcerr.ErrInvalidAccess) || !strings.Contains(err.Error(), "rtcp-mux") {
		t.Fatalf("offer without rtcp-mux: %v", err)
	}
	must(t, pc.SetRemoteDescription("offer", offer+"a=rtcp-mux\r\n"))
}
