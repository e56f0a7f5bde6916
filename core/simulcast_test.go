package core

import (
	"testing"
	"time"
)

func TestSimulcastLayersArriveAsTracks(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, loopbackConfig, ra), newPeer(t, loopbackConfig, rb)
	defer func() { must(t, a.Close()); must(t, b.Close()) }()
	track, err := NewLocalTrack(TrackInit{Codec: "vp8", RIDs: []string{"q", "h", "f"}})
	must(t, err)
	_, err = a.AddTransceiver("video", track, TransceiverInit{
		Direction:     "sendonly",
		SendEncodings: []Encoding{{RID: "q"}, {RID: "h"}, {RID: "f"}},
	})
	must(t, err)
	connect(t, a, b, ra, rb)
	go func() {
		for i := range 100 {
			for _, rid := range []string{"q", "h", "f"} {
				_ = track.WriteSample(rid, vp8Frame(i, 500), 33*time.Millisecond)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for rb.count(ofType(EventTrack)) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	rids := map[string]bool{}
	rb.mu.Lock()
	for _, e := range rb.events {
		if e.Type == EventTrack {
			rids[e.RID] = true
		}
	}
	rb.mu.Unlock()
	if len(rids) != 3 || !rids["q"] || !rids["h"] || !rids["f"] {
		t.Fatalf("layers received: %v", rids)
	}
}
