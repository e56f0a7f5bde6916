package core

import (
	"testing"
	"time"
)

// A binding knows synchronously whether setLocalDescription started a
// gathering (Gatherings grows before it returns), and which gathering each
// gathering-state event belongs to (Value).
func TestGatheringsCountedBeforeSetLocalDescriptionReturns(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()); must(t, b.Close()) }()
	_, err := a.CreateDataChannel("x", DataChannelInit{})
	must(t, err)
	if n := a.Gatherings(); n != 0 {
		t.Fatalf("gatherings before any description: %d", n)
	}
	connect(t, a, b, ra, rb)
	if n := a.Gatherings(); n != 1 {
		t.Fatalf("gatherings after the first description: %d", n)
	}
	complete := ra.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventICEGatheringState && e.StateName == "complete"
	})
	if complete.Gathering != 1 {
		t.Fatalf("complete event of gathering %d", complete.Gathering)
	}
	offer, err := a.CreateOffer(OfferOptions{})
	must(t, err)
	must(t, a.SetLocalDescription("offer", offer))
	if n := a.Gatherings(); n != 1 {
		t.Fatalf("a renegotiation that keeps its candidates counted a gathering: %d", n)
	}
}
