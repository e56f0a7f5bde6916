package forward

import (
	"slices"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// upstreamLog records the keyframe requests sent upstream.
type upstreamLog struct{ rids []string }

func (u *upstreamLog) RequestKeyframe(rid string) error {
	u.rids = append(u.rids, rid)

	return nil
}

// sinkLog keeps copies of a subscriber's packets.
type sinkLog struct{ packets []*rtp.Packet }

func (s *sinkLog) WriteRTP(p *rtp.Packet) error {
	c := p.Clone()
	s.packets = append(s.packets, c)

	return nil
}

// fakeClock is the forwarder's clock in tests: it moves only when told.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// step is a scripted layer change before the capture's frame.
type step struct {
	frame int
	layer Layer
}

// outFrame is one frame a subscriber received, read back from the
// capture's payload bodies.
type outFrame struct {
	layer, frame, tid int
	key, sync         bool
	ts                uint32
	pic, tl0          int
}

func TestForwardCaptureThroughLayerSwitches(t *testing.T) {
	capture := loadCapture(t)
	scripts := map[string][]step{
		"a": {{0, Layer{RID: "q", Temporal: AllTemporal}}, {10, Layer{RID: "f", Temporal: AllTemporal}}, {50, Layer{RID: "q", Temporal: 0}}, {77, Layer{RID: "q", Temporal: AllTemporal}}},
		"b": {{0, Layer{RID: "h", Temporal: 1}}, {30, Layer{RID: "h", Temporal: 0}}, {37, Layer{RID: "h", Temporal: AllTemporal}}, {55, Layer{RID: "f", Temporal: 1}}},
		"c": {{0, Layer{RID: "f", Temporal: AllTemporal}}, {25, Layer{RID: "h", Temporal: AllTemporal}}, {65, Layer{RID: "q", Temporal: AllTemporal}}},
	}
	// The layers each subscriber must see, in order, and the frame each
	// starts at (a keyframe of that layer).
	wantLayers := map[string][][2]int{
		"a": {{0, 0}, {2, 20}, {0, 60}},
		"b": {{1, 0}, {2, 70}},
		"c": {{2, 0}, {1, 45}}, // q has no keyframe after frame 65
	}
	up := &upstreamLog{}
	clock := &fakeClock{now: time.Unix(1000, 0)}
	f := newForwarder(up, clock.Now)
	subs, sinks := map[string]*Subscriber{}, map[string]*sinkLog{}
	for name, script := range scripts {
		sinks[name] = &sinkLog{}
		subs[name] = f.AddSubscriber(sinks[name], script[0].layer)
	}
	replay(t, f, capture, func(frame int) {
		clock.now = clock.now.Add(33 * time.Millisecond)
		for name, script := range scripts {
			for _, s := range script[1:] {
				if s.frame == frame {
					subs[name].SetLayer(s.layer)
				}
			}
		}
	})
	for name, sink := range sinks {
		frames := checkContinuous(t, name, sink.packets)
		checkLayers(t, name, frames, wantLayers[name])
		checkTemporal(t, name, frames, scripts[name])
	}
	for _, rid := range []string{"f", "h", "q"} {
		if !slices.Contains(up.rids, rid) {
			t.Errorf("no keyframe asked upstream for layer %s: %v", rid, up.rids)
		}
	}
}

// replay pushes the capture's packets into f, calling atFrame before the
// first packet of each frame.
func replay(t *testing.T, f *Forwarder, capture []captured, atFrame func(frame int)) {
	t.Helper()
	frame := -1
	for _, c := range capture {
		var p rtp.Packet
		if err := p.Unmarshal(c.packet); err != nil {
			t.Fatal(err)
		}
		if n := int(p.Payload[8]); n != frame {
			frame = n
			atFrame(frame)
		}
		f.Push(Source{RID: c.rid, MimeType: "video/VP8"}, c.packet)
	}
}

// checkLayers checks that each layer a subscriber received started at a
// keyframe, and that the layers came in the order want gives (layer, first
// frame).
func checkLayers(t *testing.T, name string, frames []outFrame, want [][2]int) {
	t.Helper()
	var layers [][2]int
	for i, fr := range frames {
		if i == 0 || fr.layer != frames[i-1].layer {
			if !fr.key {
				t.Errorf("%s: switched to layer %d at frame %d, not a keyframe", name, fr.layer, fr.frame)
			}
			layers = append(layers, [2]int{fr.layer, fr.frame})
		}
	}
	if !slices.Equal(layers, want) {
		t.Errorf("%s: layers (layer, first frame) %v, want %v", name, layers, want)
	}
}

// checkContinuous checks one subscriber's stream: one SSRC, sequence
// numbers without gaps, timestamps rising from frame to frame, picture ids
// +1 per frame and TL0PICIDX +0 or +1; it returns the frames.
func checkContinuous(t *testing.T, name string, packets []*rtp.Packet) []outFrame {
	t.Helper()
	if len(packets) == 0 {
		t.Fatalf("%s: nothing forwarded", name)
	}
	var frames []outFrame
	for i, p := range packets {
		b := p.Payload
		fr := outFrame{
			layer: int(b[7]), frame: int(b[8]), tid: int(b[5] >> 6), sync: b[5]&0x20 != 0,
			key: b[0]&0x10 != 0 && b[6]&1 == 0, ts: p.Timestamp,
			pic: int(b[2]&0x7f)<<8 | int(b[3]), tl0: int(b[4]),
		}
		if i == 0 {
			frames = append(frames, fr)

			continue
		}
		prev := packets[i-1]
		if p.SSRC != prev.SSRC {
			t.Fatalf("%s: packet %d changed SSRC", name, i)
		}
		if p.SequenceNumber != prev.SequenceNumber+1 {
			t.Fatalf("%s: packet %d: sequence number %d after %d", name, i, p.SequenceNumber, prev.SequenceNumber)
		}
		last := frames[len(frames)-1]
		if fr.layer == last.layer && fr.frame == last.frame {
			if fr.ts != last.ts || fr.pic != last.pic || fr.tl0 != last.tl0 {
				t.Fatalf("%s: packet %d: numbering changed inside a frame", name, i)
			}

			continue
		}
		if step := int32(fr.ts - last.ts); step <= 0 { //nolint:gosec // G115: the serial-number distance
			t.Fatalf("%s: frame %d timestamp %d after %d", name, fr.frame, fr.ts, last.ts)
		}
		if fr.pic != (last.pic+1)&0x7fff {
			t.Fatalf("%s: frame %d picture id %d after %d", name, fr.frame, fr.pic, last.pic)
		}
		if d := (fr.tl0 - last.tl0) & 0xff; d > 1 || fr.layer != last.layer && d != 1 {
			t.Fatalf("%s: frame %d TL0PICIDX %d after %d", name, fr.frame, fr.tl0, last.tl0)
		}
		frames = append(frames, fr)
	}

	return frames
}

// checkTemporal checks that no frame is above the subscriber's temporal
// layer, that a temporal layer is added only at a keyframe or a layer
// sync frame, and that every layer allowed does come.
func checkTemporal(t *testing.T, name string, frames []outFrame, script []step) {
	t.Helper()
	target := func(frame int) int {
		l := 0
		for _, s := range script {
			if s.frame <= frame {
				l = s.layer.maxTemporal()
			}
		}

		return l
	}
	allowed, seen := 0, map[int]bool{}
	for _, fr := range frames {
		limit := target(fr.frame)
		switch {
		case fr.key:
			allowed = limit
		case fr.tid > allowed:
			if !fr.sync {
				t.Fatalf("%s: frame %d of layer %d added temporal layer %d without layer sync", name, fr.frame, fr.layer, fr.tid)
			}
			allowed = fr.tid
		}
		if fr.tid > limit {
			t.Fatalf("%s: frame %d has temporal layer %d above %d", name, fr.frame, fr.tid, limit)
		}
		seen[fr.tid] = true
	}
	for tid := range 3 {
		if !seen[tid] {
			t.Errorf("%s: temporal layer %d never forwarded", name, tid)
		}
	}
}

func TestSubscriberKeyframeRequestsAreRateLimited(t *testing.T) {
	up := &upstreamLog{}
	clock := &fakeClock{now: time.Unix(1000, 0)}
	f := newForwarder(up, clock.Now)
	a := f.AddSubscriber(&sinkLog{}, Layer{RID: "h", Temporal: AllTemporal})
	b := f.AddSubscriber(&sinkLog{}, Layer{RID: "h", Temporal: AllTemporal})
	clock.now = clock.now.Add(KeyframeInterval)
	a.RequestKeyframe()
	b.RequestKeyframe()
	a.RequestKeyframe()
	clock.now = clock.now.Add(KeyframeInterval)
	b.RequestKeyframe()
	if want := []string{"h", "h", "h"}; !slices.Equal(up.rids, want) {
		t.Fatalf("keyframe requests upstream %v, want %v", up.rids, want)
	}
}

func TestRemovedSubscriberGetsNothing(t *testing.T) {
	capture := loadCapture(t)
	f := newForwarder(&upstreamLog{}, time.Now)
	kept, removed := &sinkLog{}, &sinkLog{}
	f.AddSubscriber(kept, Layer{RID: "q", Temporal: AllTemporal})
	f.RemoveSubscriber(f.AddSubscriber(removed, Layer{RID: "q", Temporal: AllTemporal}))
	replay(t, f, capture, func(int) {})
	if len(kept.packets) == 0 || len(removed.packets) != 0 || f.Subscribers() != 1 {
		t.Fatalf("kept %d packets, removed %d, subscribers %d", len(kept.packets), len(removed.packets), f.Subscribers())
	}
}

func TestReorderedPacketKeepsItsNumberAndALossStaysAGap(t *testing.T) {
	var layer []captured // layer f: three packets a frame
	for _, c := range loadCapture(t) {
		if c.rid == "f" {
			layer = append(layer, c)
		}
	}
	// Frames 4 and 8 are on temporal layer 0: swap the last two packets of
	// frame 4, lose the middle one of frame 8.
	layer[13], layer[14] = layer[14], layer[13]
	lost := layer[25]
	layer = slices.Delete(layer, 25, 26)
	f := newForwarder(&upstreamLog{}, time.Now)
	sink := &sinkLog{}
	f.AddSubscriber(sink, Layer{RID: "f", Temporal: AllTemporal})
	replay(t, f, layer, func(int) {})
	var seqs []int
	for _, p := range sink.packets {
		seqs = append(seqs, int(p.SequenceNumber))
	}
	if len(seqs) != len(layer) {
		t.Fatalf("forwarded %d of %d packets", len(seqs), len(layer))
	}
	if seqs[13] != seqs[14]+1 {
		t.Errorf("the reordered packets were numbered %d and %d", seqs[13], seqs[14])
	}
	slices.Sort(seqs)
	var gaps []int
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			gaps = append(gaps, seqs[i-1]+1)
		}
	}
	var p rtp.Packet
	if err := p.Unmarshal(lost.packet); err != nil {
		t.Fatal(err)
	}
	if want := []int{int(p.SequenceNumber - layer[0].seq())}; len(gaps) != 1 || gaps[0]-seqs[0] != want[0] {
		t.Fatalf("gaps at %v (from %d), want one at offset %v", gaps, seqs[0], want)
	}
}
