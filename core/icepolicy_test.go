package core

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/turnserver"
	"github.com/pion/logging"
)

// startTURN starts a TURN server on loopback relaying on ports min..min+99.
func startTURN(t *testing.T, minPort uint16) (*turnserver.Server, string) {
	t.Helper()
	cfg, err := turnserver.ParseConfig(fmt.Appendf(nil, `{"listeners":[{"transport":"udp","address":"127.0.0.1:0"}],
		"relay":{"address":"127.0.0.1","minPort":%d,"maxPort":%d},"users":{"alice":"wonder"}}`, minPort, minPort+99))
	must(t, err)
	srv, err := turnserver.New(cfg, nil, nil, logging.NewDefaultLoggerFactory())
	must(t, err)
	t.Cleanup(func() { must(t, srv.Close()) })
	text, err := srv.Stats()
	must(t, err)
	var stats struct {
		Listeners []struct {
			Address string `json:"address"`
		} `json:"listeners"`
	}
	must(t, json.Unmarshal(text, &stats))

	return srv, stats.Listeners[0].Address
}

// W3C webrtc-pc 4.4.1.6 "set a configuration": iceTransportPolicy may change
// after gathering began, and applies from the next gathering. Changed to
// "relay" with a TURN server on a call connected over host candidates, the
// ICE restart that follows gathers relay candidates only, and the call goes
// on through the server (pion's agent kept its candidate types before the
// patches in third_party/pion/ice and webrtc: host again).
func TestICETransportPolicyChangeAppliesAtRestart(t *testing.T) {
	srv, address := startTURN(t, 55100)
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	t.Cleanup(func() { must(t, a.Close()); must(t, b.Close()) })
	_, err := a.CreateDataChannel("first", DataChannelInit{})
	must(t, err)
	connect(t, a, b, ra, rb)
	host := ra.waitFor(t, 10*time.Second, ofType(EventSelectedCandidatePair))
	if !strings.Contains(host.LocalCandidate, "typ host") {
		t.Fatalf("first selected pair: %s", host.LocalCandidate)
	}

	must(t, setConfiguration(a, fmt.Sprintf(`{"iceTransportPolicy":"relay","iceServers":[
		{"urls":"turn:%s","username":"alice","credential":"wonder"}]}`, address)))
	if got := configurationOf(t, a).ICETransportPolicy; got != "relay" {
		t.Fatalf("iceTransportPolicy after set: %q", got)
	}
	before := ra.count(ofType(EventICECandidate))
	must(t, a.RestartICE())
	connect(t, a, b, ra, rb)
	relayed := ra.waitFor(t, 15*time.Second, func(e *Event) bool {
		return e.Type == EventSelectedCandidatePair && strings.Contains(e.LocalCandidate, "typ relay")
	})
	ra.mu.Lock()
	var gathered []string
	for _, e := range ra.events {
		if e.Type == EventICECandidate {
			gathered = append(gathered, e.Candidate)
		}
	}
	ra.mu.Unlock()
	for _, c := range gathered[before:] {
		if c != "" && !strings.Contains(c, "typ relay") {
			t.Fatalf("gathered under 'relay' after the restart: %s", c)
		}
	}
	fields := strings.Fields(relayed.LocalCandidate)
	if len(fields) < 6 || fields[4] != "127.0.0.1" || fields[5] < "55100" || fields[5] > "55199" {
		t.Fatalf("the selected local candidate is not the server's relay: %s", relayed.LocalCandidate)
	}
	text, err := srv.Stats()
	must(t, err)
	if !strings.Contains(string(text), `"allocationsCreated":`) || strings.Contains(string(text), `"allocationsCreated":0`) {
		t.Fatalf("no allocation on the TURN server: %s", text)
	}
}

// A remote ICE restart that comes while the answerer is still gathering
// server-reflexive candidates (its STUN server never answers) applies the
// configuration's servers to the agent while the canceled gatherers still
// run: they must not read the agent's URLs or candidate types then (go test
// -race caught it in TestRemoteCandidatesAreCappedPerICEGeneration on CI).
func TestRemoteICERestartWhileGathering(t *testing.T) {
	silent, err := (&net.ListenConfig{}).ListenPacket(t.Context(), "udp4", "127.0.0.1:0")
	must(t, err)
	t.Cleanup(func() { _ = silent.Close() })
	config := fmt.Sprintf(`{"iceServers":[{"urls":"stun:%s"}],"omnirtc":{"includeLoopback":true,"mdns":"disabled"}}`,
		silent.LocalAddr())
	rb := newRecorder()
	b := newPeer(t, config, rb)
	defer func() { _ = b.Close() }()
	offer := offerWithCandidates(t, 1, 0)
	must(t, b.SetRemoteDescription("offer", offer))
	must(t, b.SetLocalDescription("", "")) // gathering starts, srflx waits for the silent server
	rb.waitFor(t, 5*time.Second, ofType(EventICECandidate))
	restart := strings.NewReplacer("a=ice-ufrag:", "a=ice-ufrag:R", "a=ice-pwd:", "a=ice-pwd:R").Replace(offer)
	must(t, b.SetRemoteDescription("offer", restart))
	must(t, b.SetLocalDescription("", ""))
}
