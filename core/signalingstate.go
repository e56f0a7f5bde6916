package core

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
