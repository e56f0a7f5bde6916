package core

import (
	"sync"

	"github.com/pion/webrtc/v4"
)

// pion's ICE agent reports "checking" as soon as it starts, once both
// descriptions are set, whether or not it has a remote candidate to check.
// The W3C's RTCIceTransport is "checking" once it "has received at least one
// remote candidate" (webrtc-pc 5.6); before, it is "new", and so is the
// connection state, which is "connecting" only while a transport checks
// (4.3.3). So "checking" and "connecting" wait for the first remote
// candidate: from a remote description, addIceCandidate, or the remote's own
// checks (a peer-reflexive candidate, which pion shows by moving on).
type iceStart struct {
	mu        sync.Mutex
	candidate bool     // a remote candidate arrived
	held      []*Event // "checking" and "connecting", until then
}

// postStart posts an ICE or connection state change, holding "checking" and
// "connecting" until a remote candidate arrived, and posting what it held
// before any later state.
func (p *PeerConnection) postStart(e *Event) {
	p.start.mu.Lock()
	defer p.start.mu.Unlock()
	waiting := (e.Type == EventICEConnectionState && e.StateName == webrtc.ICEConnectionStateChecking.String()) ||
		(e.Type == EventConnectionState && e.StateName == webrtc.PeerConnectionStateConnecting.String())
	if waiting && !p.start.candidate {
		p.start.held = append(p.start.held, e)

		return
	}
	p.releaseStart()
	p.postICE(e)
}

// remoteCandidateArrived posts the held states. Called after a remote
// description with candidates and after each added candidate.
func (p *PeerConnection) remoteCandidateArrived() {
	p.start.mu.Lock()
	defer p.start.mu.Unlock()
	p.start.candidate = true
	p.releaseStart()
}

func (p *PeerConnection) releaseStart() {
	for _, e := range p.start.held {
		p.postICE(e)
	}
	p.start.held = nil
}

// waitsForCandidate reports whether a state pion gives is held: the getters
// then say "new", as the last event did.
func (p *PeerConnection) waitsForCandidate() bool {
	p.start.mu.Lock()
	defer p.start.mu.Unlock()

	return len(p.start.held) > 0
}
