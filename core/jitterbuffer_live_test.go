package core

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// rtpPair connects a sender of raw VP8 RTP to a receiver that takes the
// receive mode given, both with config.
type rtpPair struct {
	a, b   *PeerConnection
	rb     *recorder
	track  *LocalTrack
	seq0   uint16 // the first sequence number sent; the test wraps past 65535
	closer func()
}

func openRTPPair(t *testing.T, config, mode string) *rtpPair {
	t.Helper()
	ra, rb := newRecorder(), newRecorder()
	a, b := newPeer(t, config, ra), newPeer(t, config, rb)
	track, err := NewLocalTrack(TrackInit{Codec: "vp8", ID: "cam", Mode: "rtp"})
	must(t, err)
	_, err = a.AddTrack(track)
	must(t, err)
	connect(t, a, b, ra, rb)
	// announced by the offer, before any packet
	rb.waitFor(t, 10*time.Second, ofType(EventTrack)).RemoteTrack.SetReceiveOptions(ReceiveOptions{Mode: mode})

	return &rtpPair{a: a, b: b, rb: rb, track: track, seq0: 65500, closer: func() { must(t, a.Close()); must(t, b.Close()) }}
}

// send writes the packets with these offsets from seq0, one frame each.
func (p *rtpPair) send(t *testing.T, offsets ...int) {
	t.Helper()
	for _, off := range offsets {
		p.write(t, off, uint32(off)*3000, true, []byte{0x10, byte(off)})
	}
}

func (p *rtpPair) write(t *testing.T, off int, ts uint32, marker bool, payload []byte) {
	t.Helper()
	pkt := rtp.Packet{
		Header:  rtp.Header{Version: 2, Marker: marker, SequenceNumber: p.seq0 + uint16(off), Timestamp: ts},
		Payload: payload,
	}
	b, err := pkt.Marshal()
	must(t, err)
	must(t, p.track.WriteRTP("", b))
}

// received is the offsets of the packets delivered so far, in order.
func (p *rtpPair) received() []int {
	p.rb.mu.Lock()
	defer p.rb.mu.Unlock()
	var out []int
	for _, e := range p.rb.events {
		if e.Type == EventTrackRTP {
			out = append(out, int((uint16(e.Data[2])<<8|uint16(e.Data[3]))-p.seq0))
		}
	}

	return out
}

// waitForOffset waits until the packet at off is delivered.
func (p *rtpPair) waitForOffset(t *testing.T, off int) {
	t.Helper()
	seq := p.seq0 + uint16(off)
	p.rb.waitFor(t, 10*time.Second, func(e *Event) bool {
		return e.Type == EventTrackRTP && uint16(e.Data[2])<<8|uint16(e.Data[3]) == seq
	})
}

// inbound returns the receiver's inbound-rtp stats.
func (p *rtpPair) inbound(t *testing.T) map[string]any {
	t.Helper()
	text, err := p.b.Stats()
	must(t, err)
	var report map[string]map[string]any
	must(t, json.Unmarshal(text, &report))
	for _, s := range report {
		if s["type"] == "inbound-rtp" {
			return s
		}
	}
	t.Fatalf("no inbound-rtp stats: %s", text)

	return nil
}

// swapped is 0, 1, then pairs swapped up to n: 0 1 3 2 5 4 …; the first
// packets come in order, as a buffer starts at the first it receives.
func swapped(n int) []int {
	out := []int{0, 1}
	for i := 2; i+1 < n; i += 2 {
		out = append(out, i+1, i)
	}

	return out
}

func TestReorderingReachesTheApplicationWithoutTheJitterBuffer(t *testing.T) {
	p := openRTPPair(t, `{"omnirtc":{"includeLoopback":true,"mdns":"disabled","interceptors":["stats"]}}`, "rtp")
	defer p.closer()
	p.send(t, swapped(100)...)
	p.waitForOffset(t, 98)
	got := p.received()
	inverted := false
	for i := 1; i < len(got); i++ {
		inverted = inverted || got[i] < got[i-1]
	}
	if !inverted {
		t.Fatalf("the network did not reorder, so this test proves nothing: %v", got)
	}
	if _, ok := p.inbound(t)["jitterBufferEmittedCount"]; ok {
		t.Fatal("jitter buffer stats without a jitter buffer")
	}
}

func TestJitterBufferPutsTheStreamBackInOrder(t *testing.T) {
	p := openRTPPair(t, `{"omnirtc":{"includeLoopback":true,"mdns":"disabled",`+
		`"interceptors":["nack","rtx","stats","jitterBuffer"],"jitterBuffer":{"targetDelayMs":5000}}}`, "rtp")
	defer p.closer()
	p.send(t, swapped(100)...)
	p.waitForOffset(t, 99)
	got := p.received()
	for i, off := range got {
		if off != i {
			t.Fatalf("delivered out of order or twice: %v", got)
		}
	}
	if len(got) != 100 {
		t.Fatalf("delivered %d packets, want 100", len(got))
	}
	in := p.inbound(t)
	if in["jitterBufferEmittedCount"] != 100.0 || in["packetsDiscarded"] != 0.0 ||
		in["jitterBufferTargetDelay"] != 500.0 {
		t.Fatalf("inbound-rtp %v", in)
	}
	if d, ok := in["jitterBufferDelay"].(float64); !ok || d < 0 || d >= 5*49 {
		// Each of the 49 swapped-in packets waited less than the target delay.
		t.Fatalf("jitterBufferDelay %v", in["jitterBufferDelay"])
	}
}

func TestJitterBufferDiscardsALatePacket(t *testing.T) {
	p := openRTPPair(t, `{"omnirtc":{"includeLoopback":true,"mdns":"disabled",`+
		`"interceptors":["stats","jitterBuffer"],"jitterBuffer":{"targetDelayMs":20}}}`, "rtp")
	defer p.closer()
	p.send(t, 0, 1, 2, 4, 5)
	p.waitForOffset(t, 5) // 3 was given up
	p.send(t, 3, 6)
	p.waitForOffset(t, 6)
	if got := p.received(); len(got) != 6 || got[3] != 4 {
		t.Fatalf("delivered %v, want 0 1 2 4 5 6", got)
	}
	in := p.inbound(t)
	if in["packetsDiscarded"] != 1.0 || in["jitterBufferEmittedCount"] != 6.0 {
		t.Fatalf("inbound-rtp %v", in)
	}
}

func TestJitterBufferFeedsFramesMode(t *testing.T) {
	p := openRTPPair(t, `{"omnirtc":{"includeLoopback":true,"mdns":"disabled",`+
		`"interceptors":["stats","jitterBuffer"],"jitterBuffer":{"targetDelayMs":5000}}}`, "frames")
	defer p.closer()
	// 11 frames of three packets each, sent last packet first after the
	// first frame (the buffer starts at the first packet it receives); the
	// 11th only ends the 10th (the sample builder waits for the next frame).
	const frames, parts = 11, 3
	for f := range frames {
		for i := range parts {
			part := parts - 1 - i
			if f == 0 {
				part = i
			}
			descriptor := byte(0)
			if part == 0 {
				descriptor = 0x10 // the frame's first packet
			}
			p.write(t, f*parts+part, uint32(f)*3000, part == parts-1, []byte{descriptor, byte(f), byte(part)})
		}
	}
	p.rb.waitFor(t, 10*time.Second, func(e *Event) bool { return e.Type == EventTrackFrame && e.Timestamp == 9*3000 })
	p.rb.mu.Lock()
	var got [][]byte
	for _, e := range p.rb.events {
		if e.Type == EventTrackFrame {
			got = append(got, e.Data)
		}
	}
	p.rb.mu.Unlock()
	for f, frame := range got {
		if want := []byte{byte(f), 0, byte(f), 1, byte(f), 2}; string(frame) != string(want) {
			t.Fatalf("frame %d is %v, want %v", f, frame, want)
		}
	}
	if in := p.inbound(t); in["jitterBufferEmittedCount"] != float64(frames) || in["packetsDiscarded"] != 0.0 {
		t.Fatalf("inbound-rtp %v", in)
	}
}
