package core

import (
	"testing"
	"time"
)

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
		var states []int32
		ra.mu.Lock()
		for _, e := range ra.events {
			if e.Type == EventSignalingState {
				states = append(states, e.State)
			}
		}
		ra.mu.Unlock()
		if len(states) != 2 || states[0] != 1 || states[1] != 0 {
			t.Fatalf("round %d: signaling state events %v, want [1 0] (have-local-offer, stable)", i, states)
		}
		_ = a.Close()
		_ = b.Close()
	}
}
