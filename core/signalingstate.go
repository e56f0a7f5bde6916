package core

import "sync"

// pion reports each signaling state change from a goroutine of its own, so
// two changes in a row (an offer set, then the answer) could be reported in
// the wrong order, and after the call that made them returned. The calls that
// change the state post it before they return instead, in order; pion's report
// still serves the change pion makes itself (closing on the remote's
// close_notify), and finds nothing new after a call's.

// postSignalingState posts the signaling state if it is not the last one posted.
func (p *PeerConnection) postSignalingState() {
	p.signalingMu.Lock()
	defer p.signalingMu.Unlock()
	s := p.pc.SignalingState()
	if s == p.lastSignaling {
		return
	}
	p.lastSignaling = s
	p.postState(EventSignalingState, int32(s)-1, s.String())
}

// The ICE state events and candidates pion reports while a description call
// runs (the gathering SetLocalDescription starts, the checks that
// SetRemoteDescription starts) are W3C tasks queued after that call's
// signalingstatechange, which comes before the call resolves (webrtc-pc
// 4.4.1.5); they are held until it is posted.
type heldEvents struct {
	mu      sync.Mutex
	calls   int // description calls running
	pending []*Event
}

// describe runs a description call, posts the signaling state it left, then
// what it held.
func (p *PeerConnection) describe(call func() error) error {
	p.held.mu.Lock()
	p.held.calls++
	p.held.mu.Unlock()
	err := call()
	p.postSignalingState()
	p.held.mu.Lock()
	defer p.held.mu.Unlock()
	if p.held.calls--; p.held.calls == 0 {
		for _, e := range p.held.pending {
			p.events.post(e)
		}
		p.held.pending = nil
	}

	return err
}

// postICE posts an ICE, gathering or connection state event or a candidate,
// after the signaling state of a description call that runs meanwhile.
func (p *PeerConnection) postICE(e *Event) {
	p.held.mu.Lock()
	defer p.held.mu.Unlock()
	if p.held.calls > 0 {
		p.held.pending = append(p.held.pending, e)

		return
	}
	p.events.post(e)
}
