package forward

import (
	"slices"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// The synthetic VP9 L3T3 stream: one SSRC, each picture three spatial
// layer frames of 1, 2 and 2 packets, temporal layers in L1T3's pattern,
// keyframes at vp9Keyframes, and a switching up point (U) on every other
// TL0 picture.
var (
	vp9Keyframes     = []int{0, 40, 70}
	vp9LayerPackets  = [3]int{1, 2, 2}
	vp9Pictures      = 90
	vp9FirstPicture  = 32760 // wraps at 15 bits
	vp9FirstTL0      = 254
	vp9FirstSequence = 65530
)

// vp9UpSwitch is whether picture n carries the U bit.
func vp9UpSwitch(n int) bool { return temporalPattern[n%4] == 0 && n%8 == 0 }

// makeVP9 records the stream. Each payload ends with its spatial layer,
// picture and packet index.
func makeVP9(t testing.TB) []*rtp.Packet {
	t.Helper()
	var out []*rtp.Packet
	seq, ts, tl0 := uint16(vp9FirstSequence), uint32(4294964000), vp9FirstTL0
	for n := range vp9Pictures {
		key := slices.Contains(vp9Keyframes, n)
		tid := temporalPattern[n%4]
		if key {
			tid = 0
		}
		if tid == 0 && n > 0 {
			tl0++
		}
		pic := (vp9FirstPicture + n) & 0x7fff
		for sid, count := range vp9LayerPackets {
			for i := range count {
				d := vp9Descriptor(n, pic, tid, tl0, sid, i, count, key)
				d = append(d, byte(sid), byte(n), byte(i)) //nolint:gosec // G115: small numbers
				out = append(out, &rtp.Packet{Header: rtp.Header{
					Version: 2, PayloadType: 98, SequenceNumber: seq, Timestamp: ts, SSRC: 0x9999,
					Marker: sid == len(vp9LayerPackets)-1 && i == count-1,
				}, Payload: d})
				seq++
			}
		}
		ts += 3000
	}

	return out
}

// vp9Descriptor is the payload descriptor of packet i of count of the
// spatial layer sid of picture n (picture id pic, temporal layer tid).
func vp9Descriptor(n, pic, tid, tl0, sid, i, count int, key bool) []byte {
	flags := byte(0x80 | 0x20) // I, L
	if !key {
		flags |= 0x40 // P
	}
	if i == 0 {
		flags |= 0x08 // B
	}
	if i == count-1 {
		flags |= 0x04 // E
	}
	ss := key && sid == 0 && i == 0
	if ss {
		flags |= 0x02 // V
	}
	layer := byte(tid<<5 | sid<<1) //nolint:gosec // G115: 3 bits each
	if vp9UpSwitch(n) {
		layer |= 0x10
	}
	if sid > 0 {
		layer |= 0x01 // D: inter-layer prediction
	}
	d := []byte{flags, 0x80 | byte(pic>>8), byte(pic), layer, byte(tl0)} //nolint:gosec // G115: 15 and 8 bits
	if ss {
		d = append(d, 2<<5) // N_S 2, no resolutions, no group
	}

	return d
}

// readVP9 reads back a forwarded packet of makeVP9's stream.
func readVP9(p *rtp.Packet) svcPacket {
	b := p.Payload

	return svcPacket{
		p: p, spatial: int(b[len(b)-3]), picture: int(b[len(b)-2]), temporal: int(b[3] >> 5),
		key: b[0]&0x40 == 0, end: b[0]&0x04 != 0, upSwitch: b[3]&0x10 != 0,
	}
}

func TestForwardVP9SVCThroughLayerSwitches(t *testing.T) {
	all := Layer{Temporal: AllTemporal, Spatial: AllSpatial}
	scripts := []svcScript{
		{
			{0, all},
			{10, Layer{Temporal: AllTemporal}},
			{20, Layer{Temporal: AllTemporal, Spatial: 1}},
			{50, Layer{Spatial: 1}},
			{58, Layer{Temporal: AllTemporal, Spatial: 1}},
			{75, all},
		},
		{{0, Layer{Temporal: 1, Spatial: 1}}, {30, Layer{}}, {45, Layer{Temporal: 2, Spatial: 2}}},
		{{0, Layer{Temporal: AllTemporal}}},
	}
	// Each subscriber's top spatial layer (picture, layer) where it changed:
	// down at once (b: at the next picture of T0), up at the next keyframe
	// (none after picture 70).
	wantTops := [][][2]int{{{0, 2}, {10, 0}, {40, 1}}, {{0, 1}, {32, 0}, {70, 2}}, {{0, 0}}}
	up := &upstreamLog{}
	clock := &fakeClock{now: time.Unix(1000, 0)}
	f := newForwarder(up, clock.Now)
	var subs []*Subscriber
	var sinks []*sinkLog
	for _, s := range scripts {
		sinks = append(sinks, &sinkLog{})
		subs = append(subs, f.AddSubscriber(sinks[len(sinks)-1], s[0].layer))
	}
	stream := makeVP9(t)
	replaySVC(t, f, Source{MimeType: "video/VP9"}, stream, func(p *rtp.Packet) int {
		clock.now = clock.now.Add(11 * time.Millisecond)

		return readVP9(p).picture
	}, subs, scripts)
	for i, sink := range sinks {
		name := string(rune('a' + i))
		var got []svcPacket
		for _, p := range sink.packets {
			got = append(got, readVP9(p))
		}
		if tops := checkSVC(t, name, got, scripts[i]); !slices.Equal(tops, wantTops[i]) {
			t.Errorf("%s: top spatial layers (picture, layer) %v, want %v", name, tops, wantTops[i])
		}
		checkVP9Numbering(t, name, got, scripts[i])
	}
	if len(up.rids) == 0 {
		t.Error("no keyframe asked upstream for a spatial layer up")
	}
	if l, _ := subs[0].Layer(); l != (Layer{Temporal: AllTemporal, Spatial: 1}) {
		t.Errorf("a: layer %+v at the end, want S1 and every temporal layer", l)
	}
}

// checkVP9Numbering checks that picture ids rise by one and TL0PICIDX by
// zero or one per picture forwarded, and that a temporal layer is added
// only at a keyframe or after a switching up point.
func checkVP9Numbering(t *testing.T, name string, got []svcPacket, script svcScript) {
	t.Helper()
	allowed, upSwitch, seen := 0, false, map[int]bool{}
	var last svcPacket
	for i, g := range got {
		if i > 0 && g.picture == last.picture {
			continue
		}
		limit := script.target(g.picture).maxTemporal()
		switch {
		case g.key:
			allowed = limit
		case g.temporal > allowed:
			if !upSwitch {
				t.Fatalf("%s: picture %d added temporal layer %d without a switching up point", name, g.picture, g.temporal)
			}
			allowed = limit
		}
		allowed = min(allowed, limit)
		upSwitch = g.upSwitch
		seen[g.temporal] = true
		if i > 0 {
			pic, lastPic := int(g.p.Payload[1]&0x7f)<<8|int(g.p.Payload[2]), int(last.p.Payload[1]&0x7f)<<8|int(last.p.Payload[2])
			if pic != (lastPic+1)&0x7fff {
				t.Fatalf("%s: picture %d: picture id %d after %d", name, g.picture, pic, lastPic)
			}
			if d := (int(g.p.Payload[4]) - int(last.p.Payload[4])) & 0xff; d > 1 || d == 1 != (g.temporal == 0) {
				t.Fatalf("%s: picture %d (T%d): TL0PICIDX %d after %d", name, g.picture, g.temporal, g.p.Payload[4], last.p.Payload[4])
			}
		}
		last = g
	}
	if len(seen) < 2 {
		t.Errorf("%s: temporal layers %v forwarded, want more than one", name, seen)
	}
}
