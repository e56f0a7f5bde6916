package forward

import (
	"slices"
	"testing"
	"time"
)

// simulcastSource sends three VP8 simulcast layers of two temporal layers
// at 30 frames per second, payloads in the capture's format padded to
// known bitrates (with headers: q 130, h 500, f 1200 kb/s), each layer a
// keyframe every 2 s and at the frame after a PLI for it.
type simulcastSource struct {
	layers []sourceLayer
	pli    map[string]bool
}

type sourceLayer struct {
	rid           string
	packets, size int // per frame, the payload of each
	keyOffset     int // the frame of its first keyframe
	seq           uint16
	ts            uint32
	pic           uint16
	tl0           uint8
}

func newSimulcastSource() *simulcastSource {
	return &simulcastSource{pli: map[string]bool{}, layers: []sourceLayer{
		{rid: "q", packets: 1, size: 520, keyOffset: 0},
		{rid: "h", packets: 2, size: 1020, keyOffset: 20},
		{rid: "f", packets: 4, size: 1230, keyOffset: 40},
	}}
}

func (s *simulcastSource) RequestKeyframe(rid string) error {
	s.pli[rid] = true

	return nil
}

// frame returns the packets of every layer's frame n.
func (s *simulcastSource) frame(t testing.TB, n int) []captured {
	t.Helper()
	var out []captured
	for li := range s.layers {
		l := &s.layers[li]
		key := n%60 == l.keyOffset || s.pli[l.rid]
		delete(s.pli, l.rid)
		tid := n % 2
		if key {
			tid = 0
		}
		if tid == 0 {
			l.tl0++
		}
		for i := range l.packets {
			f := vp8Packet{
				seq: l.seq, ts: l.ts, ssrc: uint32(li + 1), marker: i == l.packets-1, //nolint:gosec // G115: three layers
				pic: l.pic, tl0: l.tl0, tid: tid, sync: true, start: i == 0, key: key,
				body: []byte{byte(li), byte(n), byte(i)},
			}
			out = append(out, captured{rid: l.rid, packet: f.marshal(t, l.size)})
			l.seq++
		}
		l.ts += 3000
		l.pic = (l.pic + 1) & 0x7fff
	}

	return out
}

func TestAutoLayerFollowsTheEstimate(t *testing.T) {
	src := newSimulcastSource()
	clock := &fakeClock{now: time.Unix(1000, 0)}
	f := newForwarder(src, clock.Now)
	sink := &sinkLog{}
	sub := f.AddSubscriber(sink, Layer{"", AllTemporal, 0})
	sub.SetAuto(true)
	// The estimate, in b/s, from the given second on.
	script := []struct {
		second int
		bps    int64
	}{{0, 2_000_000}, {4, 600_000}, {6, 300_000}, {8, 3_000_000}}
	type change struct {
		layer Layer
		frame int
	}
	var changes []change
	for n := range 12 * 30 {
		for _, s := range script {
			if n == s.second*30 {
				sub.SetEstimate(s.bps)
			}
		}
		for _, c := range src.frame(t, n) {
			f.Push(Source{RID: c.rid, MimeType: "video/VP8"}, c.packet)
		}
		if l, started := sub.Layer(); started && (len(changes) == 0 || changes[len(changes)-1].layer != l) {
			changes = append(changes, change{l, n})
		}
		clock.now = clock.now.Add(time.Second / 30)
	}
	// q's keyframe comes first; then f fits 2 Mb/s, h 600 kb/s, and at
	// 300 kb/s h's base temporal layer (250 kb/s) rather than q (130).
	// Back up to f only when 3 Mb/s held for 2 s, from frame 300 on.
	var layers []Layer
	for _, c := range changes {
		layers = append(layers, c.layer)
	}
	want := []Layer{{"q", AllTemporal, 0}, {"f", AllTemporal, 0}, {"h", AllTemporal, 0}, {"h", 0, 0}, {"f", AllTemporal, 0}}
	if !slices.Equal(layers, want) {
		t.Fatalf("layers %v, want %v (changes %v)", layers, want, changes)
	}
	at := func(i int) int { return changes[i].frame }
	if at(1) > 10 || at(2) < 120 || at(2) > 130 || at(3) < 180 || at(3) > 185 || at(4) < 300 || at(4) > 310 {
		t.Errorf("switched at frames %v: want f within 10, h at 120 plus a keyframe, h/0 at 180, f at 300", changes)
	}
	if on, target, bps := sub.Auto(); !on || target != (Layer{"f", AllTemporal, 0}) || bps != 3_000_000 {
		t.Errorf("Auto() = %v, %v, %d", on, target, bps)
	}
	frames := checkContinuous(t, "auto", sink.packets)
	checkLayers(t, "auto", frames, [][2]int{{0, 0}, {2, at(1)}, {1, at(2)}, {2, at(4) % 256}}) // payloads keep a frame's low byte
}

func TestAutoLayerStaysUnderTheApplicationsLayer(t *testing.T) {
	src := newSimulcastSource()
	clock := &fakeClock{now: time.Unix(1000, 0)}
	f := newForwarder(src, clock.Now)
	sub := f.AddSubscriber(&sinkLog{}, Layer{"h", 0, 0})
	sub.SetAuto(true)
	sub.SetEstimate(10_000_000)
	for n := range 3 * 30 {
		for _, c := range src.frame(t, n) {
			f.Push(Source{RID: c.rid, MimeType: "video/VP8"}, c.packet)
		}
		clock.now = clock.now.Add(time.Second / 30)
	}
	if l, _ := sub.Layer(); l != (Layer{"h", 0, 0}) {
		t.Fatalf("under h/0 with 10 Mb/s: %v", l)
	}
	sub.SetLayer(Layer{"q", AllTemporal, 0}) // a lower limit applies at once
	if _, target, _ := sub.Auto(); target != (Layer{"q", AllTemporal, 0}) {
		t.Fatalf("target under q: %v", target)
	}
	sub.SetEstimate(50_000) // nothing fits: the lowest layer
	sub.SetLayer(Layer{"h", AllTemporal, 0})
	if _, target, _ := sub.Auto(); target != (Layer{"q", 0, 0}) {
		t.Fatalf("target at 50 kb/s: %v", target)
	}
	sub.SetAuto(false) // back to the layer set
	if on, target, _ := sub.Auto(); on || target != (Layer{"h", AllTemporal, 0}) {
		t.Fatalf("with the policy turned off: %v, %v", on, target)
	}
	sub.SetLayer(Layer{"f", AllTemporal, 0})
	if on, target, _ := sub.Auto(); on || target != (Layer{"f", AllTemporal, 0}) {
		t.Fatalf("with the policy off: %v, %v", on, target)
	}
}
