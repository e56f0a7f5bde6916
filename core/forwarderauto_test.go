package core

import (
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/forward"
)

// A subscriber's REMB reaches its layer policy: under a low estimate it
// drops to the base temporal layer of the layer set.
func TestForwarderAutoLayerFollowsTheSubscribersREMB(t *testing.T) {
	rp, rs := newRecorder(), newRecorder()
	publisher, server := newPeer(t, loopbackConfig, rp), newPeer(t, loopbackConfig, rs)
	defer func() { must(t, publisher.Close()); must(t, server.Close()) }()
	server.SetTrackReceive(&ReceiveOptions{Mode: "none"})
	track, err := NewLocalTrack(TrackInit{Codec: "vp8", Mode: "rtp"})
	must(t, err)
	_, err = publisher.AddTrack(track)
	must(t, err)
	connect(t, publisher, server, rp, rs)
	fw, err := NewTrackForwarder(rs.waitFor(t, 10*time.Second, ofType(EventTrack)).RemoteTrack)
	must(t, err)
	defer fw.Close()
	pub := &simulcastPublisher{track: track, rids: []string{""}, asked: func(string) int {
		return rp.count(ofType(EventKeyframeRequest))
	}}
	stop := make(chan struct{})
	defer close(stop)
	go pub.run(stop)

	ro, ri := newRecorder(), newRecorder()
	out, in := newPeer(t, mediaPairConfig, ro), newPeer(t, mediaPairConfig, ri)
	defer func() { _ = out.Close(); _ = in.Close() }()
	in.SetTrackReceive(&ReceiveOptions{Mode: "rtp"})
	sub, err := NewLocalTrack(TrackInit{Codec: "vp8", Mode: "rtp"})
	must(t, err)
	_, err = out.AddTrack(sub)
	must(t, err)
	must(t, fw.AddSubscriber(sub, forward.Layer{Temporal: forward.AllTemporal}))
	must(t, fw.SetAuto(sub, true))
	connect(t, out, in, ro, ri)
	remote := ri.waitFor(t, 10*time.Second, ofType(EventTrackUnmute)).RemoteTrack
	// The publisher sends 100 frames/s of 120 bytes: temporal layer 0 at
	// 24 kb/s, all three at 96 kb/s.
	ri.waitN(t, 10*time.Second, ofType(EventTrackRTP), 150) // a second of rates
	if l, err := fw.Layer(sub); err != nil || !l.Auto || l.Estimate != 0 || l.Target.Temporal != forward.AllTemporal {
		t.Fatalf("before an estimate: %+v, %v", l, err)
	}
	must(t, remote.RequestBitrate(30_000))
	ro.waitFor(t, 10*time.Second, ofType(EventTargetBitrate))
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := fw.Layer(sub)
		must(t, err)
		if l.Estimate == 30_000 && l.Target == (TargetLayer{"", 0, 0}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a REMB of 30 kb/s: %+v", l)
		}
		time.Sleep(20 * time.Millisecond)
	}
	seen := ri.count(ofType(EventTrackRTP))
	ri.waitN(t, 10*time.Second, ofType(EventTrackRTP), seen+30)
	ri.mu.Lock()
	packets := forwardedPackets(ri)
	ri.mu.Unlock()
	for _, p := range packets[seen+5:] { // a few in flight at the switch
		if tid := p.Payload[5] >> 6; tid != 0 {
			t.Fatalf("temporal layer %d forwarded under 30 kb/s", tid)
		}
	}
}
