package core

import (
	"encoding/binary"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/forward"
	"github.com/pion/rtp"
)

// simulcastPublisher sends three VP8 layers of mode "rtp", one packet per
// frame, with temporal layers (L1T3) and a keyframe per layer only at the
// start and when the layer is asked for one. Each payload's body says its
// layer.
type simulcastPublisher struct {
	track *LocalTrack
	rids  []string
	asked func(rid string) int // keyframe requests received for the layer
}

func (s *simulcastPublisher) run(stop <-chan struct{}) {
	served := make([]int, len(s.rids))
	seqs := make([]uint16, len(s.rids))
	for frame := 0; ; frame++ {
		select {
		case <-stop:
			return
		case <-time.After(10 * time.Millisecond):
		}
		for li, rid := range s.rids {
			key := frame == 0
			if n := s.asked(rid); n > served[li] {
				served[li], key = n, true
			}
			tid := [4]byte{0, 2, 1, 2}[frame%4]
			if key {
				tid = 0
			}
			pic := uint16(frame) & 0x7fff //nolint:gosec // G115: 15-bit picture id
			payload := []byte{0x90, 0xe0, 0x80 | byte(pic>>8), byte(pic), byte(frame / 4), tid<<6 | 0x20, 1, byte(li)}
			if key {
				payload[6] = 0
			}
			p := rtp.Packet{Header: rtp.Header{
				Version: 2, Marker: true, SequenceNumber: seqs[li], Timestamp: uint32(frame) * 3000, //nolint:gosec // G115: a test's frame count
			}, Payload: append(payload, make([]byte, 100)...)}
			seqs[li]++
			raw, _ := p.Marshal()
			_ = s.track.WriteRTP(rid, raw)
		}
	}
}

// forwardedPackets parses the RTP events of a subscriber's remote track.
func forwardedPackets(r *recorder) []*rtp.Packet {
	var out []*rtp.Packet
	for _, e := range r.events {
		p := &rtp.Packet{}
		if e.Type == EventTrackRTP && p.Unmarshal(e.Data) == nil {
			out = append(out, p)
		}
	}

	return out
}

func TestForwarderLiveSimulcastToTwoSubscribers(t *testing.T) {
	rp, rs := newRecorder(), newRecorder()
	publisher, server := newPeer(t, loopbackConfig, rp), newPeer(t, loopbackConfig, rs)
	defer func() { must(t, publisher.Close()); must(t, server.Close()) }()
	server.SetTrackReceive(&ReceiveOptions{Mode: "none"})
	rids := []string{"q", "h", "f"}
	track, err := NewLocalTrack(TrackInit{Codec: "vp8", RIDs: rids, Mode: "rtp"})
	must(t, err)
	_, err = publisher.AddTransceiver("video", track, TransceiverInit{
		Direction: "sendonly", SendEncodings: []Encoding{{RID: "q"}, {RID: "h"}, {RID: "f"}},
	})
	must(t, err)
	connect(t, publisher, server, rp, rs)
	first := rs.waitFor(t, 10*time.Second, ofType(EventTrack))
	fw, err := NewGroupForwarder(first.Transceiver)
	must(t, err)
	defer fw.Close()
	pub := &simulcastPublisher{track: track, rids: rids, asked: func(rid string) int {
		return rp.count(func(e *Event) bool { return e.Type == EventKeyframeRequest && e.RID == rid })
	}}
	stop := make(chan struct{})
	defer close(stop)
	go pub.run(stop)

	type subscriber struct {
		r      *recorder
		track  *LocalTrack
		remote *RemoteTrack
	}
	subscribe := func(layer forward.Layer) *subscriber {
		s, ro := &subscriber{r: newRecorder()}, newRecorder()
		out, in := newPeer(t, loopbackConfig, ro), newPeer(t, loopbackConfig, s.r)
		t.Cleanup(func() { _ = out.Close(); _ = in.Close() })
		in.SetTrackReceive(&ReceiveOptions{Mode: "rtp"})
		s.track, err = NewLocalTrack(TrackInit{Codec: "vp8", Mode: "rtp"})
		must(t, err)
		_, err = out.AddTrack(s.track)
		must(t, err)
		must(t, fw.AddSubscriber(s.track, layer))
		connect(t, out, in, ro, s.r)
		s.remote = s.r.waitFor(t, 10*time.Second, ofType(EventTrackUnmute)).RemoteTrack

		return s
	}
	one := subscribe(forward.Layer{RID: "q", Temporal: forward.AllTemporal})
	two := subscribe(forward.Layer{RID: "f", Temporal: 1})
	layerOf := func(p *rtp.Packet) byte { return p.Payload[7] }
	one.r.waitN(t, 10*time.Second, ofType(EventTrackRTP), 20)
	must(t, fw.SetLayer(one.track, forward.Layer{RID: "h", Temporal: forward.AllTemporal}))
	one.r.waitFor(t, 10*time.Second, func(e *Event) bool {
		p := &rtp.Packet{}

		return e.Type == EventTrackRTP && p.Unmarshal(e.Data) == nil && layerOf(p) == 1
	})
	one.r.waitN(t, 10*time.Second, ofType(EventTrackRTP), 60)
	two.r.waitN(t, 10*time.Second, ofType(EventTrackRTP), 30)

	// A subscriber's PLI reaches the publisher as a PLI for its layer.
	requests := pub.asked("h")
	var delivered atomic.Bool
	go func() {
		for !delivered.Load() {
			_ = one.remote.RequestKeyframe(false)
			time.Sleep(50 * time.Millisecond)
		}
	}()
	rp.waitN(t, 10*time.Second, func(e *Event) bool { return e.Type == EventKeyframeRequest && e.RID == "h" }, requests+1)
	delivered.Store(true)

	for name, s := range map[string]*subscriber{"one": one, "two": two} {
		s.r.mu.Lock()
		packets := forwardedPackets(s.r)
		s.r.mu.Unlock()
		var switched bool
		for i, p := range packets {
			switch layer := layerOf(p); {
			case name == "two" && (layer != 2 || p.Payload[5]>>6 > 1):
				t.Fatalf("two: packet %d from layer %d, temporal %d", i, layer, p.Payload[5]>>6)
			case name == "one" && layer == 1:
				switched = true
			case name == "one" && (layer != 0 || switched):
				t.Fatalf("one: packet %d from layer %d after the switch to h", i, layer)
			}
			if i == 0 {
				continue
			}
			prev := packets[i-1]
			if p.SequenceNumber != prev.SequenceNumber+1 || int32(p.Timestamp-prev.Timestamp) <= 0 { //nolint:gosec // G115: serial-number distance
				t.Fatalf("%s: packet %d: sequence number %d after %d, timestamp %d after %d", name, i,
					p.SequenceNumber, prev.SequenceNumber, p.Timestamp, prev.Timestamp)
			}
			if pic, prevPic := binary.BigEndian.Uint16(p.Payload[2:])&0x7fff, binary.BigEndian.Uint16(prev.Payload[2:])&0x7fff; pic != (prevPic+1)&0x7fff {
				t.Fatalf("%s: packet %d: picture id %d after %d", name, i, pic, prevPic)
			}
		}
	}
}
