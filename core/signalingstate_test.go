package core

import (
	"testing"
	"time"
)

// signalingStates is the states of the signaling events recorded so far.
func (r *recorder) signalingStates() []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var states []int32
	for _, e := range r.events {
		if e.Type == EventSignalingState {
			states = append(states, e.State)
		}
	}

	return states
}

// Signaling state events come in the order of the calls that made them, even
// when the calls follow each other at once (pion reports each change from a
// goroutine of its own, which may run after the next change's).
func TestSignalingStateEventsFollowTheCalls(t *testing.T) {
	const rounds = 200
	for i := range rounds {
		ra := newRecorder()
		a := newPeer(t, loopbackConfig, ra)
		b := newPeer(t, loopbackConfig, newRecorder())
		if _, err := a.CreateDataChannel("order", DataChannelInit{}); err != nil {
			t.Fatal(err)
		}
		offer, err := a.CreateOffer(OfferOptions{})
		must(t, err)
		must(t, b.SetRemoteDescription("offer", offer))
		answer, err := b.CreateAnswer()
		must(t, err)
		must(t, a.SetLocalDescription("offer", offer))
		if got := a.SignalingState(); got != 1 {
			t.Fatalf("round %d: signaling state %d after the local offer, want 1 (have-local-offer)", i, got)
		}
		must(t, a.SetRemoteDescription("answer", answer))
		ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventSignalingState && e.State == 0 })
		states := ra.signalingStates()
		if len(states) != 2 || states[0] != 1 || states[1] != 0 {
			t.Fatalf("round %d: signaling state events %v, want [1 0] (have-local-offer, stable)", i, states)
		}
		_ = a.Close()
		_ = b.Close()
	}
}

// A description call reports the signaling events it queued (webrtc-pc
// 4.4.1.5 fires them before the call resolves): a remote offer in
// have-local-offer queues the implicit rollback's stable, then
// have-remote-offer; a call that changes nothing reports nothing. Last counts
// the signaling events in the queue, which the recorder sees the same.
func TestDescriptionCallsReportTheSignalingEventsTheyQueued(t *testing.T) {
	ra := newRecorder()
	a := newPeer(t, loopbackConfig, ra)
	b := newPeer(t, loopbackConfig, newRecorder())
	for _, p := range []*PeerConnection{a, b} {
		if _, err := p.CreateDataChannel("glare", DataChannelInit{}); err != nil {
			t.Fatal(err)
		}
	}
	describe := func(call func() error) SignalingChanges {
		t.Helper()
		before := a.SignalingEventsPosted()
		must(t, call())

		return a.SignalingChangesSince(before)
	}
	offerA, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	c := describe(func() error { return a.SetLocalDescription("offer", offerA) })
	if len(c.States) != 1 || c.States[0] != 1 || c.Last != 1 {
		t.Fatalf("local offer: %+v, want states [1] (have-local-offer), last 1", c)
	}
	offerB, err := b.CreateOffer(OfferOptions{})
	must(t, err)
	c = describe(func() error { return a.SetRemoteDescription("offer", offerB) })
	if len(c.States) != 2 || c.States[0] != 0 || c.States[1] != 2 || c.Last != 3 {
		t.Fatalf("remote offer in have-local-offer: %+v, want states [0 2] (stable, have-remote-offer), last 3", c)
	}
	before := a.SignalingEventsPosted()
	if err := a.SetRemoteDescription("offer", offerB); err == nil {
		t.Fatal("the same remote offer again was taken")
	}
	if c = a.SignalingChangesSince(before); len(c.States) != 0 || c.Last != 3 {
		t.Fatalf("a refused remote offer: %+v, want no states, last 3", c)
	}
	ra.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventSignalingState && e.State == 2 })
	states := ra.signalingStates()
	if len(states) != 3 || states[0] != 1 || states[1] != 0 || states[2] != 2 {
		t.Fatalf("queued signaling events %v, want [1 0 2]", states)
	}
	_ = a.Close()
	_ = b.Close()
}
