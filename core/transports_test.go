package core

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

func transportEvent(transport int32, name string) func(*Event) bool {
	return func(e *Event) bool {
		return e.Type == EventTransportState && e.Transport == transport && e.StateName == name
	}
}

// transportStates lists the TRANSPORT_STATE events of transport, in order.
func (r *recorder) transportStates(transport int32) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, e := range r.events {
		if e.Type == EventTransportState && e.Transport == transport {
			names = append(names, e.StateName)
		}
	}

	return names
}

func transports(t *testing.T, p *PeerConnection) TransportsInfo {
	t.Helper()
	b, err := p.Transports()
	must(t, err)
	var info TransportsInfo
	must(t, json.Unmarshal(b, &info))

	return info
}

// webrtc-pc 5.4 RTCDtlsTransport, 5.6 RTCIceTransport, 6.1.1 RTCSctpTransport.
func TestTransportsOverAConnectAndARemoteClose(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { _ = a.Close() }()
	if _, err := a.CreateDataChannel("x", DataChannelInit{}); err != nil {
		t.Fatal(err)
	}
	if info := transports(t, a); info.SCTP != nil || info.DTLS.State != "new" || info.ICE.SelectedPair != nil {
		t.Fatalf("before negotiation: %+v", info)
	}
	connect(t, a, b, ra, rb)
	ra.waitFor(t, 10*time.Second, transportEvent(TransportSCTP, "connected"))
	if got := ra.transportStates(TransportDTLS); len(got) != 2 || got[0] != "connecting" || got[1] != "connected" {
		t.Fatalf("DTLS states %v", got)
	}
	info := transports(t, a)
	if info.SCTP == nil || info.SCTP.State != "connected" || info.SCTP.MaxChannels == nil || *info.SCTP.MaxChannels != 65535 {
		t.Fatalf("sctp %+v", info.SCTP)
	}
	if info.DTLS.State != "connected" || len(info.DTLS.RemoteCertificates) != 1 {
		t.Fatalf("dtls %+v", info.DTLS)
	}
	if info.ICE.Role != "controlling" || info.ICE.State != "connected" || info.ICE.SelectedPair == nil {
		t.Fatalf("ice %+v", info.ICE)
	}
	pair := ra.waitFor(t, 10*time.Second, ofType(EventSelectedCandidatePair))
	if pair.LocalCandidate == "" || pair.RemoteCandidate == "" {
		t.Fatalf("selected pair event %+v", pair)
	}
	if role := transports(t, b).ICE.Role; role != "controlled" {
		t.Fatalf("answerer's role %q", role)
	}

	must(t, b.Close()) // its close_notify ends our DTLS and SCTP
	ra.waitFor(t, 10*time.Second, transportEvent(TransportDTLS, "closed"))
	ra.waitFor(t, 10*time.Second, transportEvent(TransportSCTP, "closed"))
}

// webrtc-pc 5.4: a handshake that fails is "failed", and stays so.
func TestDTLSFailsOnAFingerprintMismatch(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { _ = a.Close() }()
	defer func() { _ = b.Close() }()
	if _, err := a.CreateDataChannel("x", DataChannelInit{}); err != nil {
		t.Fatal(err)
	}
	fingerprint := regexp.MustCompile(`a=fingerprint:sha-256 ([0-9A-F]{2})`)
	wrong := func(sdp string) string {
		return fingerprint.ReplaceAllStringFunc(sdp, func(m string) string {
			if m[len(m)-2:] == "00" {
				return m[:len(m)-2] + "01"
			}

			return m[:len(m)-2] + "00"
		})
	}
	// Full gathering, no trickle: each description carries its candidates.
	complete := func(e *Event) bool { return e.Type == EventICEGatheringState && e.StateName == "complete" }
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	ra.waitFor(t, 10*time.Second, complete)
	_, offer, _ = a.SessionDescription(DescriptionLocal)
	must(t, b.SetRemoteDescription("offer", offer))
	answer, err := b.CreateAnswer()
	must(t, err)
	must(t, b.SetLocalDescription("answer", answer))
	rb.waitFor(t, 10*time.Second, complete)
	_, answer, _ = b.SessionDescription(DescriptionLocal)
	must(t, a.SetRemoteDescription("answer", wrong(answer)))
	ra.waitFor(t, 20*time.Second, transportEvent(TransportDTLS, "failed"))
	ra.waitFor(t, 20*time.Second, func(e *Event) bool { return e.Type == EventConnectionState && e.StateName == "failed" })
	if got := ra.transportStates(TransportDTLS); got[len(got)-1] != "failed" {
		t.Fatalf("DTLS states %v: failed must be the last", got)
	}
	if state := transports(t, a).DTLS.State; state != "failed" {
		t.Fatalf("DTLS state %q", state)
	}
}

// W3C webrtc-stats RTCSctpTransportStats: the sctp-transport entry carries the
// association's congestion figures and names the transport entry under it.
func TestSCTPTransportStatsCarryCongestionFigures(t *testing.T) {
	lp := openLivePair(t)
	defer lp.close()
	for range 200 {
		must(t, lp.ca.Send(make([]byte, 1000), true))
	}
	must(t, lp.ca.Send([]byte("last"), false)) // the channel is ordered: all came before it
	lp.rb.waitFor(t, 20*time.Second, func(e *Event) bool {
		return e.Type == EventChannelMessage && string(e.Data) == "last"
	})
	b, err := lp.a.Stats()
	must(t, err)
	var report map[string]map[string]any
	must(t, json.Unmarshal(b, &report))
	var sctp, transport map[string]any
	for _, s := range report {
		switch s["type"] {
		case "sctp-transport":
			sctp = s
		case "transport":
			transport = s
		}
	}
	if sctp == nil || transport == nil {
		t.Fatalf("no sctp-transport or transport entry in %s", b)
	}
	if sctp["transportId"] != transport["id"] {
		t.Errorf("transportId %v, the transport entry's id %v", sctp["transportId"], transport["id"])
	}
	for _, name := range []string{
		"congestionWindow", "receiverWindow", "localReceiverWindow", "mtu", "smoothedRoundTripTime", "slowStartThreshold",
	} {
		if v, ok := sctp[name].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want > 0", name, sctp[name])
		}
	}
	for _, name := range []string{
		"unackData", "bytesInFlight", "retransmittedChunks", "retransmittedBytes", "fastRetransmissions", "retransmissionTimeouts",
		"rackLostChunks",
	} {
		if _, ok := sctp[name].(float64); !ok {
			t.Errorf("%s missing: %v", name, sctp)
		}
	}
}

// A selected pair's candidate is reported as component 1, the line
// getRemoteCandidates() lists, even when the agent took the component 2 line
// of the same transport address.
func TestPairCandidateLineIsComponentOne(t *testing.T) {
	c := &webrtc.ICECandidate{
		Foundation: "2878742611", Priority: 2130706431, Address: "127.0.0.1", Protocol: webrtc.ICEProtocolUDP,
		Port: 41015, Typ: webrtc.ICECandidateTypeHost, Component: 2,
	}
	line := pairCandidateLine(c)
	if fields := strings.Fields(line); len(fields) < 2 || fields[1] != "1" {
		t.Fatalf("pair candidate %q: want component 1", line)
	}
}
