package core

import (
	"slices"
	"testing"
	"time"
)

// webrtc-pc 5.6 RTCIceTransport getLocalCandidates(): the candidates sent in
// icecandidate; getRemoteCandidates(): those the remote gave through
// addIceCandidate.
func TestTransportCandidatesAreTheOnesTrickled(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { _ = a.Close() }()
	defer func() { _ = b.Close() }()
	if _, err := a.CreateDataChannel("x", DataChannelInit{}); err != nil {
		t.Fatal(err)
	}
	if ice := transports(t, a).ICE; len(ice.LocalCandidates) != 0 || len(ice.RemoteCandidates) != 0 {
		t.Fatalf("before negotiation: %+v", ice)
	}
	connect(t, a, b, ra, rb)
	// The trickle hook adds each candidate to the other peer before the event
	// is recorded, and the parked ones at "stable".
	ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventICECandidate && e.Candidate == "" })
	ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventSignalingState && e.StateName == "stable" })
	var sent []string
	ra.mu.Lock()
	for _, e := range ra.events {
		if e.Type == EventICECandidate && e.Candidate != "" {
			sent = append(sent, e.Candidate)
		}
	}
	ra.mu.Unlock()
	if len(sent) == 0 {
		t.Fatal("a gathered no candidate")
	}
	local := transports(t, a).ICE.LocalCandidates
	remote := transports(t, b).ICE.RemoteCandidates
	for _, line := range sent {
		if !slices.Contains(local, line) {
			t.Errorf("a's local candidates %q lack the sent %q", local, line)
		}
		if !slices.Contains(remote, line) {
			t.Errorf("b's remote candidates %q lack the added %q", remote, line)
		}
	}
	if len(local) != len(sent) {
		t.Errorf("a's local candidates %q, sent %q", local, sent)
	}
}

func TestDescriptionCandidatesAreDistinctAndInOrder(t *testing.T) {
	text := "v=0\r\nm=audio 9 UDP 1\r\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host\r\na=end-of-candidates\r\n" +
		"m=video 9 UDP 1\r\na=candidate:1 2 udp 1 10.0.0.1 5001 typ host\r\na=candidate:2 1 udp 1 10.0.0.2 5000 typ host\r\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host\r\n"
	got := descriptionCandidates(text)
	want := []string{"candidate:1 1 udp 1 10.0.0.1 5000 typ host", "candidate:2 1 udp 1 10.0.0.2 5000 typ host"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := descriptionCandidates(""); got == nil || len(got) != 0 {
		t.Fatalf("empty description: %#v", got)
	}
}
