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
	if p.closed.Load() { // postState drops it: W3C's close() fires no state events
		return
	}
	state := int32(s) - 1 //nolint:gosec // G115: a pion state enum, 0..6
	p.signalingLog.add(state)
	p.postState(EventSignalingState, state, s.String())
}

// signalingLog numbers a peer connection's signaling state events 1, 2, ...
// in queue order and keeps the states of the last few, so a description call
// can report the events it queued (SignalingChanges): the bindings fire
// exactly those before the call resolves (webrtc-pc 4.4.1.5), an implicit
// rollback's "stable" included, with no rule of their own.
type signalingLog struct {
	posted uint64
	recent [4]int32 // recent[(n-1) % 4] is the state of event n
}

func (l *signalingLog) add(state int32) {
	l.recent[l.posted%uint64(len(l.recent))] = state
	l.posted++
}

// SignalingChanges is what a description call did to the signaling state.
type SignalingChanges struct {
	// States are the states (omnirtc_signaling_state_t) of the signaling
	// events queued while the call ran, in order: none when it did not
	// change the state, two for an implicit rollback (stable, then
	// have-remote-offer).
	States []int32
	// Last is the number of the last signaling event queued up to the end
	// of the call: a binding that drains the queue has delivered the call's
	// events once it delivered that many signaling events.
	Last uint64
	// Tracks is the number of EventTrack events queued up to the end of the
	// call: the remote tracks a remote description announces are queued
	// before it returns (W3C fires track before the call resolves), so a
	// binding that drains the queue has delivered them once it delivered
	// that many track events.
	Tracks uint64
}

// SignalingEventsPosted is the number of signaling state events queued so
// far; pass it to SignalingChangesSince after a description call.
func (p *PeerConnection) SignalingEventsPosted() uint64 {
	p.signalingMu.Lock()
	defer p.signalingMu.Unlock()

	return p.signalingLog.posted
}

// SignalingChangesSince reports the signaling events queued after the first
// `before` (at most the last four, more than any one call makes).
func (p *PeerConnection) SignalingChangesSince(before uint64) SignalingChanges {
	p.signalingMu.Lock()
	defer p.signalingMu.Unlock()
	l := &p.signalingLog
	from := max(before, l.posted-min(l.posted, uint64(len(l.recent))))
	c := SignalingChanges{Last: l.posted, Tracks: p.trackEvents.Load()}
	for n := from; n < l.posted; n++ {
		c.States = append(c.States, l.recent[n%uint64(len(l.recent))])
	}

	return c
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
