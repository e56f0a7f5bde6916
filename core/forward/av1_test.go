package forward

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// ddL2T2Key is a dependency descriptor Chromium sent with an L2T2
// keyframe (core/svc's test vector): its structure has decode targets
// S0T0, S0T1, S1T0 and S1T1 and templates 0 (S0 key), 1 (S0T0), 2 (S0T1),
// 3 (S1 key), 4 (S1T0, a switch indication for S1T0 and S1T1) and 5 (S1T1).
var ddL2T2Key = []byte{
	0xc0, 0x00, 0x01, 0x80, 0x03, 0x18, 0x7a, 0xaa, 0xf1, 0x30, 0xa0, 0xa0, 0x14, 0xd1, 0x41, 0x38,
	0x23, 0x04, 0x60, 0x08, 0x64, 0x22, 0x22, 0x26, 0x50, 0x09, 0xf0, 0x07, 0x70, 0x13, 0xf0, 0x0e, 0xf0,
}

// The synthetic AV1 L2T2 stream: temporal units of an S0 frame (one
// packet) and an S1 frame (two), T0 and T1 in turn, keyframes at
// av1Keyframes, the descriptor under extension id av1UpstreamID.
var (
	av1Keyframes  = []int{0, 30}
	av1Units      = 50
	av1UpstreamID = uint8(5)
)

// makeAV1 records the stream. Each payload is its spatial layer, temporal
// unit and packet index.
func makeAV1(t testing.TB) []*rtp.Packet {
	t.Helper()
	var out []*rtp.Packet
	seq, ts, frame := uint16(65000), uint32(1<<32-6000), 0xfff0
	for unit := range av1Units {
		key := slices.Contains(av1Keyframes, unit)
		for sid, count := range [2]int{1, 2} {
			template := [2][3]int{{1, 2, 0}, {4, 5, 3}}[sid][unit%2]
			if key {
				template = [2]int{0, 3}[sid]
			}
			for i := range count {
				dd := []byte{byte(template), byte(frame >> 8), byte(frame)} //nolint:gosec // G115: 16 bits
				if key && sid == 0 {
					dd = append([]byte(nil), ddL2T2Key...)
					dd[1], dd[2] = byte(frame>>8), byte(frame) //nolint:gosec // G115: as above
				}
				if i == 0 {
					dd[0] |= 0x80
				}
				if i == count-1 {
					dd[0] |= 0x40
				}
				p := &rtp.Packet{Header: rtp.Header{
					Version: 2, PayloadType: 45, SequenceNumber: seq, Timestamp: ts, SSRC: 0xa1a1,
					Marker: sid == 1 && i == count-1,
				}, Payload: []byte{byte(sid), byte(unit), byte(i)}} //nolint:gosec // G115: small numbers
				if err := p.SetExtension(av1UpstreamID, dd); err != nil {
					t.Fatal(err)
				}
				out = append(out, p)
				seq++
			}
			frame = (frame + 1) & 0xffff
		}
		ts += 3000
	}

	return out
}

// ddSink is a subscriber whose hop negotiated the dependency descriptor.
type ddSink struct {
	sinkLog
	id uint8
}

func (s *ddSink) DependencyDescriptorID() uint8 { return s.id }

func TestForwardAV1DependencyDescriptorThroughDecodeTargets(t *testing.T) {
	all := Layer{Temporal: AllTemporal, Spatial: AllSpatial}
	scripts := []svcScript{
		{{0, all}, {10, Layer{Temporal: AllTemporal}}, {15, Layer{Spatial: 1}}, {40, Layer{Temporal: AllTemporal, Spatial: 1}}},
		{{0, Layer{}}, {21, Layer{Temporal: 1}}, {35, Layer{Temporal: 1, Spatial: 1}}},
	}
	// Down at once; S1 only at a keyframe, T1 at a switch indication (the
	// next T0 unit's S0 frame for S0T1, its S1 frame for S1T1).
	wantTops := [][][2]int{{{0, 1}, {10, 0}, {30, 1}}, {{0, 0}}}
	wantUnits := []func(unit int) bool{
		func(u int) bool { return u < 15 || u >= 40 || u%2 == 0 },
		func(u int) bool { return u >= 22 || u%2 == 0 },
	}
	f := newForwarder(&upstreamLog{}, time.Now)
	stream := makeAV1(t)
	sent := map[[3]byte][]byte{}
	for _, p := range stream {
		sent[[3]byte(p.Payload)] = p.GetExtension(av1UpstreamID)
	}
	var subs []*Subscriber
	var sinks []*ddSink
	for i, s := range scripts {
		sinks = append(sinks, &ddSink{id: uint8(9 + i)}) //nolint:gosec // G115: small
		subs = append(subs, f.AddSubscriber(sinks[i], s[0].layer))
	}
	replaySVC(t, f, Source{MimeType: "video/AV1", DependencyDescriptorID: av1UpstreamID}, stream,
		func(p *rtp.Packet) int { return int(p.Payload[1]) }, subs, scripts)
	for i, sink := range sinks {
		name := string(rune('a' + i))
		var got []svcPacket
		units := map[int]bool{}
		for _, p := range sink.packets {
			b := p.Payload
			got = append(got, svcPacket{
				p: p, spatial: int(b[0]), picture: int(b[1]), temporal: int(b[1]) % 2,
				key: slices.Contains(av1Keyframes, int(b[1])), end: b[0] == 0 || b[2] == 1,
			})
			units[int(b[1])] = true
			if want := sent[[3]byte(b)]; !bytes.Equal(p.GetExtension(sink.id), want) || len(p.GetExtensionIDs()) != 1 {
				t.Fatalf("%s: unit %d S%d: extensions %v, descriptor %x, want %x under id %d",
					name, b[1], b[0], p.GetExtensionIDs(), p.GetExtension(sink.id), want, sink.id)
			}
		}
		if tops := checkSVC(t, name, got, scripts[i]); !slices.Equal(tops, wantTops[i]) {
			t.Errorf("%s: top spatial layers (unit, layer) %v, want %v", name, tops, wantTops[i])
		}
		for u := range av1Units {
			if units[u] != wantUnits[i](u) {
				t.Errorf("%s: temporal unit %d (T%d) forwarded: %v", name, u, u%2, units[u])
			}
		}
	}
	if l, _ := subs[1].Layer(); l != (Layer{Temporal: 1, Spatial: 0}) {
		t.Errorf("b: layer %+v at the end, want S0T1 (no keyframe after the switch was asked)", l)
	}
}
